"""One line per column: its kind, role, missing values, distinct values, and range or most frequent value."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.api import types

from core.data.roles import Roles

SUMMARY_COLUMNS = ["column", "kind", "role", "missing", "distinct", "min", "max", "most frequent"]
RANGED_KINDS = frozenset({"numeric", "datetime", "image"})


def column_summary(frame: pd.DataFrame, kinds: Mapping[str, str], roles: Roles) -> pd.DataFrame:
    """Return one row per column of the frame, in its order; values as text, so every cell reads alike.

    Numbers and dates get their smallest and largest value; other columns their most frequent
    value with its share of the non-missing rows.
    """
    rows = [_row(frame[c], str(c), kinds.get(c, "categorical"), roles.role_of(c)) for c in frame.columns]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _row(column: pd.Series, name: str, kind: str, role: str) -> list:
    present = column.dropna()
    ranged = kind in RANGED_KINDS and (types.is_numeric_dtype(column) or types.is_datetime64_any_dtype(column))
    low, high, top = "—", "—", "—"
    if len(present) and ranged and not types.is_bool_dtype(column):
        low, high = format_value(present.min()), format_value(present.max())
    elif len(present):
        counts = present.value_counts()
        top = f"{format_value(counts.index[0])} ({counts.iloc[0] / len(present):.0%})"
    return [name, kind, role, int(len(column) - len(present)), int(present.nunique()), low, high, top]


def format_value(value) -> str:
    """Return a cell as a person reads it: numbers without float noise, a day without its midnight, missing as a dash."""
    if value is None or (types.is_scalar(value) and not isinstance(value, str) and pd.isna(value)):
        return "—"
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else str(value)
    return str(value)
