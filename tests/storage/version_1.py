"""A database of schema version 1, built from the committed snapshot of that version, to test migrations.

The tables have version 1's columns and nullability; `id` (or a table's first column) is the primary
key. Rows are inserted with every column not given filled by a plain value of its type. The target is
a SQLite file (a Path) or a database URL (a str, PostgreSQL in the tests).
"""

import json
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

SNAPSHOT = Path(__file__).with_name("schema_v1.json")
FILLERS = {"INTEGER": 0, "FLOAT": 0.0, "BOOLEAN": False, "JSON": "{}", "DATETIME": "2026-01-05 10:00:00.000000",
           "BLOB": b""}
# Version 1 on PostgreSQL was made by SQLAlchemy's create_all: these are the types it chose there.
POSTGRES_TYPES = {"DATETIME": "TIMESTAMP WITHOUT TIME ZONE", "BLOB": "BYTEA", "FLOAT": "DOUBLE PRECISION"}


def columns_v1() -> dict[str, list[tuple[str, str, bool]]]:
    """Return table -> [(column, type, nullable)] of schema version 1."""
    tables = json.loads(SNAPSHOT.read_text())
    return {table: [(c.split()[0], c.split()[1], c.endswith(" null") and not c.endswith("not null")) for c in cols]
            for table, cols in tables.items()}


def url_of(target: Path | str) -> str:
    """Return the database URL of a target: a SQLite path, or already a URL."""
    return target if isinstance(target, str) else f"sqlite:///{target}"


def _engine(target: Path | str) -> Engine:
    return create_engine(url_of(target))


def _key(cols: list[tuple[str, str, bool]]) -> str:
    return "id" if any(name == "id" for name, _, _ in cols) else cols[0][0]


def _column_sql(name: str, kind: str, nullable: bool, *, key: bool, postgres: bool) -> str:
    if postgres:
        kind = "SERIAL" if key and kind == "INTEGER" else POSTGRES_TYPES.get(kind, kind)
    return f'"{name}" {kind}{" PRIMARY KEY" if key else ""}{"" if nullable else " NOT NULL"}'


def make_v1_database(target: Path | str) -> None:
    """Create an empty schema-1 database at `target` (a SQLite path, or the URL of an empty database)."""
    engine = _engine(target)
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        for table, cols in columns_v1().items():
            key = _key(cols)
            defs = [_column_sql(name, kind, nullable, key=name == key, postgres=postgres)
                    for name, kind, nullable in cols]
            connection.execute(text(f'CREATE TABLE "{table}" ({", ".join(defs)})'))
        connection.execute(text("INSERT INTO schema_info (id, version, updated_at) VALUES (1, 1, :t)"),
                           {"t": FILLERS["DATETIME"]})
    engine.dispose()


def insert_v1(target: Path | str, table: str, **values) -> None:
    """Insert one row into a schema-1 table, filling the columns not given."""
    row = {}
    for name, kind, nullable in columns_v1()[table]:
        if name in values:
            value = values[name]
            row[name] = json.dumps(value) if kind == "JSON" and not isinstance(value, str) else value
            row[name] = bool(value) if kind == "BOOLEAN" else row[name]
        elif not nullable:
            row[name] = "" if kind.startswith("VARCHAR") else FILLERS[kind]
    names = ", ".join(f'"{n}"' for n in row)
    engine = _engine(target)
    with engine.begin() as connection:
        connection.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(f":{n}" for n in row)})'), row)
        if engine.dialect.name == "postgresql" and "id" in row:
            # Rows given their ids leave the id sequence behind; the app's own inserts come after them.
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f'(SELECT max(id) FROM "{table}"))'))
    engine.dispose()
