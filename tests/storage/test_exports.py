"""Dataset downloads read back with pandas/pyarrow equal what is stored; a Parquet one re-uploads to the same hash."""

import io
import json
from datetime import UTC, datetime

import pandas as pd
import pyarrow.parquet as pq
import pytest

from core.data.ingest import read_table
from core.data.hashing import content_hash
from core.data.reupload import recognise_download
from core.data.splits import make_splits
from storage.data.datasets import add_dataset_version, load_frame, load_split, save_split
from storage.db import session_scope
from storage.exports import ExportError, dataset_download
from storage.labeling.labels import current_labels, record_decision
from storage.project.projects import create_project

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
UPLOAD = (b"age,city,note,y\n31,Oslo,=1+1,yes\n45,Lima,fine,no\n22,Pune,-3 cats,yes\n"
          b"60,Oslo,@home,no\n38,Lima,,yes\n27,Pune,ok,no\n")


@pytest.fixture
def dataset(engine):
    frame = read_table(UPLOAD, "people.csv").frame
    with session_scope(engine) as s:
        project = create_project(s, name="Study: 2026/α")
        return add_dataset_version(s, project_id=project.id, name="people", frame=frame, source="upload",
                                   roles={"target": "y"})


def download(engine, dataset, **options):
    options = {"file_format": "csv", "with_labels": False, "with_split": False, "at": AT} | options
    with session_scope(engine) as s:
        return dataset_download(s, dataset.id, **options)


def stored(engine, dataset):
    with session_scope(engine) as s:
        return load_frame(s, dataset.id)


def test_a_parquet_download_reads_back_equal_and_re_uploads_to_the_same_content_hash(engine, dataset):
    data_file, _ = download(engine, dataset, file_format="parquet")
    read = pq.read_table(io.BytesIO(data_file.data)).to_pandas()
    pd.testing.assert_frame_equal(read, stored(engine, dataset))
    uploaded = recognise_download(read_table(data_file.data, data_file.file_name))  # as the upload reads it
    assert content_hash(uploaded.frame) == dataset.content_hash


def test_a_csv_download_holds_every_stored_value_with_formulas_neutralised(engine, dataset):
    data_file, _ = download(engine, dataset)
    read = pd.read_csv(io.BytesIO(data_file.data), index_col="row_id")
    expected = stored(engine, dataset)
    assert list(read.columns) == list(expected.columns)
    assert list(read.index) == list(expected.index)
    assert list(read["age"]) == list(expected["age"])
    assert list(read["note"].fillna("")) == ["'=1+1", "fine", "'-3 cats", "'@home", "", "ok"]


def test_labels_and_split_are_joined_by_row_id(engine, dataset):
    with session_scope(engine) as s:
        record_decision(s, dataset_id=dataset.id, row_id=1, value="yes", source="review")
        split = save_split(s, dataset_id=dataset.id, strategy="random", seed=0, fractions=(0.5, 0.25, 0.25),
                           assignment=make_splits(load_frame(s, dataset.id), strategy="random",
                                                  fractions=(0.5, 0.25, 0.25)))
        expected_labels, expected_split = current_labels(s, dataset.id), load_split(split)
    data_file, side = download(engine, dataset, with_labels=True, with_split=True)
    read = pd.read_csv(io.BytesIO(data_file.data), index_col="row_id")
    assert list(read["current_label"]) == list(expected_labels.labels.reindex(read.index))
    assert list(read["current_label"]) == ["yes", "yes", "yes", "no", "yes", "no"]  # row 1 decided "yes"
    assert list(read["split"]) == list(expected_split.reindex(read.index))
    sidecar = json.loads(side.data)
    assert sidecar["label_snapshot_hash"] == expected_labels.snapshot_hash
    assert sidecar["added_columns"] == {"label": "current_label", "split": "split"}
    assert sidecar["split_strategy"] == "random"


def test_the_sidecar_names_the_version_its_hash_and_roles(engine, dataset):
    data_file, side = download(engine, dataset, file_format="parquet")
    sidecar = json.loads(side.data)
    assert {k: sidecar[k] for k in ("project", "dataset", "version", "parent", "content_hash", "roles", "rows")} == {
        "project": "Study: 2026/α", "dataset": "people", "version": 1, "parent": None,
        "content_hash": dataset.content_hash, "roles": {"target": "y"}, "rows": 6}
    assert sidecar["columns"] == ["row_id", "age", "city", "note", "y"]
    assert sidecar["exported_at"] == "2026-01-02T03:04:05+00:00"


def test_file_names_carry_project_version_and_time_with_user_text_made_safe(engine, dataset):
    data_file, side = download(engine, dataset, file_format="parquet")
    assert data_file.file_name == "Study-2026_people-v1_20260102-030405Z.parquet"
    assert side.file_name == "Study-2026_people-v1_20260102-030405Z.json"


def test_a_child_version_names_its_parent(engine, dataset):
    with session_scope(engine) as s:
        child = add_dataset_version(s, project_id=dataset.project_id, name="people", source="cleaned",
                                    frame=load_frame(s, dataset.id).drop(columns=["note"]), parent_id=dataset.id)
    _, side = download(engine, child)
    assert json.loads(side.data)["parent"] == "people v1"


def test_an_added_column_does_not_overwrite_a_column_of_the_same_name(engine):
    frame = read_table(b"split,y\na,1\nb,2\n", "d.csv").frame
    with session_scope(engine) as s:
        project = create_project(s, name="Clash")
        dataset = add_dataset_version(s, project_id=project.id, name="d", frame=frame, source="upload",
                                      roles={"target": "y"})
        save_split(s, dataset_id=dataset.id, strategy="random", seed=0, fractions=(0.5, 0.5),
                   assignment=pd.Series(["train", "dev"], index=frame.index))
    read = pd.read_csv(io.BytesIO(download(engine, dataset, with_split=True)[0].data), index_col="row_id")
    assert list(read["split"]) == ["a", "b"]
    assert list(read["split.1"]) == ["train", "dev"]


def test_without_a_split_or_labels_the_download_is_refused_with_the_fix(engine, dataset):
    with pytest.raises(ExportError, match="no split to add: make one on the Splits tab"):
        download(engine, dataset, with_split=True)
    frame = read_table(b"a,b\n1,2\n3,4\n", "d.csv").frame
    with session_scope(engine) as s:
        bare = add_dataset_version(s, project_id=dataset.project_id, name="bare", frame=frame, source="upload")
    with pytest.raises(ExportError, match="no labels to add: choose its target on the Roles tab"):
        download(engine, bare, with_labels=True)
