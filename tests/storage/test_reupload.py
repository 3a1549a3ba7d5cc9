"""A dataset download uploaded again is the same version: the same content hash, in three scenarios —
a CSV alone, a CSV with added labels and split read with its sidecar, and a derived version (row ids
not 0, 1, 2, …) as Parquet and as CSV."""

import json

import pytest

from core.data.hashing import content_hash
from core.data.ingest import read_table
from core.data.reupload import recognise_download, read_sidecar
from core.data.schema import coerce_schema, infer_schema
from core.data.splits import make_splits
from storage.data.datasets import add_dataset_version, load_frame, save_split
from storage.db import session_scope
from storage.exports import dataset_download
from storage.project.projects import create_project
from tests.storage.test_exports import UPLOAD

PLAIN = b"age,city,joined,y\n31,Oslo,2024-01-05,yes\n45,Lima,2023-12-31,no\n22,Pune,,yes\n60,Oslo,2022-02-01,no\n"


def _stored_hash(frame):
    """The hash storing gives a read table: storing coerces the inferred kinds first (dates)."""
    return content_hash(coerce_schema(frame, infer_schema(frame)).frame)


def _version(engine, data, name="people", rows=None):
    frame = read_table(data, f"{name}.csv").frame
    frame = coerce_schema(frame, infer_schema(frame)).frame
    with session_scope(engine) as s:
        project = create_project(s, name=f"Study {name} {rows}")
        first = add_dataset_version(s, project_id=project.id, name=name, frame=frame, source="upload",
                                    roles={"target": "y"})
        if rows is None:
            return first
        return add_dataset_version(s, project_id=project.id, name=name, frame=frame.loc[rows], source="derived",
                                   roles={"target": "y"}, parent_id=first.id)


def _download(engine, dataset, **options):
    with session_scope(engine) as s:
        return dataset_download(s, dataset.id, **({"file_format": "csv", "with_labels": False,
                                                    "with_split": False} | options))


def test_a_csv_download_alone_re_uploads_to_the_same_hash(engine):
    dataset = _version(engine, PLAIN)
    data_file, _ = _download(engine, dataset)
    read = read_table(data_file.data, data_file.file_name)
    assert _stored_hash(read.frame) != dataset.content_hash  # as before: row_id an ordinary column
    recognised = recognise_download(read)
    assert list(recognised.frame.columns) == ["age", "city", "joined", "y"]
    assert _stored_hash(recognised.frame) == dataset.content_hash
    assert "Column row_id read as the row ids of a Workbench download (4 rows)" in recognised.notes


def test_a_csv_with_labels_split_and_formula_guards_re_uploads_with_its_sidecar_to_the_same_hash(engine):
    dataset = _version(engine, UPLOAD)
    with session_scope(engine) as s:
        frame = load_frame(s, dataset.id)
        save_split(s, dataset_id=dataset.id, strategy="random", seed=0, fractions=(0.5, 0.5),
                   assignment=make_splits(frame, strategy="random", fractions=(0.5, 0.25, 0.25), random_state=0))
    data_file, sidecar_file = _download(engine, dataset, with_labels=True, with_split=True)
    assert b"'=1+1" in data_file.data and b"current_label" in data_file.data
    sidecar = read_sidecar(sidecar_file.data)
    recognised = recognise_download(read_table(data_file.data, data_file.file_name), sidecar)
    assert list(recognised.frame.columns) == ["age", "city", "note", "y"]
    assert list(recognised.frame["note"].fillna("")) == ["=1+1", "fine", "-3 cats", "@home", "", "ok"]
    assert _stored_hash(recognised.frame) == dataset.content_hash
    assert "Content hash equals the sidecar's: this is people v1 exactly" in recognised.notes
    assert "Columns added by the download dropped, as its sidecar names them: current_label, split" in recognised.notes
    assert "Apostrophes the CSV download put before formula-like text taken off (3 cells)" in recognised.notes
    without = recognise_download(read_table(data_file.data, data_file.file_name))  # no sidecar: guards stay
    assert _stored_hash(without.frame) != dataset.content_hash


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_a_derived_version_keeps_its_row_ids_and_its_hash(engine, file_format):
    dataset = _version(engine, PLAIN, name="kept", rows=[1, 3])
    data_file, sidecar_file = _download(engine, dataset, file_format=file_format)
    recognised = recognise_download(read_table(data_file.data, data_file.file_name),
                                    read_sidecar(sidecar_file.data))
    assert list(recognised.frame.index) == [1, 3]
    assert _stored_hash(recognised.frame) == dataset.content_hash
    assert "Content hash equals the sidecar's: this is kept v2 exactly" in recognised.notes


def test_a_changed_file_or_another_sidecar_is_told_apart(engine):
    dataset = _version(engine, PLAIN)
    data_file, sidecar_file = _download(engine, dataset)
    changed = data_file.data.replace(b"Oslo", b"Bergen", 1)
    recognised = recognise_download(read_table(changed, "x.csv"), read_sidecar(sidecar_file.data))
    assert any(n.startswith("Content hash differs from the sidecar's (people v1)") for n in recognised.notes)
    other = json.loads(sidecar_file.data) | {"columns": ["row_id", "age", "town", "joined", "y"]}
    with pytest.raises(ValueError, match=r"lists other columns than the file \(missing town; not listed city\)"):
        recognise_download(read_table(data_file.data, "x.csv"), other)
    for bad, problem in ((b"not json", "it is not JSON"), (b"[1]", "it is not a JSON object"),
                         (b'{"dataset": "d"}', "“version” is missing or not int")):
        with pytest.raises(ValueError, match=problem):
            read_sidecar(bad)


def test_a_row_id_column_that_cannot_be_row_ids_stays_a_column():
    for column, problem in (("1,1", "repeated values (such as 1)"), ("1,x", "values that are not whole numbers"),
                            ("1,-2", "negative numbers"), ("1,", "missing values")):
        first, second = column.split(",")
        read = read_table(f"row_id,v\n{first},a\n{second},b\n".encode(), "x.csv")
        recognised = recognise_download(read)
        assert list(recognised.frame.columns) == ["row_id", "v"] and list(recognised.frame.index) == [0, 1]
        assert any(problem in n for n in recognised.notes), recognised.notes
