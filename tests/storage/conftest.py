import pytest

from storage.db import make_engine


@pytest.fixture
def engine(fresh_database_url):
    """A fresh database per test: a SQLite file, and (as a second run of the test) PostgreSQL."""
    engine = make_engine(fresh_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_database(database_kind, tmp_path, request):
    """An empty database without any schema: a SQLite file's path, or the URL of a PostgreSQL database."""
    if database_kind == "sqlite":
        yield tmp_path / "empty.db"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)
