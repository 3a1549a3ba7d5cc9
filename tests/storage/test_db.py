import sqlite3

import pytest
from sqlalchemy import text

from storage import db
from storage.db import NEWER_SCHEMA, NOT_OURS, SchemaVersionError, StorageUnavailable, make_engine
from storage.tables import SCHEMA_VERSION


def test_new_database_gets_the_current_schema_version_and_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == SCHEMA_VERSION
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == 30000
    engine.dispose()


def test_reopening_keeps_the_version(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    make_engine(url).dispose()
    assert db.init_schema(make_engine(url)) == SCHEMA_VERSION


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.db"
    make_engine(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_info SET version = ?", (SCHEMA_VERSION + 5,))
    with pytest.raises(SchemaVersionError) as raised:
        make_engine(f"sqlite:///{path}")
    assert str(raised.value) == NEWER_SCHEMA.format(found=SCHEMA_VERSION + 5, ours=SCHEMA_VERSION)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_info").fetchone()[0] == SCHEMA_VERSION + 5


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    with pytest.raises(SchemaVersionError, match="not made by Lifecycle Workbench") as raised:
        make_engine(f"sqlite:///{path}")
    assert str(raised.value) == NOT_OURS


def test_older_schema_is_migrated_when_a_step_exists(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    make_engine(f"sqlite:///{path}").dispose()
    calls = []
    monkeypatch.setattr(db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(db.MIGRATIONS, SCHEMA_VERSION, lambda connection: calls.append(connection))
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == SCHEMA_VERSION + 1
    assert len(calls) == 1


def test_older_schema_without_a_step_is_refused_and_untouched(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    make_engine(f"sqlite:///{path}").dispose()
    monkeypatch.setattr(db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(SchemaVersionError, match="no migration"):
        make_engine(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_info").fetchone()[0] == SCHEMA_VERSION


def test_a_file_that_is_not_a_database_gives_a_clear_message(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageUnavailable, match="cannot be used"):
        make_engine(f"sqlite:///{path}")
