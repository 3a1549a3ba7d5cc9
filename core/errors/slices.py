"""Slices as stored predicates: a conjunction of conditions on columns, readable as text.

A `SlicePredicate` is what fairness and monitoring reuse: store it with `to_json()`, read it back
with `SlicePredicate.from_json()`, and evaluate it on any frame holding its columns with
`slice_mask(frame, predicate)`. A condition on a tag reads the `tags` argument instead of a column.

>>> p = SlicePredicate((Condition("employment", "==", "self_employed"), Condition("income", "<", 28000)))
>>> p.text()
'employment == "self_employed" and income < 28,000'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "tagged"]
TAG = "tag"
DEFAULT_BINS = 4

UNKNOWN_OP = "“{op}” is not a slice condition; use one of: {ops}."
MISSING_COLUMN = ("The slice “{name}” reads the column “{column}”, which this data does not have. "
                  "Edit the slice, or pick a dataset version that has the column.")
READS_TAGS = ("The slice “{name}” reads error tags, which exist only on the Error analysis page, so {place} "
              "cannot place rows in it. Save a slice on columns to use it here.")
NO_CONDITIONS = "A slice needs at least one condition, for example region == \"North\"."
ONE_VALUE = ("The column “{column}” holds a single value, so it cannot be cut into ranges. "
             "Slice it by its value instead, or pick another column.")
NOT_NUMERIC = "The column “{column}” is not numeric, so it cannot be cut into ranges. Slice it by its values."
BAD_JSON = "A stored slice is not a list of conditions with column, op and value: {problem}."


class SliceError(ValueError):
    """A slice cannot be built or evaluated; the message names the problem and the fix."""


@dataclass(frozen=True)
class Condition:
    """One test on one column (or, with op "tagged", on a row's tags)."""

    column: str
    op: Op
    value: Any

    def __post_init__(self) -> None:
        if self.op not in get_args(Op):
            raise SliceError(UNKNOWN_OP.format(op=self.op, ops=", ".join(get_args(Op))))

    def text(self) -> str:
        if self.op == "tagged":
            return f"tagged {_value_text(self.value)}"
        return f"{self.column} {self.op} {_value_text(self.value)}"

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if self.op == "in" else self.value
        return {"column": self.column, "op": self.op, "value": _plain(value)}


@dataclass(frozen=True)
class SlicePredicate:
    """A slice: the rows meeting every condition."""

    conditions: tuple[Condition, ...]

    def __post_init__(self) -> None:
        if not self.conditions:
            raise SliceError(NO_CONDITIONS)

    def text(self) -> str:
        return " and ".join(c.text() for c in self.conditions)

    def columns(self) -> list[str]:
        return list(dict.fromkeys(c.column for c in self.conditions if c.op != "tagged"))

    def tags(self) -> list[str]:
        return [str(c.value) for c in self.conditions if c.op == "tagged"]

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self.conditions]

    @classmethod
    def from_json(cls, data: Sequence[Mapping[str, Any]]) -> SlicePredicate:
        """Return the predicate stored by `to_json`; raise SliceError when the JSON is not one."""
        try:
            conditions = tuple(Condition(str(d["column"]), d["op"], _read_value(d["op"], d["value"])) for d in data)
        except (KeyError, TypeError) as error:
            raise SliceError(BAD_JSON.format(problem=error)) from error
        return cls(conditions)

    def and_(self, other: SlicePredicate) -> SlicePredicate:
        return SlicePredicate(self.conditions + other.conditions)


def tag_predicate(tag: str) -> SlicePredicate:
    return SlicePredicate((Condition(TAG, "tagged", tag),))


def check_readable(predicate: SlicePredicate, *, name: str, columns: Iterable[str], place: str) -> None:
    """Raise SliceError when `place` (“the audit”, “monitoring”) cannot evaluate the slice on data with
    `columns`: it reads error tags, which live only with Error analysis, or a column the data lack."""
    if predicate.tags():
        raise SliceError(READS_TAGS.format(name=name, place=place))
    known = set(columns)
    missing = [c for c in predicate.columns() if c not in known]
    if missing:
        raise SliceError(MISSING_COLUMN.format(name=name, column=missing[0]))


def slice_mask(frame: pd.DataFrame, predicate: SlicePredicate, *, name: str = "",
               tags: pd.Series | None = None) -> np.ndarray:
    """Return a boolean array: which rows of `frame` the predicate selects.

    `tags` (indexed like the frame, each value a collection of tags) answers "tagged" conditions;
    a column the predicate names and the frame lacks raises SliceError.
    """
    missing = [c for c in predicate.columns() if c not in frame.columns]
    if missing:
        raise SliceError(MISSING_COLUMN.format(name=name or predicate.text(), column=missing[0]))
    mask = np.ones(len(frame), dtype=bool)
    for condition in predicate.conditions:
        mask &= _condition_mask(frame, condition, tags)
    return mask


def _condition_mask(frame: pd.DataFrame, condition: Condition, tags: pd.Series | None) -> np.ndarray:
    if condition.op == "tagged":
        if tags is None:
            return np.zeros(len(frame), dtype=bool)
        held = tags.reindex(frame.index)
        return np.fromiter((isinstance(t, (set, frozenset, list, tuple)) and condition.value in t for t in held),
                           dtype=bool, count=len(frame))
    column = frame[condition.column]
    if condition.op == "in":
        return column.isin(list(condition.value)).to_numpy(dtype=bool)
    compare = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
               ">": np.greater, ">=": np.greater_equal}[condition.op]
    if condition.op in ("==", "!="):
        result = column == condition.value if condition.op == "==" else column != condition.value
        return result.fillna(condition.op == "!=").to_numpy(dtype=bool)
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return compare(values, float(condition.value)) & ~np.isnan(values)


def quantile_edges(values: pd.Series, *, n_bins: int = DEFAULT_BINS, column: str = "") -> np.ndarray:
    """Return the inner edges cutting a numeric column into up to `n_bins` bins of about equal size.

    Our own quantile binning for slices (edges at the 1/n … (n-1)/n quantiles, repeated edges
    dropped). Raises SliceError for a column with one value or a non-numeric one.
    """
    name = column or str(values.name)
    if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        raise SliceError(NOT_NUMERIC.format(column=name))
    numbers = values.to_numpy(dtype=float)
    numbers = numbers[~np.isnan(numbers)]
    if numbers.size == 0 or numbers.min() == numbers.max():
        raise SliceError(ONE_VALUE.format(column=name))
    edges = np.unique(np.quantile(numbers, np.arange(1, n_bins) / n_bins))
    return edges[(edges > numbers.min()) & (edges <= numbers.max())]


def bin_codes(values: pd.Series, edges: np.ndarray) -> np.ndarray:
    """Return each row's bin (0 … len(edges)), -1 for a missing value; bin i is [edge i-1, edge i)."""
    numbers = values.to_numpy(dtype=float)
    codes = np.searchsorted(edges, numbers, side="right")
    return np.where(np.isnan(numbers), -1, codes)


def bin_predicate(column: str, edges: np.ndarray, code: int) -> SlicePredicate:
    """Return the predicate of one bin made by `bin_codes`."""
    conditions = []
    if code > 0:
        conditions.append(Condition(column, ">=", _plain(edges[code - 1])))
    if code < len(edges):
        conditions.append(Condition(column, "<", _plain(edges[code])))
    return SlicePredicate(tuple(conditions))


def _value_text(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "{" + ", ".join(_value_text(v) for v in value) + "}"
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return _number_text(float(value))
    return '"' + str(value).replace('"', '\\"') + '"'


def _number_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def _read_value(op: str, value: Any) -> Any:
    return tuple(value) if op == "in" else value
