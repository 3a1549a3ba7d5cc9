"""A shared PostgreSQL server seen from the pages: it goes away and comes back, and its password stays hidden."""

import logging

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import APP, RETRYING, texts



def everything_shown(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "error", "warning", "info", "caption", "title")
                     for e in at.get(kind))


def test_a_server_restart_mid_session_says_retrying_and_the_page_recovers(server_app, postgres_server, caplog):
    at = server_app.run()
    assert not at.exception and at.sidebar.selectbox(key="nav.project").options == ["Learner 1"]
    postgres_server.stop()
    try:
        with caplog.at_level(logging.DEBUG):
            at = at.run()
    finally:
        postgres_server.start()
    assert not at.exception
    assert RETRYING in texts(at.error) and "workbench:\\*\\*\\*@127.0.0.1" in at.error[0].value
    assert postgres_server.password not in everything_shown(at) + caplog.text
    at = at.run()  # what the retry does once the server answers
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="nav.project").options == ["Learner 1"]


def test_a_wrong_password_is_explained_without_showing_it(postgres_server, monkeypatch, caplog):
    wrong = postgres_server.url().replace(postgres_server.password, "wrong-secret-7")
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", wrong)
    st.cache_resource.clear()
    with caplog.at_level(logging.DEBUG):
        at = AppTest.from_file(APP, default_timeout=60).run()
    st.cache_resource.clear()
    assert not at.exception and "password authentication failed" in texts(at.error)
    assert "wrong-secret-7" not in everything_shown(at) + caplog.text
