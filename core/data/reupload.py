"""A dataset download uploaded again: its `row_id` column taken back as the row ids, and, given the
sidecar downloaded beside it, its added columns dropped and its formula guards taken off, so the
version it came from is recognised by its content hash.

A download (`core.data.export`) writes `row_id` as its first column, may add `current_label` and
`split` columns (named in the sidecar's `added_columns`), and in CSV puts an apostrophe before
text that a spreadsheet would run as a formula (`core.exports.formula_safe`). Read back as it is,
`row_id` would be an ordinary column and the version's rows would get new ids, so the content hash
(which covers the ids) could never match. Only the sidecar says for sure that a CSV is the app's
own, so only with it are apostrophes taken off; the hash it records then confirms the result.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pandas as pd

from core.data.hashing import content_hash
from core.data.ingest import IngestResult
from core.data.schema import coerce_schema, infer_schema
from core.exports import FORMULA_STARTS

ROW_ID = "row_id"
ROW_IDS_NOTE = "Column row_id read as the row ids of a Workbench download ({rows:,} rows)"
ROW_IDS_KEPT = ("Column row_id kept as an ordinary column: it holds {problem}, so it cannot be the row ids "
                "(new ids 0, 1, 2, … were given)")
ADDED_NOTE = "Columns added by the download dropped, as its sidecar names them: {names}"
GUARDS_NOTE = "Apostrophes the CSV download put before formula-like text taken off ({cells:,} cells)"
SAME_HASH = "Content hash equals the sidecar's: this is {dataset} v{version} exactly"
OTHER_HASH = ("Content hash differs from the sidecar's ({dataset} v{version}): the file was changed after it "
              "was downloaded, so it is stored as new content")
NOT_SIDECAR = ("The sidecar is not the JSON file downloaded beside a dataset ({problem}). Upload the .json file "
               "with the same name as the data file, or remove it.")
OTHER_COLUMNS = ("The sidecar lists other columns than the file ({problem}): it belongs to another download. "
                 "Upload the .json file downloaded with this data file, or remove it.")
SIDECAR_KEYS = {"dataset": str, "version": int, "content_hash": str, "columns": list, "added_columns": dict,
                "format": str}


def read_sidecar(data: bytes) -> dict[str, Any]:
    """Return a download's sidecar, or raise ValueError saying why the file is not one."""
    try:
        sidecar = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(NOT_SIDECAR.format(problem="it is not JSON")) from error
    if not isinstance(sidecar, dict):
        raise ValueError(NOT_SIDECAR.format(problem="it is not a JSON object"))
    for key, kind in SIDECAR_KEYS.items():
        if not isinstance(sidecar.get(key), kind) or isinstance(sidecar.get(key), bool):
            raise ValueError(NOT_SIDECAR.format(problem=f"“{key}” is missing or not {kind.__name__}"))
    return sidecar


def recognise_download(result: IngestResult, sidecar: dict[str, Any] | None = None) -> IngestResult:
    """Return the read table with a download's row ids back as its index (and, given its sidecar, as stored)."""
    frame, notes = result.frame, []
    if sidecar is not None:
        frame, notes = _as_the_sidecar_says(frame, sidecar, result.file_format)
    frame, row_note = _row_ids_from_column(frame)
    notes += [row_note] if row_note else []
    if sidecar is not None:
        notes.append(hash_note(frame, sidecar))
    return dataclasses.replace(result, frame=frame, notes=(*result.notes, *notes))


def _as_the_sidecar_says(frame: pd.DataFrame, sidecar: dict[str, Any], file_format: str
                         ) -> tuple[pd.DataFrame, list[str]]:
    names = list(map(str, frame.columns))
    expected = [str(c) for c in sidecar["columns"]]
    if file_format == "csv" and sidecar["format"] == "csv":
        names = [_unguarded(n) for n in names]
    if names != expected:
        missing, extra = [c for c in expected if c not in names], [c for c in names if c not in expected]
        problem = "; ".join(filter(None, [f"missing {', '.join(missing[:5])}" if missing else "",
                                          f"not listed {', '.join(extra[:5])}" if extra else ""])) or "another order"
        raise ValueError(OTHER_COLUMNS.format(problem=problem))
    frame, notes = frame.set_axis(names, axis=1), []
    added = [n for n in sidecar["added_columns"].values() if n in names]
    if added:
        frame = frame.drop(columns=added)
        notes.append(ADDED_NOTE.format(names=", ".join(added)))
    if file_format == "csv" and sidecar["format"] == "csv":
        frame, cells = _without_formula_guards(frame)
        notes += [GUARDS_NOTE.format(cells=cells)] if cells else []
    return frame, notes


def _is_guarded(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS)


def _unguarded(value: Any) -> Any:
    return value[1:] if _is_guarded(value) else value


def _without_formula_guards(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    frame, cells = frame.copy(), 0
    for name in frame.columns:
        column = frame[name]
        if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            continue
        guarded = column.map(_is_guarded).astype(bool)
        if guarded.any():
            frame[name] = column.mask(guarded, column[guarded].str[1:])
            cells += int(guarded.sum())
    return frame, cells


def _row_ids_from_column(frame: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    if ROW_ID not in frame.columns:
        return frame, None
    problem = _row_id_problem(frame[ROW_ID])
    if problem:
        return frame, ROW_IDS_KEPT.format(problem=problem)
    ids = pd.Index(frame[ROW_ID].astype("int64").to_numpy(), name=ROW_ID)
    return frame.drop(columns=[ROW_ID]).set_axis(ids, axis=0), ROW_IDS_NOTE.format(rows=len(frame))


def _row_id_problem(column: pd.Series) -> str | None:
    if column.isna().any():
        return "missing values"
    if not pd.api.types.is_integer_dtype(column):
        return "values that are not whole numbers"
    if (column < 0).any():
        return "negative numbers"
    if column.duplicated().any():
        return f"repeated values (such as {column[column.duplicated()].iloc[0]})"
    return None


def hash_note(frame: pd.DataFrame, sidecar: dict[str, Any]) -> str:
    """Return whether the table, as it would be stored, has the content hash the sidecar records."""
    stored = coerce_schema(frame, infer_schema(frame)).frame  # what storing hashes
    same = content_hash(stored) == sidecar["content_hash"]
    return (SAME_HASH if same else OTHER_HASH).format(dataset=sidecar["dataset"], version=sidecar["version"])
