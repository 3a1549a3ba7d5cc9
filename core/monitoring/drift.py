"""Data drift per column and over a dataset, with Evidently's default tests and thresholds.

Defaults (Evidently 0.7, legacy/calculations/stattests/registry.py `_get_default_stattest`),
chosen on the cleaned reference (missing and infinite values dropped) and the number of distinct
values over both samples:
- reference ≤ 1,000 rows: numbers with > 5 distinct values → KS; otherwise, and categories,
  → chi-square when > 2 distinct values, Z-test for two proportions when ≤ 2; drift at p < 0.05.
- reference > 1,000 rows: numbers with > 5 distinct values → Wasserstein distance normed by the
  reference's standard deviation; anything else → Jensen–Shannon distance; drift at ≥ 0.1.
PSI (≥ 0.1) is selectable for any column. "image" pixel columns count as numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.monitoring import stattests
from core.monitoring.multivariate import domain_classifier_auc

__all__ = [
    "DRIFT_METHODS", "ColumnDrift", "DatasetDrift", "Method", "column_drift", "dataset_drift",
    "default_method", "domain_classifier_auc", "psi",
]

ScoreKind = Literal["p_value", "distance"]
SMALL_REFERENCE = 1_000  # rows; Evidently's switch from tests to distances
FEW_VALUES = 5  # numbers with at most this many distinct values are treated like categories
DATASET_SHARE = 0.5
FEW_ROWS = 30  # below this on either side a note says the result says little
MANY_LEVELS = 1_000  # above this many distinct categories a note says the column looks like an ID
MEASURED_KINDS = ("numeric", "categorical", "image")

UNKNOWN_METHOD = "Unknown drift method {method!r}; pick one of {methods}."
NOT_MEASURED = "Drift is not measured on {kind} columns; only numbers and categories are compared."
NO_REFERENCE = "The reference has no values in this column, so there is nothing to compare against."
NO_CURRENT = "The current window has no rows, so drift cannot be measured."
ALL_MISSING = "All {n:,} current values are missing, so drift cannot be measured; see the missing share."
FEW_VALUES_NOTE = "Only {n:,} {side} values: the result says little."
MANY_LEVELS_NOTE = "{n:,} distinct values: a category with this many levels behaves like an ID; consider leaving it out."
NUMERIC_ONLY = "{method} compares numbers; column {column} is {kind}."


@dataclass(frozen=True)
class Method:
    """A drift test: its statistic, what kind of score it gives, and its default threshold."""

    name: str
    label: str
    statistic: Callable
    score_kind: ScoreKind
    default_threshold: float
    numeric_only: bool = False

    def is_drifted(self, value: float, threshold: float) -> bool:
        if np.isnan(value):
            return False
        return bool(value < threshold) if self.score_kind == "p_value" else bool(value >= threshold)


DRIFT_METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method("ks", "Kolmogorov–Smirnov p-value", stattests.ks_p_value, "p_value", 0.05, numeric_only=True),
        Method("chisquare", "chi-square p-value", stattests.chisquare_p_value, "p_value", 0.05),
        Method("z", "Z-test p-value", stattests.z_p_value, "p_value", 0.05),
        Method("wasserstein", "Wasserstein distance (normed)", stattests.wasserstein_normed, "distance", 0.1, True),
        Method("jensenshannon", "Jensen–Shannon distance", stattests.jensenshannon_distance, "distance", 0.1),
        Method("psi", "population stability index", stattests.psi, "distance", 0.1),
    )
}


@dataclass(frozen=True)
class ColumnDrift:
    """One column's drift: the test, its score and threshold, and the decision."""

    column: str
    method: str
    statistic: float
    threshold: float
    drifted: bool
    score_kind: ScoreKind
    n_reference: int
    n_current: int
    note: str = ""


@dataclass(frozen=True)
class DatasetDrift:
    """Every column's drift and the dataset's call: drifted when the share of drifted columns reaches the threshold."""

    columns: tuple[ColumnDrift, ...]
    share_drifted: float
    drifted: bool
    share_threshold: float


def psi(reference, current, bins: int = stattests.PSI_BINS, kind: str = "numeric") -> float:
    """Return the population stability index of current against reference (quantile bins of the reference)."""
    return stattests.psi(clean(reference, kind), clean(current, kind), kind, bins)


def clean(values, kind: str):
    """Return the values without missing or infinite ones (Evidently's CleanColumn).

    Numbers come back as a float array; categories as a Series (a categorical dtype kept, so
    counting uses its codes).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if _as_number(kind):
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return numbers[np.isfinite(numbers)]
    return series.dropna().reset_index(drop=True)


def _as_number(kind: str) -> bool:
    return kind in ("numeric", "image")


def default_method(reference: pd.Series, kind: str, current: pd.Series | None = None) -> str:
    """Return Evidently's default test for a column: by reference size, kind and distinct values.

    The distinct values are counted over both samples when the current one is given, as Evidently
    does; over the reference alone otherwise.
    """
    ref = clean(reference, kind)
    cur = clean(current if current is not None else pd.Series([], dtype=object), kind)
    return _default_for(ref.size, _distinct_up_to(ref, cur), kind)


def _default_for(n_reference: int, n_values: int, kind: str) -> str:
    number = _as_number(kind)
    if n_reference <= SMALL_REFERENCE:
        if number and n_values > FEW_VALUES:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    return "wasserstein" if number and n_values > FEW_VALUES else "jensenshannon"


def column_drift(
    column: str,
    reference: pd.Series,
    current: pd.Series,
    kind: str,
    method: str | None = None,
    threshold: float | None = None,
) -> ColumnDrift:
    """Return one column's drift; a column that cannot be compared gets a note and no decision."""
    if kind not in MEASURED_KINDS:
        _check_method(method)
        return _unmeasured(column, method or "jensenshannon", threshold, len(reference), len(current), NOT_MEASURED.format(kind=kind))
    return cleaned_column_drift(column, clean(reference, kind), clean(current, kind), len(current), kind, method, threshold)


def cleaned_column_drift(
    column: str, ref: np.ndarray, cur: np.ndarray, n_current_rows: int, kind: str,
    method: str | None = None, threshold: float | None = None, reference_levels: int | None = None,
) -> ColumnDrift:
    """Return one column's drift from values already cleaned by `clean` (so a reference is cleaned once).

    `reference_levels` (the reference's distinct categories) may be passed when known, to spare
    counting them again for every window.
    """
    _check_method(method)
    name = method or _default_name(ref, cur, kind)
    problem = _problem(ref, cur, n_current_rows, kind, name, column)
    if problem:
        return _unmeasured(column, name, threshold, ref.size, cur.size, problem)
    chosen = DRIFT_METHODS[name]
    limit = chosen.default_threshold if threshold is None else float(threshold)
    value = float(chosen.statistic(ref, cur, "numeric" if _as_number(kind) else "categorical"))
    return ColumnDrift(column, name, value, limit, chosen.is_drifted(value, limit), chosen.score_kind,
                       int(ref.size), int(cur.size), _caveat(ref, cur, kind, reference_levels))


def _default_name(ref, cur, kind: str) -> str:
    if not _as_number(kind) and ref.size > SMALL_REFERENCE:
        return "jensenshannon"  # whatever the number of values: no need to count them
    return _default_for(ref.size, _distinct_up_to(ref, cur), kind)


def _check_method(method: str | None) -> None:
    if method is not None and method not in DRIFT_METHODS:
        raise ValueError(UNKNOWN_METHOD.format(method=method, methods=", ".join(DRIFT_METHODS)))


def _distinct_up_to(ref, cur, enough: int = FEW_VALUES + 1) -> int:
    """Return the distinct values over both samples, or just `enough` once a head of them shows that many.

    The defaults only ask whether there are more than 5 (and more than 2), so a long numeric
    column need not be hashed whole: its first values nearly always settle it.
    """
    head = pd.unique(np.concatenate([np.asarray(ref[:1_000]), np.asarray(cur[:1_000])]))
    if head.size >= enough:
        return enough
    sides = [side if isinstance(side, pd.Series) else np.asarray(side) for side in (ref, cur)]
    return len(set(pd.unique(sides[0])) | set(pd.unique(sides[1])))  # each side's few values, not both joined


def _problem(ref, cur, n_current_rows: int, kind: str, method: str, column: str) -> str:
    if DRIFT_METHODS[method].numeric_only and not _as_number(kind):
        return NUMERIC_ONLY.format(method=DRIFT_METHODS[method].label, column=column, kind=kind)
    if ref.size == 0:
        return NO_REFERENCE
    if n_current_rows == 0:
        return NO_CURRENT
    if cur.size == 0:
        return ALL_MISSING.format(n=n_current_rows)
    return ""


def _caveat(ref, cur, kind: str, reference_levels: int | None = None) -> str:
    notes = [FEW_VALUES_NOTE.format(n=n, side=side) for n, side in ((ref.size, "reference"), (cur.size, "current")) if n < FEW_ROWS]
    if not _as_number(kind):
        levels = pd.Series(ref).nunique() if reference_levels is None else reference_levels
        if levels > MANY_LEVELS:
            notes.append(MANY_LEVELS_NOTE.format(n=levels))
    return " ".join(notes)


def _unmeasured(column, method, threshold, n_ref, n_cur, note) -> ColumnDrift:
    chosen = DRIFT_METHODS[method]
    limit = chosen.default_threshold if threshold is None else float(threshold)
    return ColumnDrift(column, method, float("nan"), limit, False, chosen.score_kind, int(n_ref), int(n_cur), note)


def dataset_drift(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    kinds: Mapping[str, str],
    methods: Mapping[str, str] | None = None,
    share_threshold: float = DATASET_SHARE,
    thresholds: Mapping[str, float] | None = None,
) -> DatasetDrift:
    """Return every column's drift and whether the share of drifted columns reaches share_threshold.

    The share is over the columns that could be measured (those without a NaN score).
    """
    methods, thresholds = methods or {}, thresholds or {}
    columns = tuple(
        column_drift(name, reference[name], current[name], kind, methods.get(name), thresholds.get(name))
        for name, kind in kinds.items()
    )
    return summarise(columns, share_threshold)


def summarise(columns: tuple[ColumnDrift, ...], share_threshold: float = DATASET_SHARE) -> DatasetDrift:
    """Return the dataset's call from its columns' drift."""
    measured = [c for c in columns if not np.isnan(c.statistic)]
    share = sum(c.drifted for c in measured) / len(measured) if measured else 0.0
    return DatasetDrift(columns, share, bool(measured) and share >= share_threshold, share_threshold)
