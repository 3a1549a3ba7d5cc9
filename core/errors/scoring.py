"""Per-slice counts and metrics computed from class codes, equal to scikit-learn's on the masks.

Rows are grouped by an integer code per row (-1: in no group). One `np.bincount` per count gives
every group's rows, correct rows and per-class true positives, true and predicted counts, so a
column's whole slice table costs a few passes over the rows instead of one mask per value.
For two classes precision, recall and F1 are those of the positive class (the last class, as
the runs report them); for more classes they are macro averages over the classes present in
the slice (in its labels or predictions), as scikit-learn averages them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

Metric = Literal["accuracy", "precision", "recall", "f1"]
METRICS: tuple[str, ...] = get_args(Metric)
MIN_PROBABILITY = 1e-15
UNKNOWN_METRIC = "“{metric}” is not a slice metric; choose one of: {names}."


@dataclass(frozen=True)
class SliceCounts:
    """Counts per group: rows, correct rows, and per class (columns) true positives, labels, predictions."""

    n: np.ndarray
    correct: np.ndarray
    tp: np.ndarray
    true: np.ndarray
    pred: np.ndarray


def class_codes(values: pd.Series | Sequence, classes: Sequence) -> np.ndarray:
    """Return each value's position among `classes` (compared as text), -1 for an unknown value."""
    names = pd.Index([str(c) for c in classes])
    return names.get_indexer(pd.Series(values).astype(str).to_numpy())


def group_counts(groups: np.ndarray, n_groups: int, true: np.ndarray, pred: np.ndarray,
                 n_classes: int) -> SliceCounts:
    """Return the counts of every group 0 … n_groups-1 (rows with group -1 count nowhere)."""
    keep = groups >= 0
    g, t, p = groups[keep], true[keep], pred[keep]
    hit = t == p

    def per_class(codes: np.ndarray, weights=None) -> np.ndarray:
        flat = np.bincount(g * n_classes + codes, weights=weights, minlength=n_groups * n_classes)
        return flat.reshape(n_groups, n_classes)

    return SliceCounts(n=np.bincount(g, minlength=n_groups), correct=np.bincount(g, weights=hit, minlength=n_groups),
                       tp=per_class(t, hit.astype(float)), true=per_class(t), pred=per_class(p))


def mask_counts(mask: np.ndarray, true: np.ndarray, pred: np.ndarray, n_classes: int) -> SliceCounts:
    """Return the counts of the rows a boolean mask selects (one group)."""
    return group_counts(np.where(mask, 0, -1), 1, true, pred, n_classes)


def metric_values(counts: SliceCounts, metric: Metric) -> np.ndarray:
    """Return the metric of every group (NaN for an empty group)."""
    if metric not in METRICS:
        raise ValueError(UNKNOWN_METRIC.format(metric=metric, names=", ".join(METRICS)))
    with np.errstate(invalid="ignore", divide="ignore"):
        if metric == "accuracy":
            return np.where(counts.n > 0, counts.correct / counts.n, np.nan)
        per_class = _per_class(counts, metric)
    empty = counts.n == 0
    if counts.tp.shape[1] == 2:
        return np.where(empty, np.nan, per_class[:, 1])
    present = (counts.true + counts.pred) > 0
    total = np.where(present, per_class, 0.0).sum(axis=1)
    return np.where(empty, np.nan, total / np.maximum(present.sum(axis=1), 1))


def _per_class(counts: SliceCounts, metric: Metric) -> np.ndarray:
    # zero_division=0, as the runs' metrics use it.
    below = {"precision": counts.pred, "recall": counts.true, "f1": (counts.true + counts.pred) / 2}[metric]
    return np.where(below > 0, counts.tp / np.where(below > 0, below, 1), 0.0)


def row_loss(proba: np.ndarray, true: np.ndarray) -> np.ndarray:
    """Return each row's log loss: minus the log of the probability given to its true class."""
    picked = proba[np.arange(len(true)), np.clip(true, 0, None)]
    return -np.log(np.clip(picked, MIN_PROBABILITY, 1.0))
