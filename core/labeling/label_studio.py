"""Label Studio's JSON export format: the app's labels written as tasks, and such a file read back.

The format is Label Studio's documented "JSON format of annotated tasks" (HumanSignal/label-studio,
docs/source/includes/task_format.md and result_format.md): a list of tasks, each with `id`,
`data` (the item's fields) and `annotations`; an annotation has `completed_by`, `result`,
`was_cancelled`, `ground_truth` and `lead_time` (seconds spent); a classification result is
`{"from_name", "to_name", "type": "choices", "value": {"choices": [<class>]}}`.

`completed_by` is written as Label Studio's own export writes it (label_studio/data_export/
serializers.py, CompletedBySerializer: id, email, first_name, last_name), because its import
matches annotators by that e-mail (tasks/serializers.py, `_insert_valid_completed_by`). The app
knows no e-mail addresses, so each labeler gets `labeler-<n>@workbench.invalid` (`.invalid` is
reserved and never a real address, RFC 2606) and the name in `first_name`.

Reading accepts what Label Studio writes and what its documentation shows: `completed_by` as
that object or as a bare user id, and the row named by `data.row_id` (which survives a trip
through Label Studio, whose own task ids are new) or else by the task's `id`. A skipped task is
an annotation with `was_cancelled: true`; those are counted and left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.data.export import free_name
from core.labeling.consensus import UNCLEAR

ROW_KEY = "row_id"
FROM_NAME, TO_NAME = "label", "item"
EMAIL = "labeler-{n}@workbench.invalid"
MAX_IMPORT_MB = 100
SHOWN = 5  # problems named in a refusal; the rest are counted
IMPORTED_STRATEGY = "imported"
ANNOTATION_COLUMNS = ["row_id", "annotator", "value", "seconds", "decision"]

NOT_JSON = ("The file is not JSON ({reason}). Upload the file Label Studio's Export → JSON writes: a list "
            "of tasks.")
EMPTY = "The file is empty. Upload the file Label Studio's Export → JSON writes: a list of tasks."
TOO_BIG = "The file is {mb:,.0f} MB; at most {cap} MB of tasks can be imported at once. Export fewer tasks."
NOT_TASKS = ("The file holds {found}, not a list of tasks. Label Studio's JSON export is a list of tasks "
             "(`[{{\"id\": …, \"data\": {{…}}, \"annotations\": […]}}, …]`); JSON-MIN and CSV exports cannot "
             "be imported.")
NO_TASKS = "The file holds no tasks. Export the project's annotated tasks from Label Studio."
BAD_TASK = "Task {n} of the file is {problem}. Each task needs `data` with `row_id`, or a whole-number `id`."
BAD_ANNOTATION = ("The task of row {task}: an annotation by {who} {problem}. Only single-choice classification "
                  "(a `choices` result with one class) can be imported.")
NO_ANNOTATIONS = ("The file holds no annotations to import ({cancelled} skipped or cancelled were left out). "
                  "Annotate the tasks in Label Studio, then export again.")
UNKNOWN_ROWS = ("{count} task(s) name rows that dataset {name} v{version} does not have: row {rows}. Import "
                "the file into the dataset version its tasks were exported from; nothing was stored.")
UNKNOWN_CLASSES = ("{count} class(es) in the file are not label classes of this project ({classes}): {found}. "
                   "Add them to the guideline on the Consistency section, or fix them in Label Studio; nothing "
                   "was stored.")


class LabelStudioError(ValueError):
    """A Label Studio file was refused; the message names the problem and the fix."""


@dataclass(frozen=True)
class ParsedImport:
    """The annotations of a Label Studio export, one row each (see ANNOTATION_COLUMNS), and what was left out."""

    annotations: pd.DataFrame
    tasks: int
    cancelled: int
    without_annotations: int


# --- writing --------------------------------------------------------------------------------


def export_tasks(items: pd.DataFrame, effective: pd.DataFrame) -> list[dict[str, Any]]:
    """Return one task per labeled item: its fields and row id as `data`, each labeler's label as an annotation.

    `items` holds the rows to write, indexed by row_id; `effective` each labeler's current label
    (row_id, labeler, value, seconds, decision, created_at), as `effective_labels` gives it.
    """
    numbers = {name: n for n, name in enumerate(dict.fromkeys(effective["labeler"]), start=1)}
    by_row = {row: part for row, part in effective.groupby("row_id", sort=True)}
    records = _data_records(items.loc[[r for r in items.index if r in by_row]])
    tasks = []
    for row_id, data in records:
        annotations = [_annotation(label, numbers[label.labeler], row_id) for label in by_row[row_id].itertuples()]
        tasks.append({"id": int(row_id), "data": data, "annotations": annotations, "predictions": []})
    return _numbered_annotations(tasks)


def _data_records(items: pd.DataFrame) -> list[tuple[int, dict[str, Any]]]:
    """Return (row_id, JSON-ready fields) per row; a data column called `row_id` is renamed `row_id.1`."""
    renamed = items.rename(columns={c: free_name(str(c), set(map(str, items.columns)) | {ROW_KEY})
                                    for c in items.columns if str(c) == ROW_KEY})
    # pandas turns NaN into null, numpy numbers into JSON numbers and timestamps into ISO text.
    fields = json.loads(renamed.to_json(orient="records", date_format="iso"))
    return [(int(row), {**record, ROW_KEY: int(row)}) for row, record in zip(items.index, fields)]


def _annotation(label: Any, number: int, row_id: int) -> dict[str, Any]:
    result = {"id": f"r{row_id}-{number}", "from_name": FROM_NAME, "to_name": TO_NAME, "type": "choices",
              "value": {"choices": [str(label.value)]}}
    return {"completed_by": {"id": number, "email": EMAIL.format(n=number), "first_name": str(label.labeler),
                             "last_name": ""},
            "result": [result], "was_cancelled": False, "ground_truth": bool(label.decision),
            "lead_time": float(label.seconds), "created_at": pd.Timestamp(label.created_at).isoformat()}


def _numbered_annotations(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    number = 0
    for task in tasks:
        for annotation in task["annotations"]:
            number += 1
            annotation["id"], annotation["task"] = number, task["id"]
    return tasks


# --- reading --------------------------------------------------------------------------------


def parse_export(data: bytes, *, default_annotator: str) -> ParsedImport:
    """Return the annotations of a Label Studio JSON export; refuse a file that is not one.

    An annotation without `completed_by` is the importing user's, as Label Studio's own import has it.
    """
    tasks = _tasks(data)
    rows, cancelled, bare = [], 0, 0
    for n, task in enumerate(tasks, start=1):
        row_id = _row_id(task, n)
        annotations = task.get("annotations") or []
        bare += not annotations
        for annotation in annotations:
            if not isinstance(annotation, dict):
                raise LabelStudioError(BAD_TASK.format(n=n, problem="holding an annotation that is not an object"))
            if annotation.get("was_cancelled"):
                cancelled += 1
                continue
            who = annotator_name(annotation.get("completed_by"), default=default_annotator)
            rows.append((row_id, who, _choice(annotation, row_id, who), _seconds(annotation),
                         annotation.get("ground_truth") is True))
    if not rows:
        raise LabelStudioError(NO_ANNOTATIONS.format(cancelled=cancelled))
    return ParsedImport(pd.DataFrame(rows, columns=ANNOTATION_COLUMNS), len(tasks), cancelled, bare)


def _tasks(data: bytes) -> list[dict[str, Any]]:
    if len(data) > MAX_IMPORT_MB * 1024 * 1024:
        raise LabelStudioError(TOO_BIG.format(mb=len(data) / 1024 / 1024, cap=MAX_IMPORT_MB))
    if not data.strip():
        raise LabelStudioError(EMPTY)
    try:
        tasks = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LabelStudioError(NOT_JSON.format(reason=_reason(error))) from error
    if not isinstance(tasks, list):
        raise LabelStudioError(NOT_TASKS.format(found=_described(tasks)))
    if not tasks:
        raise LabelStudioError(NO_TASKS)
    return tasks


def _reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno}, column {error.colno}"
    return "it is not UTF-8 text"


def _described(value: Any) -> str:
    return {dict: "one object", str: "text", bool: "true/false", type(None): "null"}.get(type(value), "a number")


def _row_id(task: Any, n: int) -> int:
    if not isinstance(task, dict):
        raise LabelStudioError(BAD_TASK.format(n=n, problem=f"{_described(task)}, not an object"))
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    row_id = data.get(ROW_KEY, task.get("id"))
    if isinstance(row_id, bool) or not isinstance(row_id, (int, float)) or row_id != int(row_id):
        raise LabelStudioError(BAD_TASK.format(n=n, problem=f"without a whole-number row id (found {row_id!r})"))
    return int(row_id)


def annotator_name(completed_by: Any, *, default: str) -> str:
    """Return the labeler an annotation's `completed_by` names: first and last name, else e-mail, else id."""
    if completed_by is None:
        return default
    if isinstance(completed_by, dict):
        name = " ".join(f"{completed_by.get(k) or ''}" for k in ("first_name", "last_name")).strip()
        return name or str(completed_by.get("email") or f"Label Studio user {completed_by.get('id')}")
    return f"Label Studio user {completed_by}"


def _choice(annotation: dict[str, Any], row_id: int, who: str) -> str:
    results = annotation.get("result")
    choices = [r for r in results if isinstance(r, dict) and r.get("type") == "choices"] \
        if isinstance(results, list) else []
    if len(choices) != 1 or len(results) != 1:
        problem = "holds no `choices` result" if not choices else "holds more than one result"
        raise LabelStudioError(BAD_ANNOTATION.format(task=row_id, who=who, problem=problem))
    values = (choices[0].get("value") or {}).get("choices")
    if not isinstance(values, list) or len(values) != 1 or not isinstance(values[0], (str, int, float)):
        raise LabelStudioError(BAD_ANNOTATION.format(task=row_id, who=who,
                                                     problem="does not choose exactly one class"))
    return str(values[0]).strip()


def _seconds(annotation: dict[str, Any]) -> float:
    lead_time = annotation.get("lead_time")
    if isinstance(lead_time, bool) or not isinstance(lead_time, (int, float)) or not lead_time >= 0:
        return 0.0
    return round(float(lead_time), 2)


def check_rows_and_classes(parsed: ParsedImport, *, row_ids: pd.Index, classes: list[str], name: str,
                           version: int) -> None:
    """Refuse annotations naming rows the dataset version lacks or classes the project does not have."""
    annotations = parsed.annotations
    unknown_rows = sorted(set(annotations["row_id"]) - set(row_ids))
    if unknown_rows:
        raise LabelStudioError(UNKNOWN_ROWS.format(count=len(unknown_rows), name=name, version=version,
                                                   rows=_first_few(unknown_rows)))
    unknown = sorted(set(annotations["value"]) - {*classes, UNCLEAR})
    if unknown:
        raise LabelStudioError(UNKNOWN_CLASSES.format(count=len(unknown), classes=", ".join(classes),
                                                      found=_first_few([f"“{c}”" for c in unknown])))


def _first_few(values: list) -> str:
    shown = ", ".join(map(str, values[:SHOWN]))
    return shown + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")
