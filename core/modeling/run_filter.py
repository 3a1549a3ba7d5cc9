"""Search the runs table as MLflow users do: conditions on metrics, parameters, model and tags, joined by "and".

A condition is ``column operator value`` — ``f1 > 0.8``, ``n_estimators >= 100``,
``model = knn``, ``tag = baseline``, ``notes ~ leak`` — with ``= != > >= < <=`` and ``~``
(contains, ignoring case). Words without an operator search the text columns (model, tags,
dataset, status, notes). A run without the column's value (a parameter of another model)
matches no comparison. Bad conditions are refused with a message naming the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

OPERATORS = ("!=", ">=", "<=", "=", ">", "<", "~")
TEXT_COLUMNS = ("model", "tags", "dataset", "status", "notes")
CONDITION = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(!=|>=|<=|=|>|<|~)\s*(.*?)\s*$")
AND = re.compile(r"\s+and\s+", flags=re.IGNORECASE)

UNKNOWN_COLUMN = "The runs table has no column “{name}”. Filter on one of: {names}."
NOT_A_NUMBER = "“{condition}”: {name} holds numbers, so compare it with a number, e.g. {name} > 0.8."
TEXT_ORDER = "“{condition}”: {name} holds text; use =, != or ~ (contains) with it, not {op}."
NO_VALUE = "“{condition}” has no value after {op}. Write one, e.g. {name} {op} 0.8."


class RunFilterError(ValueError):
    """A search condition that cannot be applied; the message names the problem and the fix."""


@dataclass(frozen=True)
class Condition:
    column: str | None  # None: free words searched in the text columns
    op: str
    value: str


def parse_filter(text: str, columns: list[str]) -> list[Condition]:
    """Return the conditions of a search text; raise RunFilterError naming a column the table lacks.

    >>> parse_filter("f1 > 0.8 and knn", ["f1", "model"])
    [Condition(column='f1', op='>', value='0.8'), Condition(column=None, op='~', value='knn')]
    """
    conditions = []
    for part in (p for p in AND.split(text.strip()) if p.strip()):
        found = CONDITION.match(part)
        if found is None:
            conditions.append(Condition(None, "~", part.strip()))
            continue
        name, op, value = found.groups()
        column = _column(name, columns)
        if not value:
            raise RunFilterError(NO_VALUE.format(condition=part.strip(), op=op, name=name))
        conditions.append(Condition(column, op, value.strip("'\"")))
    return conditions


def _column(name: str, columns: list[str]) -> str:
    by_lower = {c.lower(): c for c in columns} | {"tag": "tags", "run": "run"}
    if name.lower() not in by_lower:
        raise RunFilterError(UNKNOWN_COLUMN.format(name=name, names=", ".join(columns)))
    return by_lower[name.lower()]


def filter_runs(runs: pd.DataFrame, text: str) -> pd.DataFrame:
    """Return the rows of the runs table (index: run number) that meet every condition of `text`."""
    keep = np.ones(len(runs), dtype=bool)
    for condition in parse_filter(text, list(runs.columns)):
        keep &= _matches(runs, condition)
    return runs[keep]


def _matches(runs: pd.DataFrame, condition: Condition) -> np.ndarray:
    if condition.column is None:
        text = runs[[c for c in TEXT_COLUMNS if c in runs.columns]].astype(str).agg(" ".join, axis=1)
        return text.str.contains(condition.value, case=False, regex=False).to_numpy()
    values = pd.Series(runs.index, index=runs.index) if condition.column == "run" else runs[condition.column]
    if condition.column == "tags" and condition.op in ("=", "!="):
        has = values.fillna("").map(lambda tags: condition.value.lower() in [t.strip().lower() for t in tags.split(",")])
        return (has if condition.op == "=" else ~has).to_numpy()
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return _compare_numbers(values, condition)
    return _compare_text(values, condition)


def _compare_numbers(values: pd.Series, condition: Condition) -> np.ndarray:
    try:
        number = float(condition.value)
    except ValueError:
        raise RunFilterError(NOT_A_NUMBER.format(condition=_said(condition), name=condition.column)) from None
    numbers = values.astype(float).to_numpy()
    with np.errstate(invalid="ignore"):
        result = {"=": numbers == number, "!=": numbers != number, ">": numbers > number, ">=": numbers >= number,
                  "<": numbers < number, "<=": numbers <= number, "~": numbers == number}[condition.op]
    return result & ~np.isnan(numbers)


def _compare_text(values: pd.Series, condition: Condition) -> np.ndarray:
    if condition.op not in ("=", "!=", "~"):
        raise RunFilterError(TEXT_ORDER.format(condition=_said(condition), name=condition.column, op=condition.op))
    text = values.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)).str.lower()
    wanted = condition.value.lower()
    if condition.op == "~":
        return text.str.contains(wanted, regex=False).to_numpy()
    return (text == wanted).to_numpy() if condition.op == "=" else (text != wanted).to_numpy()


def _said(condition: Condition) -> str:
    return f"{condition.column} {condition.op} {condition.value}"
