"""A database lost in the middle of a page: the "unavailable, retrying" view, wherever the query was.

The frame checks the database when a page starts; these tests take it away after that check, by
wrapping a storage function the page calls later so that it stops the server (or hides the SQLite
file) first, as a server restart or a lost disk would between two queries of one rerun.
"""

import os

import pytest
from sqlalchemy.exc import IntegrityError

from pages.components.frame import NO_DATABASE_SIDEBAR, PAGES
from pages.components import resources
from pages.components.resources import outage_shown
from storage.db import StorageUnavailable
from storage.project import projects
from storage.scoping import records
from tests.pages.conftest import RETRYING, read, texts
from tests.pages.test_scoping import add_target

NOT_SAVED = "Your last action was not saved"


def first_stopping(monkeypatch, module, name: str, stop) -> None:
    """Make `module.name` call `stop()` before it does its work, the first time it is called."""
    original = getattr(module, name)
    calls = []

    def stopping_first(*args, **kwargs):
        if not calls:
            calls.append(name)
            stop()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, stopping_first)


def assert_retrying_view(at) -> None:
    assert not at.exception and RETRYING in texts(at.error)
    # The sidebar keeps its page links, the name and teaching mode; only the projects need the database.
    assert [link.label for link in at.sidebar.get("page_link")] == [page.label for page in PAGES]
    assert NO_DATABASE_SIDEBAR in texts(at.sidebar.caption)
    assert at.sidebar.text_input(key="nav.actor_name") is not None and at.sidebar.toggle(key="nav.teaching")
    assert not at.sidebar.get("selectbox")


def test_a_server_lost_after_the_page_started_shows_retrying_then_recovers(server_app, postgres_server, monkeypatch):
    app = server_app
    at = app.run()
    first_stopping(monkeypatch, projects, "list_projects", postgres_server.stop)  # the home page's own list
    try:
        at = at.run()
    finally:
        postgres_server.start()
    assert_retrying_view(at)
    assert NOT_SAVED not in texts(at.error) and postgres_server.password not in texts(at.error)
    at = at.run()  # what the retry does once the server answers
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="nav.project").options == ["Learner 1"]


def test_a_server_lost_in_a_callback_s_write_saves_nothing_and_says_so(server_app, server_engine, postgres_server, monkeypatch):
    app, engine = server_app, server_engine
    at = app.switch_page("pages/1_scoping.py").run()
    # The target's row is flushed, then the timeline entry finds the server gone: both roll back.
    first_stopping(monkeypatch, records, "log_event", postgres_server.stop)
    try:
        at = add_target(at, "0.85", metric="f1")
    finally:
        postgres_server.start()
    assert_retrying_view(at)
    assert NOT_SAVED in texts(at.error)
    assert read(engine, lambda s: records.list_targets(s, projects.list_projects(s)[0].id)) == []
    at = at.run()
    assert not at.exception and not at.error and "No targets yet" in texts(at.info)


def test_a_sqlite_file_gone_unreadable_mid_page_shows_retrying_then_recovers(app, database_url, monkeypatch):
    path = database_url.removeprefix("sqlite:///")
    folder, hidden = os.path.dirname(path), os.path.dirname(path) + ".away"
    at = app.run()

    def hide_the_file() -> None:
        os.rename(folder, hidden)
        resources.engine().dispose()  # its pooled connections hold the file open: new ones cannot

    first_stopping(monkeypatch, projects, "list_projects", hide_the_file)
    try:
        at = at.run()
    finally:
        os.rename(hidden, folder)
    assert_retrying_view(at)
    assert "unable to open database file" in texts(at.error)
    at = at.run()
    assert not at.exception and not at.error and "Create a project" in [e.label for e in at.expander]


def test_errors_that_are_not_outages_pass_through_unchanged():
    refused = IntegrityError("INSERT", None, Exception("UNIQUE constraint failed: project.name"))
    with pytest.raises(IntegrityError) as raised, outage_shown():
        raise refused
    assert raised.value is refused
    with pytest.raises(StorageUnavailable), outage_shown():  # outside a page run it is raised as it was
        raise StorageUnavailable("gone", unsaved=True)
