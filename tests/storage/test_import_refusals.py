"""Hostile project files that used to end in a traceback or raw Python text: each refused in words."""

import pytest

from storage import transfer
from storage.data import datasets
from storage.db import session_scope
from tests.storage.import_factories import full_project_export, rebuilt_without, tampered
from tests.storage.test_import_checks import refused


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return full_project_export(tmp_path_factory.mktemp("source"))


def link(column: str) -> str:
    return rf", \s*FOREIGN KEY\({column}\) REFERENCES \w+ \(id\) ON DELETE [A-Z ]+?(?=,|\s*\))"


def copied_row(table: str):
    """Return an edit that adds a copy of the table's first row under a new id (numbers and all)."""
    def edit(connection) -> None:
        columns = [f'"{row[1]}"' for row in connection.execute(f"PRAGMA table_info({table})")]  # "case" is a keyword
        values = ", ".join(f"{column} + 100" if column == '"id"' else column for column in columns)
        connection.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} "
                           f"WHERE id = (SELECT min(id) FROM {table})")
    return edit


SECOND_VERSION = (
    "INSERT INTO dataset (id, project_id, name, version, parent_id, source, note, content_hash, n_rows, n_columns, "
    "column_kinds, roles, has_ground_truth, created_at) SELECT 2, project_id, name, 2, NULL, source, note, "
    "content_hash, n_rows, n_columns, column_kinds, roles, has_ground_truth, created_at FROM dataset WHERE id = 1"
)

HOSTILE_FILES = {
    "two schema_info rows": (
        ["INSERT INTO schema_info (id, version, updated_at) SELECT 2, version, updated_at FROM schema_info"],
        "records 2 schema versions"),
    "no schema_info row": (["DELETE FROM schema_info"], "records 0 schema versions"),
    "schema version as text": (["UPDATE schema_info SET version = 'one'"], "schema version is unreadable"),
    "dangling id without a declared link": (
        [rebuilt_without("assignment", link("labeler_id")), "UPDATE assignment SET labeler_id = 999 WHERE id = 1"],
        "points at labeler 999, which is not in the file"),
    "dangling self link": ([rebuilt_without("run", link("parent_run_id")), "UPDATE run SET parent_run_id = 999"],
                           "points at run 999"),
    "duplicate labels without the unique constraint": (
        [rebuilt_without("label", r", \s*UNIQUE \([^)]*\)"),
         "INSERT INTO label SELECT 2, project_id, dataset_id, row_id, labeler_id, batch_id, revision, value, seconds, "
         "guideline_version, decision, source, created_at FROM label WHERE id = 1"],
        "table label has rows that repeat one another"),
    "two audits with one number": (["DROP INDEX ix_audit_project_number", copied_row("audit")],
                                   "table audit has rows that repeat one another"),
    "two deployments with one number": (["DROP INDEX ix_deployment_project_number", copied_row("deployment")],
                                        "table deployment has rows that repeat one another"),
    "NULL project_id": ([rebuilt_without("event", r"(?<=project_id INTEGER) NOT NULL"),
                         "UPDATE event SET project_id = NULL"],
                        "table event has rows of no project"),
    "invalid JSON": (["UPDATE run SET config = '{not json'"], "column config: not valid JSON"),
    "NaN in JSON": (["""UPDATE run SET timings = '{"fit_seconds": NaN}'"""], "expected a number"),
    "bad datetime": (["UPDATE event SET t = 'yesterday'"], "'yesterday' is not a date and time"),
    "impossible date": (["UPDATE run SET created_at = '2024-13-45 10:00:00'"], "is not a date and time"),
    "number as datetime": (["UPDATE labeler SET created_at = 12345"], "expected a date and time"),
    "text in a number column": (["UPDATE label SET row_id = 'abc'"], "expected a whole number"),
    "text in a true/false column": (["UPDATE label SET decision = 'yes'"], "expected true or false"),
    "bytes as text": (["UPDATE labeler SET name = x'00ff' WHERE id = 1"], "expected text"),
    "overlong labeler name": (["UPDATE labeler SET name = printf('%.50c', 'x') WHERE id = 1"],
                              "50 characters long; at most 40 fit"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_a_hostile_file_is_refused_in_words_and_writes_nothing(export, engine, tmp_path, case):
    statements, phrase = HOSTILE_FILES[case]
    message = refused(engine, tampered(export, tmp_path, *statements), phrase)
    for raw in ("KeyError", "IntegrityError", "MultipleResultsFound", "JSONDecodeError", "INSERT INTO", "sqlite3"):
        assert raw not in message


def test_a_parent_version_with_a_higher_id_keeps_its_link(export, engine, tmp_path):
    edited = tampered(export, tmp_path, SECOND_VERSION,
                      "INSERT INTO dataset_blob SELECT 2, project_id, parquet, ground_truth FROM dataset_blob",
                      "UPDATE dataset SET parent_id = 2 WHERE id = 1")
    project = transfer.import_project(engine, edited)
    with session_scope(engine) as s:
        first, second = sorted(datasets.list_datasets(s, project.id), key=lambda d: d.version)
    assert (first.parent_id, second.parent_id) == (second.id, None)


@pytest.mark.parametrize("table, column", [
    ("run", "model"), ("run", "status"), ("registry_alias", "alias"), ("promotion", "alias"),
    ("baseline", "kind"), ("prediction", "split"), ("split", "strategy"), ("label_batch", "strategy"),
])
def test_a_value_outside_its_closed_set_is_refused(export, engine, tmp_path, table, column):
    from storage.import_rows import CLOSED_VALUES
    assert (table, column) in CLOSED_VALUES
    bad = tampered(export, tmp_path, f"UPDATE {table} SET {column} = 'pwned' WHERE rowid = (SELECT min(rowid) FROM {table})")
    refused(engine, bad, f"table {table}", f"column {column}", "'pwned' is not one of")


def test_every_closed_set_names_a_text_column():
    from sqlmodel import SQLModel
    from storage.import_rows import CLOSED_VALUES
    tables = {t.name: t for t in SQLModel.metadata.sorted_tables}
    for table, column in CLOSED_VALUES:
        assert column in tables[table].c
