"""What a mitigation costs: every overall gap and metric, and each group's rates, before and after."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.fairness.disparities import overall_disparities
from core.fairness.metrics import METRIC_LABELS, group_metrics

OVERALL_SHOWN = ("accuracy", "selection_rate", "precision", "tpr", "fpr")
GROUP_SHOWN = ("selection_rate", "tpr", "fpr", "accuracy")
GAP_LABELS = {"demographic_parity_difference": "demographic parity difference",
              "demographic_parity_ratio": "demographic parity ratio",
              "equalized_odds_difference": "equalized odds difference",
              "equal_opportunity_difference": "equal opportunity difference"}


def decision_summary(y_true, decisions, groups, *, positive) -> pd.Series:
    """Return the overall gaps, overall metrics and per-group rates of one set of decisions."""
    result = group_metrics(y_true, decisions, groups, positive=positive, n_resamples=0)
    summary = {GAP_LABELS[k]: v for k, v in overall_disparities(result.values).items()}
    summary |= {f"overall {METRIC_LABELS[m]}": result.overall[m] for m in OVERALL_SHOWN}
    for group, row in result.values.iterrows():
        summary |= {f"{METRIC_LABELS[m]} [{group}]": row[m] for m in GROUP_SHOWN}
    return pd.Series(summary, dtype=float)


def before_after(y_true, before, after, groups, *, positive) -> pd.DataFrame:
    """Return one row per gap or metric with its value before and after mitigation, and the change."""
    table = pd.DataFrame({"before": decision_summary(y_true, before, groups, positive=positive),
                          "after": decision_summary(y_true, after, groups, positive=positive)})
    table["change"] = table["after"] - table["before"]
    return table.rename_axis("measure")


def selected_as_labels(selected: np.ndarray, *, positive, negative) -> np.ndarray:
    """Return True/False decisions as the run's own class labels."""
    return np.where(selected, positive, negative)
