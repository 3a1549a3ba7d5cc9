from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from storage.db import make_engine, session_scope

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DATASETS_PAGE = "pages/2_datasets.py"


@pytest.fixture
def database_url(tmp_path, monkeypatch):
    """Each test gets its own database file, and no engine or frame cached from another test."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)
    st.cache_resource.clear()
    yield url
    st.cache_resource.clear()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app(database_url):
    return AppTest.from_file(APP, default_timeout=60)


def texts(elements) -> str:
    """All the text of a list of AppTest elements, to assert on what the user reads."""
    return "\n".join(str(e.value) for e in elements)


def read(engine, query):
    with session_scope(engine) as session:
        return query(session)
