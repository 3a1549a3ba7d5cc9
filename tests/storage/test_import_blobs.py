"""Hostile blobs in project files: content hashes recomputed, every blob read back, sizes capped."""

import hashlib
import sqlite3

import pandas as pd
import pytest

from storage import transfer
from storage.data import datasets
from storage.data.datasets import frame_to_parquet, parquet_to_frame
from storage.db import session_scope
from tests.storage.import_factories import full_project_export, tampered
from tests.storage.test_import_checks import refused


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return full_project_export(tmp_path_factory.mktemp("source"))


def stored(data, tmp_path, query):
    path = tmp_path / "read.db"
    path.write_bytes(data)
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchone()[0]


def rows_of(export, tmp_path) -> pd.DataFrame:
    return parquet_to_frame(stored(export, tmp_path, "SELECT parquet FROM dataset_blob"))


def set_blob(frame: pd.DataFrame):
    return ("UPDATE dataset_blob SET parquet = ?", (frame_to_parquet(frame),))


def test_a_file_claiming_another_projects_hash_with_altered_rows_changes_nothing(export, engine, tmp_path):
    first = transfer.import_project(engine, export)
    with session_scope(engine) as s:
        (dataset,) = datasets.list_datasets(s, first.id)
        before = datasets.load_frame(s, dataset.id)
    altered = before.copy()
    altered["x1"] = 999.0
    # The file keeps the hash of the project already imported, and carries other rows under it.
    bad = tampered(export, tmp_path, set_blob(altered))
    assert stored(bad, tmp_path, "SELECT content_hash FROM dataset") == dataset.content_hash
    refused(engine, bad, "dataset version 1", "do not match its content hash")
    with session_scope(engine) as s:
        pd.testing.assert_frame_equal(datasets.load_frame(s, dataset.id), before)


def test_a_changed_hash_over_unchanged_rows_is_refused(export, engine, tmp_path):
    bad = tampered(export, tmp_path, "UPDATE dataset SET content_hash = 'feed'")
    refused(engine, bad, "do not match its content hash")


def test_the_hash_is_recomputed_not_trusted_so_an_honest_copy_still_imports(export, engine):
    project = transfer.import_project(engine, export)
    with session_scope(engine) as s:
        (dataset,) = datasets.list_datasets(s, project.id)
        assert dataset.content_hash == datasets.content_hash(datasets.load_frame(s, dataset.id))


def more_rows(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    bigger = pd.concat([frame] * (n // len(frame) + 1)).head(n)
    bigger.index = pd.RangeIndex(n, name="row_id")
    return bigger


# Each case: the tampering, and a phrase the refusal must hold.
HOSTILE_BLOBS = {
    "not parquet": (lambda f: ("UPDATE dataset_blob SET parquet = ?", (b"PK\x03\x04 a zip, not Parquet",)),
                    "is not a readable Parquet file"),
    "more rows than claimed": (lambda f: set_blob(more_rows(f, 2000)), "holds 2,000 rows"),
    "claim of more rows": (lambda f: "UPDATE dataset SET n_rows = 569", "record says 569 rows"),
    "claim of more columns": (lambda f: "UPDATE dataset SET n_columns = 9", "and 10"),
    "empty column kinds": (lambda f: "UPDATE dataset SET column_kinds = '{}'", "column kinds"),
    "kinds of other columns": (lambda f: """UPDATE dataset SET column_kinds = json_remove(column_kinds, '$.y')""",
                               "column kinds"),
    "target naming a missing column": (lambda f: """UPDATE dataset SET roles = '{"target": "outcome"}'""",
                                       "name the column 'outcome'"),
    "sensitive naming a missing column": (lambda f: """UPDATE dataset SET roles = '{"sensitive": ["race"]}'""",
                                          "name the column 'race'"),
    "no stored rows": (lambda f: "DELETE FROM dataset_blob", "has no stored rows"),
    "split of other rows": (lambda f: ("UPDATE split SET assignment = ?", (frame_to_parquet(
        pd.Series(["train"] * len(f), index=f.index + 1000, name="split").to_frame()),)),
                            "does not assign exactly the rows"),
    "split with another label": (lambda f: ("UPDATE split SET assignment = ?", (frame_to_parquet(
        pd.Series(["holdout"] * len(f), index=f.index, name="split").to_frame()),)),
                                 "other splits or counts"),
    "split counts altered": (lambda f: """UPDATE split SET counts = '{"train": 100, "dev": 10, "test": 10}'""",
                             "other splits or counts"),
    "split not parquet": (lambda f: ("UPDATE split SET assignment = ?", (b"\x00" * 64,)), "split 1 is not a readable"),
    "predictions not parquet": (lambda f: ("UPDATE prediction SET parquet = ?", (b"junk",)),
                                "predictions 1 is not a readable"),
    "predictions row count": (lambda f: "UPDATE prediction SET n_rows = 5", "record says 5 rows"),
    "model checksum": (lambda f: "UPDATE model_artifact SET sha256 = 'beef'", "matching its checksum"),
    "model format": (lambda f: "UPDATE model_artifact SET format = 'pickle'", "matching its checksum"),
    "model unreadable": (lambda f: ("UPDATE model_artifact SET data = ?, sha256 = ?",
                                    (b"junk", hashlib.sha256(b"junk").hexdigest())), "model of run 1 cannot be read"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_BLOBS))
def test_a_blob_that_is_not_what_its_row_says_is_refused(export, engine, tmp_path, case):
    edit, phrase = HOSTILE_BLOBS[case]
    refused(engine, tampered(export, tmp_path, edit(rows_of(export, tmp_path))), phrase, "Nothing was imported")


def test_a_blob_over_the_cell_cap_is_refused_before_it_is_decoded(export, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MAX_CELLS", "500")
    refused(engine, export, "120 rows × 7 columns", "at most 500 cells", "WORKBENCH_MAX_CELLS")


def test_a_blob_over_the_size_cap_is_refused_unread(export, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MAX_BLOB_MB", "1")
    zeros = b"\x00" * (3 * 1024 * 1024)
    bad = tampered(export, tmp_path, ("UPDATE dataset_blob SET parquet = ?", (zeros,)))
    refused(engine, bad, "takes 3 MB", "at most 1 MB", "WORKBENCH_MAX_BLOB_MB")


def test_the_default_caps(monkeypatch):
    from storage.import_blobs import import_size_caps
    monkeypatch.delenv("WORKBENCH_MAX_CELLS", raising=False)
    monkeypatch.delenv("WORKBENCH_MAX_BLOB_MB", raising=False)
    assert import_size_caps().max_cells == 50_000_000
    assert import_size_caps().max_bytes == 200 * 1024 * 1024
