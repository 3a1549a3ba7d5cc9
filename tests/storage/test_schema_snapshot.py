"""The tables must not change under a released schema version.

A database records the schema version that wrote it, and the app migrates older ones. A table
or column changed without a new version would leave existing databases silently out of step.
If this test fails, raise SCHEMA_VERSION in storage/tables.py, add the step from the old version
to storage.db.MIGRATIONS, and write the new snapshot with
`python -m tests.storage.test_schema_snapshot`.
"""

import json
from pathlib import Path

from sqlmodel import SQLModel

from storage.tables import SCHEMA_VERSION

SNAPSHOT = Path(__file__).with_name(f"schema_v{SCHEMA_VERSION}.json")


def current_schema() -> dict[str, list[str]]:
    """Return every table's columns as 'name type nullable', then its indexes (from schema 2 on)."""
    return {
        table.name: [f"{c.name} {c.type} {'null' if c.nullable else 'not null'}" for c in table.columns]
        + sorted(_describe_index(index) for index in table.indexes)
        for table in SQLModel.metadata.sorted_tables
    }


def _describe_index(index) -> str:
    unique = "unique " if index.unique else ""
    return f"{unique}index {index.name} on ({', '.join(str(e) for e in index.expressions)})"


def test_tables_match_the_snapshot_of_this_schema_version():
    assert SNAPSHOT.exists(), f"no snapshot for schema version {SCHEMA_VERSION}: write {SNAPSHOT.name}"
    assert current_schema() == json.loads(SNAPSHOT.read_text())


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(current_schema(), indent=1, sort_keys=True) + "\n")
