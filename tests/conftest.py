"""Database fixtures for every test folder: a fresh SQLite file, or a fresh PostgreSQL database.

Storage tests, and page test modules marked `both_databases`, run once per engine. The
PostgreSQL variants use a private server that the test run starts itself (tests/postgres_server.py);
without PostgreSQL installed they are skipped with the install command, and in CI they fail.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

from storage.db import make_engine
from storage.tables import SchemaInfo
from tests.postgres_server import POSTGRES_MISSING, PostgresServer, postgres_bin, run_postgres

ENGINES = ("sqlite", "postgresql")
STORAGE_TESTS = Path(__file__).resolve().parent / "storage"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run storage tests and modules marked `both_databases` on SQLite and on PostgreSQL."""
    if "database_kind" not in metafunc.fixturenames:
        return
    on_both = metafunc.definition.get_closest_marker("both_databases") is not None
    if on_both or metafunc.definition.path.resolve().is_relative_to(STORAGE_TESTS):
        metafunc.parametrize("database_kind", ENGINES, indirect=True)


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One private PostgreSQL server for the whole test run, removed at its end."""
    if postgres_bin() is None:
        if in_ci():  # a skip in CI would hide a missing install
            pytest.fail(POSTGRES_MISSING, pytrace=False)
        pytest.skip(POSTGRES_MISSING)
    with run_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer) -> Iterator[Engine]:
    """The one PostgreSQL database the tests share, with the current schema; emptied before each test.

    Emptying (about 30 ms) is far quicker than creating a database per test (about 1 s on a busy
    two-core machine), which would add minutes to the run.
    """
    url = postgres_server.create_database()
    make_engine(url).dispose()
    cleaner = create_engine(url, poolclass=NullPool)
    yield cleaner
    cleaner.dispose()


@pytest.fixture
def postgres_url(postgres_database: Engine) -> str:
    """The URL (password included) of the shared PostgreSQL database, emptied for this test."""
    empty_database(postgres_database)
    return postgres_database.url.render_as_string(hide_password=False)


def empty_database(engine: Engine) -> None:
    """Delete every row but the schema version and restart the id counters, as in a new database."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables) if t.name != SchemaInfo.__tablename__]
    with engine.begin() as connection:
        # Connections an earlier test left open could hold locks that would block the deletes.
        connection.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        connection.exec_driver_sql("; ".join(f'DELETE FROM "{table}"' for table in tables))
        connection.exec_driver_sql("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")


@pytest.fixture
def fresh_database_url(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database of the test's engine (a SQLite file in tmp_path by default)."""
    if database_kind == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'test.db'}"


def copy_rows(source: Engine, target: Engine) -> None:
    """Copy every row of `source` into the empty database `target`, ids kept, as a file copy would.

    Lets a module seed one SQLite database (slow to build) and give each PostgreSQL test a copy;
    PostgreSQL's id counters are then moved past the copied ids.
    """
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name != SchemaInfo.__tablename__]
    with source.connect() as reading, target.begin() as writing:
        for table in tables:
            rows = [dict(r._mapping) for r in reading.execute(table.select().order_by(*table.primary_key))]
            if rows:
                writing.execute(table.insert(), rows)
        if target.dialect.name == "postgresql":
            for table in tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    writing.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                            f"COALESCE(MAX(id), 0) + 1, false) FROM \"{table.name}\"")
