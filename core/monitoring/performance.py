"""Performance in production: estimated before the labels arrive (CBPE), realised after, and concept drift.

Confidence-based performance estimation (NannyML's CBPE): when a model's probabilities are
calibrated, the chance that a prediction is right is the probability it gave the predicted class,
so the expected accuracy of a window is the mean of those probabilities. The band is ±3 standard
errors of the accuracy that labels would show: each row is right with probability c_i on its own,
so the realised accuracy has variance Σ c_i(1 − c_i) / n² (a Poisson-binomial). NannyML's band is
±3 times the reference's standard deviation of correctness over √n, which for a calibrated model
is √(ā(1 − ā)/n), at least as wide as this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.baselines.metrics import classification_scores

BAND_WIDTH = 3.0  # standard errors, NannyML's default
MIN_DROP = 0.05  # accuracy points: smaller drops are within ordinary window-to-window noise
LOW_DRIFT_SHARE = 0.5  # the dataset-drift share below which the inputs count as stable

NO_PROBABILITIES = "There are no predictions in this window, so performance cannot be estimated."
BAD_PROBABILITIES = "The probabilities must be a rows × classes array of numbers between 0 and 1."
CONCEPT_DRIFT = (
    "Concept drift: {metric} fell by {drop:.1%} from the reference while only {share:.0%} of the "
    "features drifted. The inputs look much as before, but the same inputs now lead to different "
    "outcomes, so the model's rules are out of date. Retrain on recent labelled rows."
)
DATA_DRIFT_DROP = (
    "{metric} fell by {drop:.1%} from the reference and {share:.0%} of the features drifted: the "
    "inputs changed. Check the drifted features first; retraining on recent rows may also help."
)


@dataclass(frozen=True)
class Estimate:
    """An estimated metric and its band (low, high)."""

    value: float
    low: float
    high: float


def predicted_confidence(proba: np.ndarray, predicted: np.ndarray | None = None) -> np.ndarray:
    """Return each row's probability of its predicted class (the most probable one unless given as column positions)."""
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or not np.all((proba >= 0) & (proba <= 1)):
        raise ValueError(BAD_PROBABILITIES)
    if predicted is None:
        return proba.max(axis=1)
    return proba[np.arange(len(proba)), np.asarray(predicted, dtype=int)]


def cbpe_accuracy(proba: np.ndarray, predicted: np.ndarray | None = None, *, width: float = BAND_WIDTH) -> Estimate:
    """Return the expected accuracy from calibrated probabilities with a ±width standard-error band in [0, 1].

    >>> cbpe_accuracy(np.array([[0.9, 0.1], [0.2, 0.8]])).value
    0.85
    """
    confidence = predicted_confidence(proba, predicted)
    if confidence.size == 0:
        raise ValueError(NO_PROBABILITIES)
    value = float(confidence.mean())
    error = float(np.sqrt(np.sum(confidence * (1 - confidence)))) / confidence.size
    return Estimate(round(value, 12), max(0.0, value - width * error), min(1.0, value + width * error))


def realised(y_true: Sequence, y_pred: Sequence, classes: Sequence) -> dict[str, float]:
    """Return accuracy, error rate, balanced accuracy, macro F1 and (two classes: of the positive class) precision, recall, F1."""
    metrics = dict(classification_scores(y_true, y_pred, classes=classes).metrics)
    metrics["error_rate"] = 1.0 - metrics["accuracy"]
    return metrics


def concept_drift(
    realised_drop: float,
    share_drifted: float,
    *,
    metric: str = "accuracy",
    min_drop: float = MIN_DROP,
    low_share: float = LOW_DRIFT_SHARE,
) -> str | None:
    """Return the plain-words call when realised performance drops while input drift stays low, else None.

    `realised_drop` is the reference's value minus the window's (positive when worse). A drop
    with high input drift is explained as data drift instead; no drop gives None.
    """
    if not np.isfinite(realised_drop) or realised_drop < min_drop:
        return None
    words = dict(metric=metric.replace("_", " ").capitalize(), drop=realised_drop, share=share_drifted)
    return (CONCEPT_DRIFT if share_drifted < low_share else DATA_DRIFT_DROP).format(**words)
