"""Warnings about columns that leak the target or identify rows, before training and after it.

Before training, on a sample of the train split:

- **One column predicts the target almost perfectly.** Each feature column alone is fitted on
  half of the sample and scored on the other half: a decision tree of eight leaves for a number
  (two per class when there are more than four classes; enough bands to carry a column recorded
  after the outcome), each value's majority class for a category. Balanced accuracy of at least 0.98 on rows the rule was not fitted on is flagged:
  chance is 1/classes whatever the class mix, and an honest single column rarely gets nearly every
  row of every class right. Scoring on held-out rows keeps identifiers (one row per value) from
  looking perfect; they are caught by the next check instead.
- **Identifier-like columns**: whole numbers or categories unique to (almost) every row, or
  whole numbers that only grow (or only fall) in row order — row numbers, case numbers.
- **High-cardinality categories** (names, case numbers with repeats): one-hot encoded, each value
  becomes a feature a model can memorise.

After training, `far_above_references` flags dev scores far above every stored baseline and
human-level performance, naming the columns that predicted the target best on their own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.modeling.preprocessing import FeaturePlan

WarningKind = Literal["predicts_target", "identifier", "high_cardinality", "far_above_references"]
LEAK_BALANCED_ACCURACY = 0.98
CHECK_ROWS = 4000
MIN_ROWS = 20
TREE_LEAVES = 8
ID_UNIQUE_SHARE = 0.95
HIGH_CARDINALITY_LEVELS = 50
HIGH_CARDINALITY_SHARE = 0.5
FAR_ABOVE_MARGIN = 0.05
REFERENCE_METRICS = ("accuracy", "balanced_accuracy", "roc_auc")
HLP_KIND = "hlp"

FIX = "If it will not be known when the model is used, mark it as ignored on the Datasets page (Roles tab)."
PREDICTS_TARGET = (
    "“{column}” alone predicts the target almost perfectly: balanced accuracy {score:.3f} on training rows its "
    "one-column rule was not fitted on. A column this strong is usually recorded after the outcome or derived "
    "from it. " + FIX
)
IDENTIFIER = (
    "“{column}” looks like an identifier ({why}), so the model would learn row numbers rather than anything "
    "that generalises. Mark it as the ID or as ignored on the Datasets page (Roles tab)."
)
HIGH_CARDINALITY = (
    "“{column}” has {levels:,} distinct values among {rows:,} sampled training rows, like names or case "
    "numbers: one-hot encoded, each value becomes a feature the model can memorise. Mark it as ignored (or as "
    "the ID) on the Datasets page (Roles tab), or group its values into a coarser column."
)
FAR_ABOVE = (
    "Dev {metric} is {value:.4f}, far above {references}. A model this much better than every reference often "
    "learned from a leak. The columns that predict the target best on their own: {columns}. " + FIX
)


@dataclass(frozen=True)
class DataWarning:
    """One warning: what kind, the columns it names, and the message with the fix."""

    kind: WarningKind
    columns: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class DataChecks:
    """The pre-training checks of a train split: each feature's single-column score, and the warnings."""

    scores: dict[str, float]
    warnings: tuple[DataWarning, ...]

    def to_dict(self) -> dict:
        return {"scores": {c: (None if math.isnan(s) else s) for c, s in self.scores.items()},
                "warnings": [w.message for w in self.warnings]}


def check_training_data(features: pd.DataFrame, labels: pd.Series, plan: FeaturePlan, *,
                        random_state: int = 0) -> DataChecks:
    """Return the single-column scores and the warnings for a train split's features and labels."""
    sample_X, sample_y = _sample(features[plan.columns], labels, random_state)
    scores = single_column_scores(sample_X, sample_y, plan, random_state=random_state)
    leaks = [DataWarning("predicts_target", (c,), PREDICTS_TARGET.format(column=c, score=s))
             for c, s in scores.items() if s >= LEAK_BALANCED_ACCURACY]
    return DataChecks(scores, (*leaks, *identifier_warnings(sample_X, plan)))


def _sample(features: pd.DataFrame, labels: pd.Series, random_state: int) -> tuple[pd.DataFrame, pd.Series]:
    if len(labels) > CHECK_ROWS:
        keep = np.sort(np.random.default_rng(random_state).choice(len(labels), size=CHECK_ROWS, replace=False))
        features, labels = features.iloc[keep], labels.iloc[keep]
    order = np.argsort(features.index.to_numpy(), kind="stable")  # row order, for the monotonic check
    return features.iloc[order], labels.iloc[order]


def single_column_scores(features: pd.DataFrame, labels: pd.Series, plan: FeaturePlan, *,
                         random_state: int = 0) -> dict[str, float]:
    """Return each feature column's balanced accuracy on held-out rows when it alone predicts the labels."""
    if len(labels) < MIN_ROWS or labels.nunique() < 2:
        return {}
    held_out = np.random.default_rng(random_state).permutation(len(labels)) % 2 == 1
    y_fit, y_held = labels[~held_out].astype(str), labels[held_out].astype(str)
    scores = {}
    for column in plan.columns:
        fit, held = features[column][~held_out], features[column][held_out]
        predict = _tree_rule if column in plan.numeric else _majority_rule
        scores[column] = _balanced_accuracy(y_held, predict(fit, y_fit, held, random_state))
    return scores


def _tree_rule(fit: pd.Series, y_fit: pd.Series, held: pd.Series, random_state: int) -> np.ndarray:
    from sklearn.tree import DecisionTreeClassifier

    # Eight leaves carry a two-class leak; more classes need two leaves each to be told apart at all.
    leaves = max(TREE_LEAVES, 2 * y_fit.nunique())
    tree = DecisionTreeClassifier(max_leaf_nodes=leaves, random_state=random_state)
    tree.fit(_numbers(fit), y_fit)  # missing values go to the side that fits best
    return tree.predict(_numbers(held))


def _numbers(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype=float, na_value=np.nan).reshape(-1, 1)


def _majority_rule(fit: pd.Series, y_fit: pd.Series, held: pd.Series, _random_state: int) -> np.ndarray:
    values = fit.astype(object).where(fit.notna(), "<missing>").to_numpy()
    majority = pd.crosstab(values, y_fit.to_numpy()).idxmax(axis=1)
    overall = y_fit.mode().iloc[0]  # values never seen in the fitted half get the most common class
    held_values = held.astype(object).where(held.notna(), "<missing>")
    return held_values.map(majority).fillna(overall).to_numpy()


def _balanced_accuracy(y_true: pd.Series, y_pred: np.ndarray) -> float:
    from sklearn.metrics import balanced_accuracy_score

    import warnings

    with warnings.catch_warnings():  # a class predicted but absent from the held-out half only warns
        warnings.simplefilter("ignore")
        return float(balanced_accuracy_score(y_true.to_numpy(), y_pred))


def identifier_warnings(features: pd.DataFrame, plan: FeaturePlan) -> list[DataWarning]:
    """Return warnings for identifier-like columns and high-cardinality categories (rows in row order)."""
    found = []
    for column in plan.columns:
        values = features[column].dropna()
        if len(values) < MIN_ROWS:
            continue
        why = _identifier_reason(values, numeric=column in plan.numeric)
        if why:
            found.append(DataWarning("identifier", (column,), IDENTIFIER.format(column=column, why=why)))
        elif column in plan.categorical and _high_cardinality(values):
            found.append(DataWarning("high_cardinality", (column,), HIGH_CARDINALITY.format(
                column=column, levels=values.nunique(), rows=len(values))))
    return found


def _identifier_reason(values: pd.Series, *, numeric: bool) -> str:
    whole = not numeric or bool(np.all(np.mod(values.to_numpy(dtype=float, na_value=np.nan), 1) == 0))
    if not whole:
        return ""  # measured quantities are unique per row without being identifiers
    unique_share = values.nunique() / len(values)
    if unique_share >= ID_UNIQUE_SHARE:
        return "a different value on almost every row" if unique_share < 1 else "a different value on every row"
    if numeric and unique_share >= 0.5 and (values.is_monotonic_increasing or values.is_monotonic_decreasing):
        return "whole numbers that only grow or only fall in row order"
    return ""


def _high_cardinality(values: pd.Series) -> bool:
    levels = values.nunique()
    return levels >= HIGH_CARDINALITY_LEVELS and levels / len(values) >= HIGH_CARDINALITY_SHARE


@dataclass(frozen=True)
class Reference:
    """A stored baseline's scores, for judging whether a dev score is implausibly high."""

    name: str
    kind: str
    metrics: Mapping[str, float | None]


def far_above_references(dev: Mapping[str, float | None], references: Sequence[Reference],
                         column_scores: Mapping[str, float | None], *, top: int = 3) -> DataWarning | None:
    """Return a warning when a dev score leaves less than half the error of every reference, and at least
    `FAR_ABOVE_MARGIN` more than the best of them; None when it does not, or nothing is stored to compare with.

    Human-level performance counts among the references (it is named as such): a model far better than
    people and every simple model on the same data is more often leaking than brilliant.
    """
    for metric in REFERENCE_METRICS:
        value = dev.get(metric)
        scored = [(r, r.metrics.get(metric)) for r in references if r.metrics.get(metric) is not None]
        if value is None or not scored:
            continue
        best = max(score for _, score in scored)
        if value - best >= FAR_ABOVE_MARGIN and (1 - value) < (1 - best) / 2:
            return DataWarning("far_above_references", _strongest(column_scores, top), FAR_ABOVE.format(
                metric=metric, value=value, references=_reference_text(scored),
                columns=", ".join(f"“{c}”" for c in _strongest(column_scores, top)) or "none recorded"))
    return None


def _reference_text(scored: list[tuple[Reference, float]]) -> str:
    hlp = [(r, s) for r, s in scored if r.kind == HLP_KIND]
    others = [(r, s) for r, s in scored if r.kind != HLP_KIND]
    parts = []
    if others:
        best, score = max(others, key=lambda pair: pair[1])
        parts.append(f"the best baseline ({best.name}: {score:.4f})")
    if hlp:
        parts.append(f"human-level performance ({max(s for _, s in hlp):.4f})")
    else:
        parts.append("no human-level performance is stored for this dataset version")
    return " and ".join(parts) if hlp else "; ".join(parts)


def _strongest(column_scores: Mapping[str, float | None], top: int) -> tuple[str, ...]:
    known = [(c, s) for c, s in column_scores.items() if s is not None]
    return tuple(c for c, _ in sorted(known, key=lambda pair: -pair[1])[:top])
