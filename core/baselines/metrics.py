"""Scores a baseline is compared on: overall, per class and per slice.

The metrics mapping uses the names scoping targets use, so `core.scoping.targets.evaluate_targets` reads
it as is: ``accuracy``, ``balanced_accuracy``, ``precision``, ``recall``, ``f1`` and ``roc_auc``.
For two classes precision, recall and F1 are those of the positive class (the last class in
sorted order, as scikit-learn's ``pos_label=1`` for 0/1 labels) and ROC-AUC ranks the positive
class's probability; for more classes they are macro averages and ROC-AUC is left out.
``f1_macro`` always holds the macro-averaged F1. Every value equals scikit-learn's on the same
rows; rows may carry weights (human-level performance gives a tied vote a share of a row).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.scoping.targets import metric_key
from core.slicing import MISSING_SLICE, slice_values

METRIC_LABELS = {
    "accuracy": "Accuracy", "balanced_accuracy": "Balanced accuracy", "f1_macro": "Macro-F1",
    "f1": "F1", "precision": "Precision", "recall": "Recall", "roc_auc": "ROC-AUC",
}
MISSING_GROUP = MISSING_SLICE
NO_ROWS = "There are no rows to score. Check that the dev split holds rows with a label."
LENGTHS_DIFFER = "The true labels and the predictions differ in length ({n_true} and {n_pred})."

Interval = tuple[float, float]


@dataclass(frozen=True)
class Scores:
    """Scores of one group of rows: the metrics, each class's recall and the rows they rest on."""

    n: float
    metrics: dict[str, float]
    class_recall: dict[str, float]
    class_n: dict[str, float]
    intervals: dict[str, Interval] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the scores as JSON-safe values (NaN as None)."""
        return {"n": _number(self.n), "metrics": _numbers(self.metrics), "class_recall": _numbers(self.class_recall),
                "class_n": _numbers(self.class_n), "intervals": {k: list(v) for k, v in self.intervals.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scores:
        """Return the scores stored by `to_dict`."""
        return cls(n=data.get("n") or 0, metrics=_floats(data.get("metrics", {})),
                   class_recall=_floats(data.get("class_recall", {})), class_n=_floats(data.get("class_n", {})),
                   intervals={k: (float(v[0]), float(v[1])) for k, v in data.get("intervals", {}).items()})


@dataclass(frozen=True)
class BaselineScores:
    """A baseline's scores overall and within each value of each slice column."""

    overall: Scores
    slices: dict[str, dict[str, Scores]] = field(default_factory=dict)

    def flat_metrics(self) -> dict[str, float]:
        """Return overall and per-slice metrics under the keys targets read, e.g. ``recall[sex=F]``."""
        flat = dict(self.overall.metrics)
        for column, groups in self.slices.items():
            for value, scores in groups.items():
                flat.update({metric_key(m, f"{column}={value}"): v for m, v in scores.metrics.items()})
        return flat

    def slices_to_dict(self) -> dict[str, dict[str, Any]]:
        return {c: {v: s.to_dict() for v, s in groups.items()} for c, groups in self.slices.items()}

    @classmethod
    def from_parts(cls, overall: Mapping[str, Any], slices: Mapping[str, Any]) -> BaselineScores:
        """Return the scores stored as an overall part and a slices part (see `Scores.to_dict`)."""
        return cls(Scores.from_dict(overall),
                   {c: {v: Scores.from_dict(s) for v, s in groups.items()} for c, groups in slices.items()})


def positive_class(classes: Sequence) -> Any:
    """Return the class whose precision, recall and F1 a two-class task reports: the last of `classes`.

    `classes` come in the order metrics read them (`core.predictions.positive_last`: sorted, with
    a chosen positive class moved last).
    """
    return list(classes)[-1]


def sorted_classes(values: Sequence | pd.Series) -> list:
    """Return the distinct non-missing values in a stable order (numbers by value, then text)."""
    return sorted(pd.unique(pd.Series(values).dropna()), key=_sort_key)


def _sort_key(value: Any) -> tuple:
    return (0, float(value), "") if isinstance(value, (int, float, np.number)) else (1, 0.0, str(value))


def classification_scores(
    y_true: Sequence, y_pred: Sequence, *, classes: Sequence, positive_scores: Sequence | None = None,
    sample_weight: Sequence | None = None,
) -> Scores:
    """Return accuracy, balanced accuracy, F1, precision, recall (and ROC-AUC) with each class's recall.

    `classes` are all the target's classes: two make it a two-class task, whatever a slice holds,
    and the last of two is the positive class (pass them through `core.predictions.positive_last`).

    >>> s = classification_scores([0, 0, 1, 1], [0, 1, 1, 1], classes=[0, 1])
    >>> s.metrics["accuracy"], s.metrics["recall"], s.class_recall
    (0.75, 1.0, {'0': 0.5, '1': 1.0})
    """
    if len(y_true) != len(y_pred):
        raise ValueError(LENGTHS_DIFFER.format(n_true=len(y_true), n_pred=len(y_pred)))
    if len(y_true) == 0:
        raise ValueError(NO_ROWS)
    universe = sorted_classes([*classes, *pd.unique(pd.Series(y_true)), *pd.unique(pd.Series(y_pred))])
    true, pred = (pd.Categorical(np.asarray(v, dtype=object), categories=universe).codes for v in (y_true, y_pred))
    codes = [universe.index(c) for c in classes]
    weight = np.ones(len(true)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    counts = confusion_counts(true, pred, len(universe), weight)
    values = _confusion_metrics(counts, codes)
    if positive_scores is not None and len(codes) == 2:
        values["roc_auc"] = _roc_auc(true == codes[-1], np.asarray(positive_scores, float), weight)
    present = np.flatnonzero(counts.sum(axis=1))  # classes among the true labels
    recall = np.diag(counts)[present] / counts.sum(axis=1)[present]
    names = [str(universe[c]) for c in present]
    return Scores(float(weight.sum()), {k: float(v) for k, v in values.items()},
                  dict(zip(names, map(float, recall))),
                  {name: float(counts[c].sum()) for name, c in zip(names, present)})


def confusion_counts(true: np.ndarray, pred: np.ndarray, n_classes: int, weight: np.ndarray) -> np.ndarray:
    """Return the weighted confusion matrix (rows: true class code, columns: predicted)."""
    flat = np.bincount(true * n_classes + pred, weights=weight, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def _confusion_metrics(counts: np.ndarray, codes: list[int]) -> dict[str, float]:
    """Return scikit-learn's scores (zero_division=0) from one confusion matrix.

    One matrix per group of rows instead of five scikit-learn calls, each of which re-validates
    and re-encodes the labels: a baseline is scored in every slice of every column, and the
    calls dominated building it. The formulas are scikit-learn's, and tests compare every value.
    """
    tp, true_n, pred_n = np.diag(counts), counts.sum(axis=1), counts.sum(axis=0)
    seen = np.flatnonzero(true_n + pred_n)  # macro averages run over the classes in either
    precision, recall = _ratio(tp, pred_n), _ratio(tp, true_n)
    f1 = _ratio(2 * tp, true_n + pred_n)
    values = {"accuracy": tp.sum() / counts.sum(), "balanced_accuracy": recall[true_n > 0].mean(),
              "f1_macro": f1[seen].mean()}
    # Two classes: the positive class's scores (the last given), even when a slice lacks the other class.
    chosen = [codes[-1]] if len(codes) == 2 else seen
    values.update(precision=precision[chosen].mean(), recall=recall[chosen].mean(), f1=f1[chosen].mean())
    return values


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (scikit-learn's zero_division=0)."""
    return np.divide(numerator, denominator, out=np.zeros(len(numerator)), where=denominator > 0)


def _roc_auc(is_positive: np.ndarray, scores: np.ndarray, weight: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if is_positive.all() or not is_positive.any():
        return math.nan  # ranking needs rows of both classes
    return float(roc_auc_score(is_positive, scores, sample_weight=weight))


def sliced_scores(
    y_true: pd.Series, y_pred: pd.Series, groups: pd.DataFrame, *, classes: Sequence,
    positive_scores: pd.Series | None = None,
) -> BaselineScores:
    """Return the scores overall and within every slice of every column of `groups` (aligned rows).

    Pass slice names computed on the whole column (`core.slicing.slice_frame`) when `groups` holds
    only some rows, so numeric bins are the same in every split.
    """
    overall = classification_scores(y_true, y_pred, classes=classes, positive_scores=positive_scores)
    slices = {}
    for column in groups.columns:
        keys = group_values(groups[column])
        slices[str(column)] = {
            str(value): classification_scores(y_true[mask], y_pred[mask], classes=classes,
                                              positive_scores=None if positive_scores is None else positive_scores[mask])
            for value, mask in ((v, (keys == v).to_numpy()) for v in pd.unique(keys))
        }
    return BaselineScores(overall, slices)


def group_values(column: pd.Series) -> pd.Series:
    """Return a slice column as slice names (`core.slicing.slice_values`): values as text, many-valued
    numbers binned into ranges, missing values as their own group."""
    return slice_values(column)


def _number(value: Any) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def _numbers(values: Mapping[str, Any]) -> dict[str, float | None]:
    return {str(k): _number(v) for k, v in values.items()}


def _floats(values: Mapping[str, Any]) -> dict[str, float]:
    return {k: math.nan if v is None else float(v) for k, v in values.items()}
