import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from storage.db import make_engine, session_scope
from storage.project import projects

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DATASETS_PAGE = "pages/2_datasets.py"
RETRYING = "Database unavailable, retrying"  # what the pages say while the database is away
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation


@pytest.fixture(autouse=True)
def full_error_details():
    """The shipped config hides error details from users (client.showErrorDetails = "none"); tests want them."""
    st.config.set_option("client.showErrorDetails", "full")
    yield
    st.config.set_option("client.showErrorDetails", "full")


@pytest.fixture
def database_url(fresh_database_url, monkeypatch):
    """Each test gets its own database (a SQLite file; PostgreSQL too in modules marked both_databases),
    and no engine or frame cached from another test."""
    url = fresh_database_url
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


@pytest.fixture
def server_engine(postgres_url, monkeypatch):
    """The app's database on the test run's PostgreSQL server, with one project stored ("Learner 1")."""
    engine = make_engine(postgres_url)
    with session_scope(engine) as s:
        projects.create_project(s, name="Learner 1")
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", postgres_url)
    st.cache_resource.clear()
    yield engine
    st.cache_resource.clear()
    engine.dispose()


@pytest.fixture
def server_app(server_engine):
    """The app on the server database of `server_engine`."""
    return AppTest.from_file(APP, default_timeout=60)


def texts(elements) -> str:
    """All the text of a list of AppTest elements, to assert on what the user reads.

    User text reaches Markdown escaped (`pages.components.text.plain`); a reader sees it without
    the backslashes, so they are taken off here. Tests of the escaping itself read `.value`.
    """
    return "\n".join(read_as_shown(str(e.value)) for e in elements)


def read_as_shown(source: str) -> str:
    """Return Markdown source with its backslash escapes resolved, as the page shows the text."""
    return MARKDOWN_ESCAPE.sub(r"\1", source)


def read(engine, query):
    with session_scope(engine) as session:
        return query(session)


def open_tab(at, key: str) -> str:
    """The label of the tab the page draws as chosen in the keyed (stateful) `st.tabs` `key`.

    Only stateful tabs (a key and on_change) keep the user's tab when a rerun changes what is
    drawn above them; unkeyed ones jump back to the first tab, so they fail here."""
    for block in _blocks(at._tree):
        container = block.proto.tab_container if block.proto.WhichOneof("type") == "tab_container" else None
        if container is not None and container.id.endswith(f"-{key}"):
            return list(block.children.values())[container.default_tab_index].label
    raise AssertionError(f"no stateful tabs keyed {key!r} on the page")


def _blocks(node):
    for child in getattr(node, "children", {}).values():
        if getattr(child, "proto", None) is not None and child.proto.DESCRIPTOR.name == "Block":
            yield child
        yield from _blocks(child)
