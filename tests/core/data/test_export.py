"""A version's download table: labels and split joined by row_id; Parquet re-reads to the same content hash."""

import pandas as pd
import pytest

from core.data.export import export_table, free_name
from core.data.hashing import content_hash
from core.data.ingest import read_table
from core.data.reupload import recognise_download
from core.data.scenarios import generate_scenario
from core.exports import parquet_bytes


@pytest.mark.parametrize("scenario", ["digits", "loan_approval", "breast_cancer"])
def test_a_scenario_downloaded_as_parquet_uploads_again_with_the_same_content_hash(scenario):
    frame = generate_scenario(scenario).frame
    table, added = export_table(frame)
    assert added == {}
    uploaded = recognise_download(read_table(parquet_bytes(table), "back.parquet"))  # as the upload reads it
    assert content_hash(uploaded.frame) == content_hash(frame)


def test_labels_and_split_line_up_by_row_id_and_leave_missing_rows_empty():
    frame = pd.DataFrame({"x": [1, 2, 3]}, index=pd.Index([4, 7, 9], name="row_id"))
    labels = pd.Series(["b", "a"], index=[9, 4])
    split = pd.Series(["train", "dev", "test", "train"], index=[9, 7, 4, 100])
    table, added = export_table(frame, labels=labels, split=split)
    assert added == {"label": "current_label", "split": "split"}
    assert table["current_label"].tolist()[:1] == ["a"] and pd.isna(table.loc[7, "current_label"])
    assert table.loc[9, "current_label"] == "b"
    assert table["split"].tolist() == ["test", "dev", "train"]
    assert list(frame.columns) == ["x"]  # the stored frame is not changed


def test_a_free_name_never_takes_an_existing_column():
    assert free_name("split", {"split", "split.1"}) == "split.2"
    assert free_name("split", {"x"}) == "split"
