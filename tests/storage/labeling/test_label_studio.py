"""Label Studio JSON: the app's export re-imports to the same labels; a file written by hand from the
documented format imports as it says; bad files are refused whole."""

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import func
from sqlmodel import select

from core.labeling.label_set import effective_labels
from core.labeling.label_studio import LabelStudioError
from storage import transfer
from storage.data.datasets import add_dataset_version, list_datasets
from storage.db import make_engine, session_scope
from storage.labeling import batches, labels
from storage.labeling.label_studio import import_label_studio, label_studio_download
from storage.labeling.tables import Assignment, Label, LabelBatch, Labeler
from storage.project.projects import create_project
from tests.storage.factories import small_frame
from tests.storage.labeling.test_export import labeled  # noqa: F401 (a fixture)

AT = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)


def _dataset(engine, name, frame=None):
    with session_scope(engine) as s:
        project = create_project(s, name=name)
        return add_dataset_version(s, project_id=project.id, name="digits scan", frame=small_frame(30) if frame is None
                                   else frame, source="test", roles={"target": "y"})


def _labels(engine, dataset_id):
    with session_scope(engine) as s:
        made = effective_labels(labels.label_history(s, dataset_id))
        return (made[["row_id", "labeler", "value", "decision"]].sort_values(["row_id", "labeler"])
                .reset_index(drop=True), labels.current_labels(s, dataset_id).labels)


def _import(engine, dataset_id, data, actor="importer"):
    with session_scope(engine) as s:
        return import_label_studio(s, dataset_id=dataset_id, data=data, actor=actor)


def _counts(engine):
    with session_scope(engine) as s:
        return [s.exec(select(func.count()).select_from(t)).one() for t in (Label, Labeler, LabelBatch, Assignment)]


def test_an_export_built_by_the_app_reimports_to_the_same_labels(engine, labeled):
    with session_scope(engine) as s:
        file = label_studio_download(s, labeled.id, at=AT)
    assert file.file_name == "Labels_digits-scan-v1-label-studio_20260506-070809Z.json"
    frame = small_frame(30)
    frame.loc[frame.index[-5:], "y"] = None  # as the labeled fixture has it: classes 0.0 and 1.0
    target = _dataset(engine, "Elsewhere", frame)
    summary = _import(engine, target.id, file.data)
    (source_labels, source_current), (copied, copied_current) = _labels(engine, labeled.id), _labels(engine, target.id)
    pd.testing.assert_frame_equal(copied, source_labels)
    assert copied_current.astype(str).to_dict() == source_current.astype(str).to_dict()
    assert (summary.labels, summary.cancelled, sorted(summary.labelers)) == (21, 0, ["=cmd", "analyst", "ann"])
    assert summary.tasks == source_labels["row_id"].nunique() == 11  # the batch's ten items and the decided row;
    # the unlabeled rows are not tasks

    _import(engine, labeled.id, file.data)  # into the version it came from: later revisions, the same labels
    again, again_current = _labels(engine, labeled.id)
    pd.testing.assert_frame_equal(again, source_labels)
    assert again_current.to_dict() == source_current.to_dict()


def test_the_export_follows_the_documented_task_format(engine, labeled):
    with session_scope(engine) as s:
        tasks = json.loads(label_studio_download(s, labeled.id).data)
        history = labels.label_history(s, labeled.id)
    task = next(t for t in tasks if len(t["annotations"]) >= 2)
    assert set(task) == {"id", "data", "annotations", "predictions"}
    assert set(task["data"]) == {"x", "colour", "y", "row_id"} and task["data"]["row_id"] == task["id"]
    by = {a["completed_by"]["first_name"]: a for a in task["annotations"]}
    assert set(by) >= {"ann", "=cmd"}
    annotation = by["=cmd"]
    assert annotation["completed_by"]["email"].endswith("@workbench.invalid")
    assert annotation["result"] == [{"id": annotation["result"][0]["id"], "from_name": "label", "to_name": "item",
                                     "type": "choices", "value": {"choices": [annotation["result"][0]["value"]
                                                                              ["choices"][0]]}}]
    first = history[(history["row_id"] == task["id"]) & (history["labeler"] == "=cmd")].iloc[-1]
    assert annotation["result"][0]["value"]["choices"] == [first["value"]]
    assert annotation["lead_time"] == first["seconds"] and annotation["was_cancelled"] is False
    decisions = [a for t in tasks for a in t["annotations"] if a["ground_truth"]]
    assert len(decisions) == 1 and decisions[0]["completed_by"]["first_name"] == "analyst"


def _choice(value):
    return [{"id": "a1", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": [value]}}]


# Written by hand from Label Studio's documented task format (task_format.md): ids, data, annotations
# with completed_by (an object with e-mail and names, an object with an e-mail only, a bare user id),
# result, was_cancelled, ground_truth and lead_time.
HAND_WRITTEN = [
    {"id": 3, "data": {"text": "row three"}, "annotations": [
        {"id": 11, "completed_by": {"id": 1, "email": "mia@example.org", "first_name": "Mia", "last_name": "Roe"},
         "result": _choice("1"), "was_cancelled": False, "ground_truth": False, "lead_time": 4.25},
        {"id": 12, "completed_by": {"id": 2, "email": "li@example.org", "first_name": "", "last_name": ""},
         "result": _choice("0"), "was_cancelled": False, "ground_truth": False, "lead_time": 2.0},
        {"id": 13, "completed_by": 7, "result": _choice("1"), "was_cancelled": False, "lead_time": 1.5}]},
    {"id": 901, "data": {"text": "row four", "row_id": 4}, "annotations": [  # data.row_id names the row
        {"id": 14, "completed_by": {"id": 1, "email": "mia@example.org", "first_name": "Mia", "last_name": "Roe"},
         "result": _choice("0"), "was_cancelled": False, "ground_truth": False, "lead_time": 3.0},
        {"id": 15, "completed_by": 7, "result": _choice("1"), "was_cancelled": True, "lead_time": 9.0}]},
    {"id": 5, "data": {"text": "skipped"}, "annotations": [  # a skipped task: a cancelled empty annotation
        {"id": 16, "completed_by": {"id": 2, "email": "li@example.org"}, "result": [], "was_cancelled": True}]},
    {"id": 6, "data": {"text": "never opened"}, "annotations": []},
]


def test_a_file_written_from_the_documented_schema_imports_its_annotators_and_labels(engine):
    dataset = _dataset(engine, "By hand")
    summary = _import(engine, dataset.id, json.dumps(HAND_WRITTEN).encode())
    assert (summary.batch_number, summary.labels, summary.tasks) == (1, 4, 4)
    assert (summary.cancelled, summary.without_annotations) == (2, 1)
    assert summary.labelers == ["Mia Roe", "li@example.org", "Label Studio user 7"]
    with session_scope(engine) as s:
        history = labels.label_history(s, dataset.id)
        batch = batches.list_batches(s, dataset.id)[0]
        progress = batches.batch_progress(s, dataset.id)
    stored = {(r.row_id, r.labeler): (r.value, r.seconds, r.source) for r in history.itertuples()}
    assert stored == {(3, "Mia Roe"): ("1", 4.25, "label-studio"), (3, "li@example.org"): ("0", 2.0, "label-studio"),
                      (3, "Label Studio user 7"): ("1", 1.5, "label-studio"),
                      (4, "Mia Roe"): ("0", 3.0, "label-studio")}
    assert (batch.strategy, batch.size, batch.overlap) == ("imported", 2, 0.5)
    assert history["batch"].eq(1).all() and history["guideline_version"].eq(1).all()
    assert progress["done"].sum() == progress["assigned"].sum() == 4


def _refused(engine, dataset, data, *expected):
    before = _counts(engine)
    with pytest.raises(LabelStudioError) as refused:
        _import(engine, dataset.id, data)
    for text in expected:
        assert text in str(refused.value)
    assert _counts(engine) == before
    return str(refused.value)


def test_unknown_rows_and_classes_are_named_and_nothing_is_stored(engine):
    dataset = _dataset(engine, "Refusals")
    rows = [{"id": 100 + n, "annotations": [{"completed_by": 1, "result": _choice("1")}]} for n in range(7)]
    _refused(engine, dataset, json.dumps(HAND_WRITTEN[:1] + rows).encode(),
             "7 task(s)", "row 100, 101, 102, 103, 104 and 2 more", "digits scan v1")
    odd = [{"id": 1, "annotations": [{"completed_by": 1, "result": _choice("maybe")}]},
           {"id": 2, "annotations": [{"completed_by": 1, "result": _choice("cat")}]}]
    _refused(engine, dataset, json.dumps(HAND_WRITTEN[:1] + odd).encode(), "2 class(es)", "“cat”, “maybe”",
             "(0, 1)")


@pytest.mark.parametrize("data, expected", [
    (b"", "The file is empty"),
    (b"   \n", "The file is empty"),
    (b"id,label\n1,cat\n", "not JSON (Expecting value at line 1, column 1)"),
    (b"\xff\xfe[\x00", "not UTF-8 text"),
    (b'{"id": 1}', "holds one object, not a list of tasks"),
    (b"[]", "holds no tasks"),
    (b'[{"id": "three", "annotations": []}]', "without a whole-number row id"),
    (b'[{"id": 1, "annotations": [{"result": [], "was_cancelled": true}]}]', "no annotations to import (1 skipped"),
    (b'[{"id": 1, "annotations": [{"result": [{"type": "rectanglelabels", "value": {}}]}]}]', "holds no `choices`"),
    (json.dumps([{"id": 1, "annotations": [{"result": [{"type": "choices", "value": {"choices": ["0", "1"]}}]}]}])
     .encode(), "does not choose exactly one class"),
])
def test_a_file_that_is_not_a_label_studio_export_is_refused(engine, data, expected):
    _refused(engine, _dataset(engine, "Bad files"), data, expected)


def test_more_than_100_mb_of_tasks_is_refused_before_it_is_read(engine):
    task = json.dumps({"id": 1, "data": {"text": "x" * 1000}, "annotations": []}).encode()
    data = b"[" + b",".join([task] * (100 * 1024 + 1)) + b"]"
    _refused(engine, _dataset(engine, "Big"), data, f"The file is {len(data) / 2**20:.0f} MB; at most 100 MB of tasks")


def test_an_annotator_name_longer_than_a_labeler_name_is_refused(engine):
    long_name = [{"id": 1, "annotations": [{"completed_by": {"email": "x" * 41 + "@example.org"},
                                            "result": _choice("1")}]}]
    _refused(engine, _dataset(engine, "Long"), json.dumps(long_name).encode(), "longer than 40 characters")


def test_a_project_with_an_imported_batch_exports_and_imports_whole(engine, tmp_path):
    dataset = _dataset(engine, "Carried")
    _import(engine, dataset.id, json.dumps(HAND_WRITTEN).encode())
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    copy = transfer.import_project(other, transfer.export_project(engine, dataset.project_id))
    with session_scope(other) as s:
        [batch] = batches.list_batches(s, list_datasets(s, copy.id)[0].id)
        assert (batch.strategy, batch.size) == ("imported", 2)
    assert _labels(other, batch.dataset_id)[0].equals(_labels(engine, dataset.id)[0])
    other.dispose()


def test_the_file_name_keeps_only_safe_characters_of_user_text(engine):
    with session_scope(engine) as s:
        project = create_project(s, name="../Study: α/β")
        dataset = add_dataset_version(s, project_id=project.id, name="scan <1>", frame=small_frame(10),
                                      source="test", roles={"target": "y"})
        batch = batches.plan_batch(s, dataset_id=dataset.id, pool=labels.row_ids(s, dataset.id), size=1,
                                   strategy="random", labelers=["ann"], overlap=0.0, inputs=None, random_state=0)
        item = labels.next_assignment(s, batch_id=batch.id, labeler_id=batches.ensure_labeler(
            s, project_id=project.id, name="ann").id)
        labels.record_label(s, assignment_id=item.id, value="1", seconds=1.0)
        name = label_studio_download(s, dataset.id, at=AT).file_name
    assert name == "Study_scan-1-v1-label-studio_20260506-070809Z.json"
