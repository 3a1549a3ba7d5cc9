"""Sensitive groups: one column, numbers binned into ranges, the intersection of two columns, or a saved slice.

Rows whose value is missing form a group of their own, "(missing)", so no row drops out of
an audit unseen.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api import types

MISSING_GROUP = "(missing)"
JOIN = " × "
DEFAULT_BINS = 4
# Numbers with more distinct values than this are binned into ranges rather than used as is.
MAX_DISTINCT_NUMBERS = 10
MAX_GROUPS = 50

UNKNOWN_COLUMN = "Column {column!r} is not in the dataset. Pick one of its sensitive columns."
TOO_MANY_ATTRIBUTES = "An attribute is one column or the intersection of two; {count} columns were given."
ONE_GROUP = (
    "{attribute!r} has a single group ({group!r}) among the audited rows, so there is nothing to compare it with. "
    "Pick another attribute, or audit a split where it varies."
)
TOO_MANY_GROUPS = (
    "{attribute!r} has {count} groups among the audited rows, more than {limit}: most would be too small to judge. "
    "Pick a coarser column, a single column instead of an intersection, or bin it into ranges."
)


def attribute_name(columns: Sequence[str]) -> str:
    """Return the display name of an attribute: the column, or the two columns joined by ×."""
    return JOIN.join(columns)


def binned_ranges(values: pd.Series, *, bins: int = DEFAULT_BINS) -> pd.Series:
    """Return numbers as quantile ranges such as "[18, 31)" (the last one closed), as text.

    >>> binned_ranges(pd.Series([1, 2, 3, 4]), bins=2).tolist()
    ['[1, 2.5)', '[1, 2.5)', '[2.5, 4]', '[2.5, 4]']
    """
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    edges = np.unique(np.nanquantile(numbers, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return numbers.map(lambda v: MISSING_GROUP if np.isnan(v) else f"{v:g}")
    positions = np.clip(np.searchsorted(edges, numbers, side="right") - 1, 0, len(edges) - 2)
    labels = [f"[{lo:g}, {hi:g}{']' if i == len(edges) - 2 else ')'}" for i, (lo, hi) in
              enumerate(zip(edges[:-1], edges[1:]))]
    named = np.asarray(labels, dtype=object)[positions]
    return pd.Series(np.where(numbers.isna(), MISSING_GROUP, named), index=values.index, dtype=object)


def column_groups(values: pd.Series, *, bins: int = DEFAULT_BINS) -> pd.Series:
    """Return one group label per row: the value as text, or its range for a many-valued number."""
    if types.is_numeric_dtype(values) and not types.is_bool_dtype(values) and values.nunique() > MAX_DISTINCT_NUMBERS:
        return binned_ranges(values, bins=bins)
    text = values.astype(object).map(str)
    return text.where(values.notna(), MISSING_GROUP)


def attribute_groups(frame: pd.DataFrame, columns: Sequence[str], *, bins: int = DEFAULT_BINS) -> pd.Series:
    """Return the group of each row for an attribute of one column or the intersection of two."""
    if not 1 <= len(columns) <= 2:
        raise ValueError(TOO_MANY_ATTRIBUTES.format(count=len(columns)))
    for column in columns:
        if column not in frame.columns:
            raise ValueError(UNKNOWN_COLUMN.format(column=column))
    parts = [column_groups(frame[column], bins=bins) for column in columns]
    groups = parts[0] if len(parts) == 1 else parts[0] + JOIN + parts[1]
    return groups.rename(attribute_name(columns))


def check_groups(groups: pd.Series, *, limit: int = MAX_GROUPS) -> None:
    """Raise ValueError when an attribute cannot be audited: one group only, or too many groups."""
    distinct = pd.unique(groups)
    if len(distinct) < 2:
        raise ValueError(ONE_GROUP.format(attribute=groups.name, group=distinct[0] if len(distinct) else "none"))
    if len(distinct) > limit:
        raise ValueError(TOO_MANY_GROUPS.format(attribute=groups.name, count=len(distinct), limit=limit))


SLICE_ATTRIBUTE = "slice: {name}"
IN_SLICE = "in slice: {name}"
OUTSIDE_SLICE = "outside"


def slice_attribute(name: str) -> str:
    """Return how a saved slice is named as an attribute of the audit: “slice: <name>”."""
    return SLICE_ATTRIBUTE.format(name=name)


def slice_groups(mask, name: str, index: pd.Index) -> pd.Series:
    """Return a saved slice as a two-group column: “in slice: <name>” where the mask holds, else “outside”."""
    labels = np.where(np.asarray(mask, dtype=bool), IN_SLICE.format(name=name), OUTSIDE_SLICE)
    return pd.Series(labels, index=index, dtype=object, name=slice_attribute(name))
