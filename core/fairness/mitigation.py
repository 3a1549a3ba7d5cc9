"""Mitigation of an audited run: per-group thresholds fitted on its predictions, and every gap before and after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.fairness.audit import positive_class
from core.fairness.disparities import overall_disparities
from core.fairness.groups import DEFAULT_BINS, attribute_groups, attribute_name, check_groups
from core.fairness.metrics import METRIC_LABELS, group_metrics
from core.fairness.thresholds import Constraint, ThresholdRule, apply_thresholds, fit_group_thresholds
from core.predictions import LABEL, PREDICTION, PROBA_PREFIX

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


@dataclass(frozen=True)
class Mitigation:
    """A fitted threshold rule, the decisions it makes on the audited rows, and what changed."""

    attribute: str
    columns: tuple[str, ...]
    rule: ThresholdRule
    decisions: pd.Series
    comparison: pd.DataFrame

    def to_dict(self) -> dict:
        table = self.comparison.astype(object).where(self.comparison.notna(), None)
        return {"attribute": self.attribute, "columns": list(self.columns), **self.rule.to_dict(),
                "before_after": table.to_dict(orient="index")}


def mitigate(predictions: pd.DataFrame, sensitive: pd.DataFrame, columns: Sequence[str], *, classes: Sequence,
             constraint: Constraint = "demographic_parity", bins: int = DEFAULT_BINS) -> Mitigation:
    """Return per-group thresholds for the attribute fitted on the predictions, and the before/after table."""
    positive = positive_class(classes)
    negative = classes[0]
    scores = predictions.get(f"{PROBA_PREFIX}{positive}", pd.Series(dtype=float))
    groups = attribute_groups(sensitive.reindex(predictions.index), columns, bins=bins)
    check_groups(groups)
    rule = fit_group_thresholds(predictions[LABEL], scores, groups, positive=positive, constraint=constraint)
    selected = apply_thresholds(rule, scores, groups)
    decisions = pd.Series(selected_as_labels(selected, positive=positive, negative=negative),
                          index=predictions.index, name=PREDICTION)
    table = before_after(predictions[LABEL], predictions[PREDICTION], decisions, groups, positive=positive)
    return Mitigation(attribute_name(columns), tuple(columns), rule, decisions, table)


def thresholded_predictions(predictions: pd.DataFrame, sensitive: pd.DataFrame, columns: Sequence[str],
                            rule: ThresholdRule, *, classes: Sequence, bins: int = DEFAULT_BINS) -> pd.DataFrame:
    """Return the predictions frame with the rule's decisions in place of the model's (probabilities kept)."""
    positive = positive_class(classes)
    groups = attribute_groups(sensitive.reindex(predictions.index), columns, bins=bins)
    selected = apply_thresholds(rule, predictions.get(f"{PROBA_PREFIX}{positive}", pd.Series(dtype=float)), groups)
    return predictions.assign(**{PREDICTION: selected_as_labels(selected, positive=positive, negative=classes[0])})
