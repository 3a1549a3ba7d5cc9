"""Users never see a traceback: the shipped config hides error details, which go to the server log."""

import logging
import tomllib
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
FAILING_PAGE = "raise KeyError('/home/analyst/secret/path.py')"


def shipped_error_details() -> str:
    return tomllib.loads(CONFIG.read_text())["client"]["showErrorDetails"]


def test_the_shipped_config_hides_error_details():
    assert shipped_error_details() == "none"


def test_an_unexpected_error_shows_users_a_generic_message_and_logs_the_traceback(caplog):
    st.config.set_option("client.showErrorDetails", shipped_error_details())  # accepted by Streamlit 1.67
    with caplog.at_level(logging.ERROR):
        at = AppTest.from_string(FAILING_PAGE).run()
    (shown,) = at.exception
    assert "redacted" in shown.message
    assert "secret" not in shown.message and shown.stack_trace == []
    assert "KeyError" not in shown.message
    logged = "\n".join(record.getMessage() + str(record.exc_info) for record in caplog.records)
    assert "/home/analyst/secret/path.py" in logged


def test_tests_keep_the_full_details():
    at = AppTest.from_string(FAILING_PAGE).run()
    (shown,) = at.exception
    assert "secret/path.py" in shown.message and shown.stack_trace
