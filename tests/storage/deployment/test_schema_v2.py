"""Schema 2 adds the deployment tables: a version-1 database and a version-1 export are migrated."""

import json
import sqlite3
from pathlib import Path

from sqlalchemy import inspect, text

from storage import transfer
from storage.db import make_engine, session_scope
from storage.project import projects
from storage.tables import SCHEMA_VERSION

DEPLOYMENT_TABLES = ("deployment", "deployment_event", "deployment_window", "deployment_sample")
V1 = json.loads((Path(__file__).resolve().parents[1] / "schema_v1.json").read_text())


def as_version_1(path: Path) -> None:
    """Turn a current database into the version-1 schema: the deployment tables did not exist then."""
    with sqlite3.connect(path) as connection:
        for table in reversed(DEPLOYMENT_TABLES):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("UPDATE schema_info SET version = 1")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(V1)  # exactly the tables schema_v1.json lists


def test_a_version_1_database_opens_and_gains_the_deployment_tables(tmp_path):
    assert SCHEMA_VERSION == 2
    path = tmp_path / "v1.db"
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as s:
        projects.create_project(s, name="Kept")
    engine.dispose()
    as_version_1(path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == 2
        assert set(DEPLOYMENT_TABLES) <= set(inspect(connection).get_table_names())
    with session_scope(engine) as s:
        assert [p.name for p in projects.list_projects(s)] == ["Kept"]
    engine.dispose()


def test_a_version_1_export_imports_and_is_migrated(tmp_path):
    source = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    with session_scope(source) as s:
        project = projects.create_project(s, name="Old study")
    data = transfer.export_project(source, project.id)
    source.dispose()
    exported = tmp_path / "old.workbench"
    exported.write_bytes(data)
    as_version_1(exported)
    target = make_engine(f"sqlite:///{tmp_path / 'target.db'}")
    imported = transfer.import_project(target, exported.read_bytes())
    assert imported.name == "Old study"
    target.dispose()
