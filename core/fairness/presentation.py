"""Audit results as the tables a reader sees: values with intervals, undefined spelled out, verdict colours."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.fairness.disparities import four_fifths_table
from core.fairness.metrics import METRIC_LABELS, RATES, GroupMetrics

UNDEFINED = "undefined"
VERDICT_COLOURS = {"fair": "#d4edda", "unfair": "#f8d7da", "undefined": "#e9ecef"}


def slices_text(settings: dict) -> str:
    """Return the saved slices an audit compared, each with its predicate, from its stored settings.

    >>> slices_text({"slices": {"slice: low income": "income < 28,000"}})
    'slice: low income (income < 28,000)'
    """
    return "; ".join(f"{name} ({text})" for name, text in (settings.get("slices") or {}).items())


def with_interval(value: float, lower: float, upper: float) -> str:
    """Return "0.512 (0.480–0.547)", or "undefined" for an undefined value.

    >>> with_interval(0.5, 0.4, 0.6), with_interval(float("nan"), float("nan"), float("nan"))
    ('0.500 (0.400–0.600)', 'undefined')
    """
    if not np.isfinite(value):
        return UNDEFINED
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return f"{value:.3f}"
    return f"{value:.3f} ({lower:.3f}–{upper:.3f})"


def interval_table(result: GroupMetrics) -> pd.DataFrame:
    """Return one row per group: its size, whether it is too small to judge, and each rate with its interval."""
    table = pd.DataFrame({"rows": result.values["count"].astype(int),
                          "too small to judge": result.small.map({True: "yes", False: ""})})
    for metric in RATES:
        table[METRIC_LABELS[metric]] = [with_interval(*cells) for cells in
                                        zip(result.values[metric], result.lower[metric], result.upper[metric])]
    return table


def ratio_table(disparities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the ratios to the reference (group × rate, labelled) and the matching four-fifths verdicts."""
    ratios = four_fifths_table(disparities).rename(columns=METRIC_LABELS)
    verdicts = disparities.pivot(index="group", columns="metric", values="verdict")[list(RATES)]
    return ratios, verdicts.rename(columns=METRIC_LABELS).rename_axis(columns=None)


def verdict_styles(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Return a CSS background per cell, coloured by its four-fifths verdict."""
    return verdicts.map(lambda v: f"background-color: {VERDICT_COLOURS[v]}")
