"""Label Studio tasks from labels and back: JSON-ready fields, annotator names, the row a task names."""

import json

import numpy as np
import pandas as pd
import pytest

from core.labeling.label_studio import LabelStudioError, annotator_name, export_tasks, parse_export


def _effective(rows):
    return pd.DataFrame(rows, columns=["row_id", "labeler", "value", "seconds", "decision", "created_at"])


def test_fields_become_json_values_and_a_column_named_row_id_is_kept_under_another_name():
    items = pd.DataFrame({"row_id": ["a", "b"], "x": [1.5, np.nan], "when": pd.to_datetime(["2024-01-05", None]),
                          "n": np.array([3, 4], dtype="int64")}, index=pd.Index([10, 11], name="row_id"))
    at = pd.Timestamp("2026-01-01", tz="UTC")
    tasks = export_tasks(items, _effective([(11, "ann", "cat", 2.5, False, at), (10, "bo", "dog", 1.0, True, at)]))
    assert [t["id"] for t in tasks] == [10, 11]
    assert tasks[1]["data"] == {"row_id.1": "b", "x": None, "when": None, "n": 4, "row_id": 11}
    assert tasks[0]["data"]["when"].startswith("2024-01-05T00:00:00")
    json.dumps(tasks, allow_nan=False)  # strictly JSON: no NaN, no numpy types
    [annotation] = tasks[0]["annotations"]
    assert annotation["completed_by"] == {"id": 2, "email": "labeler-2@workbench.invalid", "first_name": "bo",
                                          "last_name": ""}
    assert (annotation["ground_truth"], annotation["lead_time"], annotation["task"]) == (True, 1.0, 10)


def test_written_tasks_read_back_as_the_labels_they_hold():
    items = pd.DataFrame({"x": [1, 2, 3]}, index=pd.Index([0, 1, 2], name="row_id"))
    at = pd.Timestamp("2026-01-01", tz="UTC")
    rows = [(0, "ann", "cat", 2.0, False, at), (0, "bo", "dog", 3.25, False, at), (2, "bo", "unclear", 0.0, True, at)]
    parsed = parse_export(json.dumps(export_tasks(items, _effective(rows))).encode(), default_annotator="me")
    assert parsed.annotations.values.tolist() == [[0, "ann", "cat", 2.0, False], [0, "bo", "dog", 3.25, False],
                                                  [2, "bo", "unclear", 0.0, True]]
    assert (parsed.tasks, parsed.cancelled, parsed.without_annotations) == (2, 0, 0)


@pytest.mark.parametrize("completed_by, name", [
    ({"id": 3, "email": "a@b.org", "first_name": "Ana", "last_name": "Lee"}, "Ana Lee"),
    ({"id": 3, "email": "a@b.org", "first_name": "", "last_name": ""}, "a@b.org"),
    ({"id": 3}, "Label Studio user 3"),
    (10, "Label Studio user 10"),  # the documented form: a bare user id
    (None, "me"),  # Label Studio's import gives such an annotation to the importing user
])
def test_the_annotator_is_named_by_name_then_email_then_id(completed_by, name):
    assert annotator_name(completed_by, default="me") == name


def test_the_row_is_data_row_id_when_present_else_the_task_id():
    tasks = [{"id": 500, "data": {"row_id": 7}, "annotations": [{"completed_by": 1, "result": [
        {"type": "choices", "value": {"choices": [1]}}]}]},
             {"id": 8.0, "annotations": [{"result": [{"type": "choices", "value": {"choices": ["b"]}}]}]}]
    parsed = parse_export(json.dumps(tasks).encode(), default_annotator="me")
    assert parsed.annotations[["row_id", "value"]].values.tolist() == [[7, "1"], [8, "b"]]
    with pytest.raises(LabelStudioError, match="Task 1 of the file is without a whole-number row id"):
        parse_export(b'[{"id": 1.5, "annotations": []}]', default_annotator="me")
