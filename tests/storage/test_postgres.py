"""PostgreSQL as the shared database: its schema, its conflict handling, its password kept out of
every message, and a server that goes away and comes back (the rest of tests/storage runs on it too)."""

import pytest
from sqlalchemy import LargeBinary, inspect, text
from sqlmodel import SQLModel

from storage.db import BAD_URL, StorageUnavailable, insert_ignoring_conflicts, make_engine, session_scope
from storage.labeling import batches
from storage.labeling.tables import Labeler
from storage.project import projects


@pytest.fixture
def pg_engine(postgres_url):
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def test_blobs_are_stored_as_bytea(pg_engine):
    blob_columns = [(t.name, c.name) for t in SQLModel.metadata.sorted_tables for c in t.c
                    if isinstance(c.type, LargeBinary)]
    inspector = inspect(pg_engine)
    types = {(table, column["name"]): str(column["type"]) for table, _ in blob_columns
             for column in inspector.get_columns(table)}
    assert blob_columns and all(types[key] == "BYTEA" for key in blob_columns)


def test_get_or_create_inserts_with_on_conflict_do_nothing(pg_engine):
    with session_scope(pg_engine) as s:
        project = projects.create_project(s, name="Shared")
        statement = insert_ignoring_conflicts(s, Labeler).values(project_id=project.id, name="ann")
        assert "ON CONFLICT DO NOTHING" in str(statement.compile(dialect=pg_engine.dialect))
        first = batches.ensure_labeler(s, project_id=project.id, name="ann")
        again = batches.ensure_labeler(s, project_id=project.id, name="ann")
    with session_scope(pg_engine) as s:
        count = s.execute(text("SELECT count(*) FROM labeler WHERE name = 'ann'")).scalar_one()
    assert first.id == again.id and count == 1


def test_a_wrong_password_is_refused_without_showing_any_password(postgres_server):
    url = postgres_server.url().replace(postgres_server.password, "not-the-password-42")
    with pytest.raises(StorageUnavailable) as raised:
        make_engine(url)
    message = str(raised.value)
    assert "password authentication failed" in message and "workbench:***@127.0.0.1" in message
    assert "not-the-password-42" not in message and postgres_server.password not in message


@pytest.mark.parametrize("url", ["postgresql+psycopg://ann:s3cret-pw@db.example:port/x",
                                 "postgresql+nodriver://ann:s3cret-pw@db.example/x"])
def test_a_bad_url_is_explained_without_its_password(url):
    with pytest.raises(StorageUnavailable) as raised:
        make_engine(url)
    assert str(raised.value).startswith(BAD_URL.split("(")[0]) and "s3cret-pw" not in str(raised.value)


def test_a_server_restart_mid_session_is_unavailable_then_recovers(postgres_server, pg_engine):
    with session_scope(pg_engine) as s:
        projects.create_project(s, name="Before")
    postgres_server.stop()
    try:
        with pytest.raises(StorageUnavailable) as raised, session_scope(pg_engine) as s:
            projects.create_project(s, name="During")
    finally:
        postgres_server.start()
    assert "cannot be used" in str(raised.value) and postgres_server.password not in str(raised.value)
    with session_scope(pg_engine) as s:  # the same engine: its pool drops the dead connections
        projects.create_project(s, name="After")
        names = [p.name for p in projects.list_projects(s)]
    assert sorted(names) == ["After", "Before"]


def test_times_are_stored_in_utc_whatever_the_server_s_zone(postgres_server):
    url = postgres_server.create_database()
    postgres_server.admin(f"ALTER DATABASE {url.rsplit('/', 1)[-1]} SET timezone TO 'America/New_York'")
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            created = projects.create_project(s, name="Zoned")
            zone = s.execute(text("SHOW timezone")).scalar_one()
        with session_scope(engine) as s:
            stored = projects.get_project(s, created.id)
    finally:
        engine.dispose()
        postgres_server.drop_database(url)
    assert zone == "UTC" and stored.created_at == created.created_at


def test_a_server_lost_mid_write_rolls_it_back_and_says_the_write_was_not_saved(postgres_server, pg_engine):
    with session_scope(pg_engine) as s:
        projects.create_project(s, name="Before")
    try:
        with pytest.raises(StorageUnavailable) as lost_write, session_scope(pg_engine) as s:
            projects.create_project(s, name="Half done")  # flushed, then the server goes
            postgres_server.stop()
            projects.list_projects(s)
        with pytest.raises(StorageUnavailable) as lost_read, session_scope(pg_engine) as s:
            projects.list_projects(s)
    finally:
        postgres_server.start()
    assert lost_write.value.unsaved and not lost_read.value.unsaved
    with session_scope(pg_engine) as s:
        assert [p.name for p in projects.list_projects(s)] == ["Before"]
