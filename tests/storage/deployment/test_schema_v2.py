"""Schema 2 adds the deployment tables: a version-1 database is migrated and gains them.

A version-1 export's import is checked in tests/storage/test_migration_v2.py.
"""

from sqlalchemy import inspect, text

from storage.db import make_engine, session_scope
from storage.project import projects
from storage.tables import SCHEMA_VERSION
from tests.storage.version_1 import insert_v1, make_v1_database, url_of

DEPLOYMENT_TABLES = ("deployment", "deployment_event", "deployment_window", "deployment_sample")


def test_a_version_1_database_opens_and_gains_the_deployment_tables(empty_database):
    assert SCHEMA_VERSION == 2
    path = empty_database
    make_v1_database(path)  # the tables exactly as schema 1 had them
    insert_v1(path, "project", id=1, name="Kept", source="blank")
    engine = make_engine(url_of(path))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == 2
        assert set(DEPLOYMENT_TABLES) <= set(inspect(connection).get_table_names())
    with session_scope(engine) as s:
        assert [p.name for p in projects.list_projects(s)] == ["Kept"]
    engine.dispose()
