"""A database of schema version 1, built from the committed snapshot of that version, to test migrations.

The tables have version 1's columns and nullability; `id` (or a table's first column) is the primary
key. Rows are inserted with every column not given filled by a plain value of its type.
"""

import json
import sqlite3
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("schema_v1.json")
FILLERS = {"INTEGER": 0, "FLOAT": 0.0, "BOOLEAN": 0, "JSON": "{}", "DATETIME": "2026-01-05 10:00:00.000000",
           "BLOB": b""}


def columns_v1() -> dict[str, list[tuple[str, str, bool]]]:
    """Return table -> [(column, type, nullable)] of schema version 1."""
    tables = json.loads(SNAPSHOT.read_text())
    return {table: [(c.split()[0], c.split()[1], c.endswith(" null") and not c.endswith("not null")) for c in cols]
            for table, cols in tables.items()}


def make_v1_database(path: Path) -> None:
    """Create an empty schema-1 database at `path`."""
    with sqlite3.connect(path) as connection:
        for table, cols in columns_v1().items():
            key = "id" if any(name == "id" for name, _, _ in cols) else cols[0][0]
            defs = [f'"{name}" {kind}{" PRIMARY KEY" if name == key else ""}{"" if nullable else " NOT NULL"}'
                    for name, kind, nullable in cols]
            connection.execute(f'CREATE TABLE "{table}" ({", ".join(defs)})')
        connection.execute("INSERT INTO schema_info (id, version, updated_at) VALUES (1, 1, ?)", (FILLERS["DATETIME"],))


def insert_v1(path: Path, table: str, **values) -> None:
    """Insert one row into a schema-1 table, filling the columns not given."""
    row = {}
    for name, kind, nullable in columns_v1()[table]:
        if name in values:
            value = values[name]
            row[name] = json.dumps(value) if kind == "JSON" and not isinstance(value, str) else value
        elif not nullable:
            row[name] = "" if kind.startswith("VARCHAR") else FILLERS[kind]
    names = ", ".join(f'"{n}"' for n in row)
    with sqlite3.connect(path) as connection:
        connection.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(row))})', list(row.values()))
