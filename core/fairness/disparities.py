"""Disparities: each group against a reference group, the four-fifths rule, and the overall gaps.

The reference is the largest group by default, the best-off group on a metric, or a named one.
Ratios follow Aequitas: group value / reference value, fair when 0.8 <= ratio <= 1.25.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import pandas as pd

from core.fairness.metrics import RATES

ReferenceChoice = Literal["largest", "best", "named"]
FAIR_LOW, FAIR_HIGH = 0.8, 1.25
# Rates where a lower value is better for the group; the others are better when higher.
LOWER_IS_BETTER = ("fpr", "fnr", "for", "fdr", "fp_share", "fn_share")
Verdict = Literal["fair", "unfair", "undefined"]

UNKNOWN_REFERENCE_CHOICE = "The reference group is chosen as one of {names}; got {how!r}."
UNKNOWN_GROUP = "There is no group {group!r} among the audited rows; pick one of: {names}."
UNKNOWN_METRIC = "{metric!r} is not a group metric; pick one of: {names}."
NO_BEST = "No group has a defined {metric}, so none can be the best-off reference. Pick the largest group."


def check_metric(metric: str) -> str:
    if metric not in RATES:
        raise ValueError(UNKNOWN_METRIC.format(metric=metric, names=", ".join(RATES)))
    return metric


def reference_group(values: pd.DataFrame, *, how: ReferenceChoice = "largest", metric: str = "selection_rate",
                    named: str | None = None) -> str:
    """Return the reference group: the largest, the best-off on `metric`, or the one named."""
    if how not in get_args(ReferenceChoice):
        raise ValueError(UNKNOWN_REFERENCE_CHOICE.format(names=", ".join(get_args(ReferenceChoice)), how=how))
    if how == "named":
        if named not in values.index:
            raise ValueError(UNKNOWN_GROUP.format(group=named, names=", ".join(map(str, values.index))))
        return named
    if how == "largest":
        return values["count"].idxmax()
    scores = values[check_metric(metric)].dropna()
    if scores.empty:
        raise ValueError(NO_BEST.format(metric=metric))
    return scores.idxmin() if metric in LOWER_IS_BETTER else scores.idxmax()


def verdict(ratio: float) -> Verdict:
    """Return the four-fifths verdict of one ratio."""
    if ratio is None or not np.isfinite(ratio):
        return "undefined"
    return "fair" if FAIR_LOW <= ratio <= FAIR_HIGH else "unfair"


def disparity_table(values: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Return one row per (group, rate): value, reference value, difference, ratio and four-fifths verdict."""
    rows = []
    base = values.loc[reference]
    for group, row in values.iterrows():
        for metric in RATES:
            value, ref = row[metric], base[metric]
            ratio = value / ref if np.isfinite(value) and np.isfinite(ref) and ref != 0 else np.nan
            rows.append({"group": group, "metric": metric, "value": value, "reference": ref,
                         "difference": value - ref, "ratio": ratio, "verdict": verdict(ratio)})
    return pd.DataFrame(rows)


def four_fifths_table(disparities: pd.DataFrame) -> pd.DataFrame:
    """Return the ratio to the reference as a table: one row per group, one column per rate."""
    table = disparities.pivot(index="group", columns="metric", values="ratio")
    return table[list(RATES)].rename_axis(columns=None)


def flagged_groups(disparities: pd.DataFrame, metric: str) -> list[str]:
    """Return the groups whose ratio to the reference on `metric` falls outside the four-fifths band."""
    rows = disparities[(disparities["metric"] == check_metric(metric)) & (disparities["verdict"] == "unfair")]
    return [str(g) for g in rows["group"]]


def demographic_parity_difference(values: pd.DataFrame) -> float:
    """Return the largest gap in selection rate between any two groups."""
    return _spread(values["selection_rate"])


def demographic_parity_ratio(values: pd.DataFrame) -> float:
    """Return the smallest selection rate divided by the largest (1 means parity)."""
    rates = values["selection_rate"].dropna()
    return float(rates.min() / rates.max()) if len(rates) and rates.max() > 0 else float("nan")


def equalized_odds_difference(values: pd.DataFrame) -> float:
    """Return the larger of the gaps in true positive rate and in false positive rate between groups."""
    return float(np.fmax(_spread(values["tpr"]), _spread(values["fpr"])))


def equal_opportunity_difference(values: pd.DataFrame) -> float:
    """Return the largest gap in true positive rate between any two groups."""
    return _spread(values["tpr"])


def _spread(column: pd.Series) -> float:
    # Undefined groups (no rows of the class) take no part in a gap.
    defined = column.dropna()
    return float(defined.max() - defined.min()) if len(defined) else float("nan")


def overall_disparities(values: pd.DataFrame) -> dict[str, float]:
    """Return the overall gaps: demographic parity difference and ratio, equalized odds, equal opportunity."""
    return {"demographic_parity_difference": demographic_parity_difference(values),
            "demographic_parity_ratio": demographic_parity_ratio(values),
            "equalized_odds_difference": equalized_odds_difference(values),
            "equal_opportunity_difference": equal_opportunity_difference(values)}
