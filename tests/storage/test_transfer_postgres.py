"""A project exported from SQLite imports into PostgreSQL and back, equal in every table and cell."""

import json
import sqlite3
from pathlib import Path

from sqlalchemy import JSON

from storage import transfer
from storage.db import make_engine
from storage.project.tables import Project
from storage.tables import project_tables
from tests.storage.import_factories import full_project_export

IMPORT_EVENT = "imported project"
# What an import changes on purpose: the event it logs is the project's latest activity.
SET_BY_IMPORT = {("project", "last_activity")}


def test_a_full_project_goes_sqlite_to_postgresql_and_back_unchanged(postgres_url, tmp_path):
    from_sqlite = full_project_export(tmp_path)
    server = make_engine(postgres_url)
    back = make_engine(f"sqlite:///{tmp_path / 'back.db'}")
    try:
        on_server = transfer.import_project(server, from_sqlite)
        from_server = transfer.export_project(server, on_server.id)
        returned = transfer.import_project(back, from_server)
        from_back = transfer.export_project(back, returned.id)
    finally:
        server.dispose()
        back.dispose()
    original = cells(from_sqlite, tmp_path / "a.db")
    filled = [name for name, rows in original.items() if rows]
    assert sum(len(rows) for rows in original.values()) > 50 and {"dataset_blob", "run", "label", "audit"} <= set(filled)
    assert cells(from_server, tmp_path / "b.db") == original
    assert cells(from_back, tmp_path / "c.db") == original


def cells(export: bytes, path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of an export, ids replaced by their rank so two databases compare.

    Links are replaced by the rank of the row they point at; JSON is compared parsed; the
    "imported project" events that each import adds, and the activity time they set, are left out.
    """
    path.write_bytes(export)
    tables = [Project.__table__, *project_tables()]
    with sqlite3.connect(path) as connection:
        raw = {t.name: [dict(zip(t.c.keys(), row)) for row in connection.execute(
            f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in t.c.keys())} FROM "{t.name}" ORDER BY rowid')]
            for t in tables}
    raw["event"] = [row for row in raw["event"] if row["action"] != IMPORT_EVENT]
    rank = {name: {row["id"]: n for n, row in enumerate(rows)} for name, rows in raw.items()
            if rows and "id" in rows[0]}
    return {t.name: [tuple(_cell(t, column, row[column.name], rank) for column in t.c) for row in raw[t.name]]
            for t in tables}


def _cell(table, column, value, rank):
    if value is None or (table.name, column.name) in SET_BY_IMPORT:
        return None
    if column.primary_key and column.name == "id":
        return rank[table.name][value]
    for key in column.foreign_keys:
        return (key.column.table.name, rank[key.column.table.name][value])
    if isinstance(column.type, JSON) or isinstance(getattr(column.type, "impl", None), JSON):
        return json.loads(value)
    return value
