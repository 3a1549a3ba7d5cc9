"""Checks before a long fit: can the model overfit a small subset, and how long will training take?"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np

from core.modeling.evaluation import evaluate_predictions
from core.modeling.catalog import model_spec
from core.modeling.preprocessing import FeaturePlan
from core.modeling.training import (
    CURVE_FRACTIONS,
    TrainingConfig,
    build_pipeline,
    check_config,
    fit_pipeline,
    predict_rows,
)
from core.modeling.training_data import TrainingData, sample_rows

SANITY_ROWS = 100
SANITY_PASS = 0.95
ESTIMATE_ROWS = 2000
PREDICT_SAMPLE_ROWS = 500
LONG_FIT_SECONDS = 120.0

SANITY_PASSED = (
    "The model fits {n} training rows almost perfectly (accuracy {accuracy:.2f} on those same rows): the "
    "pipeline, features and labels let it learn. Go on and train on all the data."
)
SANITY_FAILED = (
    "The model reaches only {accuracy:.2f} accuracy on the {n} rows it was trained on. A model that cannot "
    "even memorise a small subset points to a problem before any tuning: features that carry no signal or "
    "were left out (check the roles), labels that contradict each other, or hyperparameters that restrict "
    "the model strongly (strong regularisation, large leaves, few neighbours voting, few iterations)."
)
ESTIMATE_LONG = (
    "Training will take about {minutes:.0f} minutes (estimated from a fit on {n:,} rows). It runs in the "
    "background and can be cancelled; consider fewer rows, fewer folds or a faster model first."
)


@dataclass(frozen=True)
class SanityResult:
    """The outcome of overfitting a small subset of the training rows."""

    n_rows: int
    train_accuracy: float
    passed: bool
    message: str


def sanity_check(data: TrainingData, *, config: TrainingConfig, plan: FeaturePlan, n_rows: int = SANITY_ROWS,
                 threshold: float = SANITY_PASS) -> SanityResult:
    """Return how well the model fits a small subset of train rows, scored on those same rows."""
    config = check_config(config)
    features, labels = _subset_with_two_classes(data, n_rows, config.random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings on 100 rows say nothing here
        model = fit_pipeline(plan, config, features, labels)
    accuracy = evaluate_predictions(predict_rows(model, features, labels), classes=model.classes_).metrics["accuracy"]
    passed = accuracy >= threshold
    message = (SANITY_PASSED if passed else SANITY_FAILED).format(n=len(labels), accuracy=accuracy)
    return SanityResult(len(labels), accuracy, passed, message)


def _subset_with_two_classes(data: TrainingData, n_rows: int, random_state: int):
    features, labels = sample_rows(data.train_X, data.train_y, n_rows, random_state=random_state)
    if labels.nunique() >= 2:
        return features, labels
    # A rare class can be missed by chance: add its first training row so the subset has two.
    other = data.train_y[data.train_y != labels.iloc[0]].index[:1]
    return (data.train_X.loc[labels.index.append(other)], data.train_y.loc[labels.index.append(other)])


@dataclass(frozen=True)
class TimeEstimate:
    """A rough training time, extrapolated from a timed fit on a sample."""

    sample_rows: int
    sample_seconds: float
    seconds: float
    is_long: bool

    @property
    def message(self) -> str:
        if self.is_long:
            return ESTIMATE_LONG.format(minutes=self.seconds / 60, n=self.sample_rows)
        return f"Training should take {_duration(self.seconds)} (estimated from a fit on {self.sample_rows:,} rows)."


def _duration(seconds: float) -> str:
    return f"about {seconds:.0f} s" if seconds >= 1 else "under a second"


def estimate_training_seconds(data: TrainingData, *, config: TrainingConfig, plan: FeaturePlan,
                              sample_size: int = ESTIMATE_ROWS) -> TimeEstimate:
    """Return the estimated time of the whole run: fits (folds and learning curve included) and predictions."""
    config = check_config(config)
    features, labels = _subset_with_two_classes(data, sample_size, config.random_state)
    build_pipeline(plan, config)  # the first build imports scikit-learn's modules: keep that off the clock
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_pipeline(plan, config, features, labels)
    sample_seconds = time.perf_counter() - started
    one_fit = sample_seconds * _growth(config.model, len(labels), len(data.train_y))
    folds = config.cv_folds * (config.cv_folds - 1) / config.cv_folds if config.cv_folds else 0.0
    curve = sum(CURVE_FRACTIONS[:-1]) if config.learning_curve else 0.0
    seconds = one_fit * (1 + folds + curve) + _prediction_seconds(model, data, config, len(labels))
    return TimeEstimate(len(labels), sample_seconds, seconds, seconds > LONG_FIT_SECONDS)


def _prediction_seconds(model, data: TrainingData, config: TrainingConfig, fitted_rows: int) -> float:
    """Return the estimated time to predict the dev rows (and held-out folds), from timing a few hundred."""
    sample = data.dev_X.iloc[:PREDICT_SAMPLE_ROWS]
    model.predict_proba(sample.iloc[:1])  # a first call sets up what later calls reuse
    started = time.perf_counter()
    model.predict_proba(sample)
    per_row = (time.perf_counter() - started) / len(sample)
    if config.model == "knn":  # each prediction searches all training rows, so it grows with them
        per_row *= max(len(data.train_y) / fitted_rows, 1.0)
    rows = len(data.dev_y) * (2 if config.learning_curve else 1) + (len(data.train_y) if config.cv_folds else 0)
    return per_row * rows


def _growth(model: str, sample: int, full: int) -> float:
    """Return how much longer a fit on `full` rows takes than on `sample` rows (n log n for trees)."""
    ratio = max(full, 1) / max(sample, 1)
    if ratio <= 1:
        return 1.0
    if model_spec(model).input_style in ("ordinal", "native"):
        return ratio * math.log(full) / math.log(max(sample, 2))
    return float(np.clip(ratio, 1, None))
