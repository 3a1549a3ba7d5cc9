"""The prioritisation table: slice → share, metric, baseline, gap, priority = gap × share × ease.

Each slice's baseline is human-level performance on that slice where the stored baseline has the
slice (a single `column == value` condition), else the baseline's overall value, else — when
the project has no baseline — the run's own overall metric, and the table says which it used.
A slice whose metric drops more than 5% below the run's overall value (relative) is an issue,
more than 10% a major one; its p-value tests its error rate against the overall one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.errors.table import ScoredSlice

ISSUE_DROP, MAJOR_DROP = 0.05, 0.10
ALPHA = 0.05
RUN_OVERALL = "the run overall (no baseline stored)"
COLUMNS = ["slice", "source", "rows", "share", "metric", "baseline", "baseline from", "gap", "ease", "priority",
           "drop", "severity", "p-value"]
BAD_EASE = "The ease of improvement of “{name}” must be a number from 0 to 10; got {value}."


@dataclass(frozen=True)
class BaselineLookup:
    """A baseline's value overall and per slice value, as stored for the chosen metric."""

    name: str
    overall: float | None
    per_value: Mapping[tuple[str, str], float] = field(default_factory=dict)
    per_value_name: str = ""
    per_value_overall: float | None = None  # the per-slice source's own overall value (HLP overall)

    @classmethod
    def from_stored(cls, name: str, metric: str, metrics: Mapping, slices: Mapping, per_value_name: str = "",
                    per_value_metrics: Mapping | None = None) -> BaselineLookup:
        """Return the lookup of a stored baseline's overall metric and another's (HLP's) per-slice scores."""
        per_value = {(str(c), str(v)): float(s["metrics"][metric]) for c, groups in slices.items()
                     for v, s in groups.items() if (s.get("metrics") or {}).get(metric) is not None}
        return cls(name, _number(metrics.get(metric)), per_value, per_value_name,
                   _number((per_value_metrics or {}).get(metric)))

    def slice_value(self, scored: ScoredSlice) -> float | None:
        """Return the per-slice source's value on this slice, or None when it has none."""
        value, source = self.for_slice(scored)
        return value if source.endswith("on this slice") else None

    def for_slice(self, scored: ScoredSlice) -> tuple[float | None, str]:
        """Return the baseline value for a slice and where it comes from."""
        conditions = scored.predicate.conditions
        if len(conditions) == 1 and conditions[0].op == "==":
            key = (conditions[0].column, str(conditions[0].value))
            if key in self.per_value:
                return self.per_value[key], f"{self.per_value_name or self.name} on this slice"
        return self.overall, f"{self.name} overall"


def severity(drop: float) -> str:
    """Return "major", "issue" or "" for a relative drop of the metric."""
    if drop > MAJOR_DROP:
        return "major"
    return "issue" if drop > ISSUE_DROP else ""


def error_p_values(slices: Sequence[ScoredSlice], *, overall_error: float) -> np.ndarray:
    """Return one-sided binomial p-values: is each slice's error rate above the overall one?"""
    from scipy.stats import binomtest

    rate = min(max(overall_error, 1e-12), 1 - 1e-12)
    return np.array([binomtest(s.errors, s.n, rate, alternative="greater").pvalue for s in slices])


def benjamini_hochberg(p_values: Sequence[float]) -> np.ndarray:
    """Return Benjamini–Hochberg adjusted p-values (scipy's `false_discovery_control`)."""
    from scipy.stats import false_discovery_control

    values = np.asarray(p_values, dtype=float)
    return values if values.size == 0 else false_discovery_control(values, method="bh")


def priority_table(slices: Sequence[ScoredSlice], *, n_rows: int, overall: float, overall_error: float,
                   baseline: BaselineLookup | None, ease: Mapping[str, float] | None = None,
                   correct_p: bool = False) -> pd.DataFrame:
    """Return one row per slice, highest priority first (see the module docstring for each column)."""
    if not slices:
        return pd.DataFrame(columns=COLUMNS)
    ease = ease or {}
    p_values = error_p_values(slices, overall_error=overall_error)
    if correct_p:
        p_values = benjamini_hochberg(p_values)
    rows = [_row(s, n_rows, overall, baseline, _checked_ease(s.name, ease.get(s.name, 1.0)), p)
            for s, p in zip(slices, p_values)]
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["priority", "gap"], ascending=False, na_position="last", kind="stable",
                             ignore_index=True)


def _row(s: ScoredSlice, n_rows: int, overall: float, baseline: BaselineLookup | None, ease: float,
         p_value: float) -> list:
    value, source = baseline.for_slice(s) if baseline is not None else (None, "")
    if value is None:
        value, source = overall, RUN_OVERALL
    share = s.n / n_rows
    gap = value - s.metric
    drop = (overall - s.metric) / overall if overall else math.nan
    return [s.name, s.source, s.n, share, s.metric, value, source, gap, ease, gap * share * ease, drop,
            severity(drop), float(p_value)]


def _checked_ease(name: str, value) -> float:
    number = _number(value)
    if number is None or not 0 <= number <= 10:
        raise ValueError(BAD_EASE.format(name=name, value=value))
    return number


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def priority_chart(table: pd.DataFrame, *, top: int = 15) -> go.Figure:
    """Return the priority of the top slices as horizontal bars, highest on top."""
    shown = table.head(top).iloc[::-1]
    figure = go.Figure(go.Bar(x=shown["priority"], y=shown["slice"], orientation="h",
                              marker_color=["#c0392b" if s == "major" else "#e67e22" if s == "issue" else "#7f8c8d"
                                            for s in shown["severity"]]))
    figure.update_layout(title="Priority = gap to baseline × share of data × ease", xaxis_title="Priority",
                         height=160 + 28 * len(shown), margin={"l": 10})
    return figure
