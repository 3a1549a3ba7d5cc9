"""Label downloads read back with pandas: counts per labeler and class equal the database's."""

import io
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import func
from sqlmodel import select

from storage.data.datasets import add_dataset_version
from storage.db import session_scope
from storage.labeling import batches, labels
from storage.labeling.export import current_labels_download, label_history_download
from storage.labeling.tables import Label, Labeler
from storage.project.projects import create_project
from tests.storage.factories import small_frame

AT = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture
def labeled(engine):
    """Two labelers (one named like a formula) label ten items; one undo, one correction, one decision."""
    frame = small_frame(30)
    frame.loc[frame.index[-5:], "y"] = None
    with session_scope(engine) as s:
        project = create_project(s, name="Labels")
        dataset = add_dataset_version(s, project_id=project.id, name="digits scan", frame=frame, source="test",
                                      roles={"target": "y"})
        pool = labels.row_ids(s, dataset.id)
        batch = batches.plan_batch(s, dataset_id=dataset.id, pool=pool, size=10, strategy="random",
                                   labelers=["ann", "=cmd"], overlap=1.0, inputs=None, random_state=0)
        classes = batches.label_classes(s, dataset_id=dataset.id)
    for step in range(10):
        for name in ("ann", "=cmd"):
            _label(engine, batch, name, classes[(step + (name == "ann")) % 2], seconds=1.5 + step)
    with session_scope(engine) as s:
        ann = batches.ensure_labeler(s, project_id=project.id, name="ann")
        labels.undo_last_label(s, batch_id=batch.id, labeler_id=ann.id)
    _label(engine, batch, "ann", classes[0], seconds=4.0)
    with session_scope(engine) as s:
        labels.record_decision(s, dataset_id=dataset.id, row_id=int(pool[0]), value=classes[1], source="review")
    return dataset


def _label(engine, batch, name, value, seconds):
    with session_scope(engine) as s:
        labeler = batches.ensure_labeler(s, project_id=batch.project_id, name=name)
        item = labels.next_assignment(s, batch_id=batch.id, labeler_id=labeler.id)
        labels.record_label(s, assignment_id=item.id, value=value, seconds=seconds)


def test_the_history_counts_per_labeler_and_class_equal_the_database(engine, labeled):
    with session_scope(engine) as s:
        history = pd.read_csv(io.BytesIO(label_history_download(s, labeled.id).data), dtype={"label": str})
        expected = s.exec(select(Labeler.name, Label.value, func.count()).join(Labeler, Labeler.id == Label.labeler_id)
                          .where(Label.dataset_id == labeled.id).group_by(Labeler.name, Label.value)).all()
    expected = {("'=cmd" if name == "=cmd" else name, value if value is not None else "<undo>"): n
                for name, value, n in expected}
    counts = history.fillna({"label": "<undo>"}).groupby(["labeler", "label"]).size().to_dict()
    assert counts == expected
    assert len(history) == 23  # 20 labels, an undo, its correction, a decision


def test_the_history_keeps_revision_batch_seconds_and_guideline_version(engine, labeled):
    with session_scope(engine) as s:
        history = pd.read_csv(io.BytesIO(label_history_download(s, labeled.id).data), dtype={"label": str})
    assert list(history.columns) == ["row_id", "labeler", "batch", "revision", "label", "seconds",
                                     "guideline_version", "decision", "source", "recorded_at_utc"]
    undo, correction = history.iloc[20], history.iloc[21]
    assert (undo["labeler"], undo["revision"], pd.isna(undo["label"])) == ("ann", 2, True)
    assert (correction["revision"], correction["seconds"], correction["batch"]) == (3, 4.0, 1)
    assert history["seconds"].iloc[:2].tolist() == [1.5, 1.5]
    assert set(history["guideline_version"]) == {1}
    assert pd.isna(history["batch"].iloc[-1]) and bool(history["decision"].iloc[-1])


def test_the_current_label_set_equals_current_labels(engine, labeled):
    with session_scope(engine) as s:
        file = current_labels_download(s, labeled.id, at=AT)
        expected = labels.current_labels(s, labeled.id).labels
    read = pd.read_csv(io.BytesIO(file.data), index_col="row_id", dtype={"label": str})
    assert list(read.columns) == ["label"]
    assert read["label"].to_dict() == expected.astype(str).to_dict()
    assert file.file_name == "Labels_digits-scan-v1-current-labels_20260506-070809Z.csv"
