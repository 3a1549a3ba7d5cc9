"""Input metrics of a window against the reference: missing values, numbers out of range, unseen categories.

- missing share: missing cells over all cells (per column: over its rows);
- out-of-range share: present numbers outside the reference's min–max, over present numbers;
- unseen share: present categories the reference never had, over present categories.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

NUMBER_KINDS = ("numeric", "image")


@dataclass(frozen=True, eq=False)
class InputReference:
    """What the reference allows, prepared once: each number's min and max, each category's values."""

    kinds: dict[str, str]
    ranges: dict[str, tuple[float, float]]
    seen: dict[str, pd.Index]

    def measure(self, current: pd.DataFrame) -> dict:
        """Return the window's input metrics: overall shares and one dict per column."""
        columns = {name: self._column(name, current[name]) for name in self.kinds}
        return {**_overall(columns, len(current)), "columns": {n: c["shares"] for n, c in columns.items()}}

    def _column(self, name: str, values: pd.Series) -> dict:
        missing = values.isna().to_numpy()
        present = int(len(values) - missing.sum())
        if name in self.ranges:
            numbers = pd.to_numeric(values, errors="coerce").to_numpy(float, na_value=np.nan)
            low, high = self.ranges[name]
            odd, key = int(np.count_nonzero((numbers < low) | (numbers > high))), "out_of_range"
        else:
            odd, key = int((~values.dropna().isin(self.seen[name])).sum()), "unseen"
        shares = {"missing_share": _share(int(missing.sum()), len(values)), f"{key}_share": _share(odd, present)}
        return {"missing": int(missing.sum()), "present": present, "kind": key, "odd": odd, "shares": shares}


def prepare_reference(reference: pd.DataFrame, kinds: Mapping[str, str]) -> InputReference:
    """Return the reference's ranges and category sets for the numeric and categorical columns of kinds."""
    measured = {name: kind for name, kind in kinds.items() if kind in (*NUMBER_KINDS, "categorical")}
    ranges = {}
    for name in (n for n, k in measured.items() if k in NUMBER_KINDS):
        numbers = pd.to_numeric(reference[name], errors="coerce")
        ranges[name] = (float(numbers.min()), float(numbers.max())) if numbers.notna().any() else (np.nan, np.nan)
    seen = {name: pd.Index(reference[name].dropna().unique()) for name, k in measured.items() if k == "categorical"}
    return InputReference(measured, ranges, seen)


def input_metrics(reference: pd.DataFrame, current: pd.DataFrame, kinds: Mapping[str, str]) -> dict:
    """Return missing, out-of-range and unseen-category shares of current against reference, overall and per column.

    A numeric column the reference never filled has no range, so none of its values count as
    out of range (NaN bounds compare false).
    """
    return prepare_reference(reference, kinds).measure(current)


def _overall(columns: dict[str, dict], n_rows: int) -> dict:
    cells = n_rows * len(columns)
    missing = sum(c["missing"] for c in columns.values())
    by_kind = {kind: [c for c in columns.values() if c["kind"] == kind] for kind in ("out_of_range", "unseen")}
    return {
        "missing_share": _share(missing, cells),
        **{f"{kind}_share": _share(sum(c["odd"] for c in cs), sum(c["present"] for c in cs)) for kind, cs in by_kind.items()},
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")
