"""Training a catalog model on the train split, with progress, cancellation and evaluation.

`train_model` runs the steps a run consists of — optional cross-validation folds, the final
fit, the evaluation on train and dev, and optional learning-curve points — and calls
`progress(fraction, message)` between them; `should_stop()` is checked between steps (and
between batches of trees for a random forest), so a cancel takes effect within one step.
The data come in as a `TrainingData` (see `core.modeling.training_data`).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.modeling.evaluation import (
    Evaluation,
    evaluate_predictions,
    predict_latency_ms,
    slice_metrics,
)
from core.predictions import positive_last, predictions_frame
from core.modeling.catalog import build_estimator, check_hyperparameters, check_weighting, model_spec
from core.modeling.preprocessing import FeaturePlan, build_preprocessor
from core.modeling.training_data import TrainingData, sample_rows

Progress = Callable[[float, str], None]
StopCheck = Callable[[], bool]
MAX_FOLDS = 10
TRAIN_EVAL_ROWS = 20_000
CURVE_FRACTIONS = (0.1, 0.25, 0.5, 1.0)
CURVE_METRIC = "balanced_accuracy"
FOREST_BATCHES = 10

BAD_FOLDS = f"Cross-validation needs 2 to {MAX_FOLDS} folds (or 0 for none); {{folds}} is not possible."
TOO_FEW_FOR_FOLDS = (
    "The smallest class has {smallest} training rows, fewer than the {folds} folds asked for. "
    "Use at most {smallest} folds, or switch cross-validation off."
)
BAD_MIN_FREQUENCY = "The rare-level share must be between 0 and 0.5; {value} is not. 0.01 groups levels under 1%."
CANCELLED = "Training was cancelled."


class TrainingCancelled(Exception):
    """The user cancelled the run; it is recorded as cancelled, not failed."""


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides a run's model, besides the data: recorded as the run's config."""

    model: str
    params: dict[str, Any] = field(default_factory=dict)
    balance_classes: bool = False
    include_sensitive: tuple[str, ...] = ()
    cv_folds: int = 0
    learning_curve: bool = False
    random_state: int = 0
    min_frequency: float = 0.01
    # Of a two-class target, the class whose precision, recall and F1 the run reports (as text);
    # None: the last in sorted order, as runs recorded before the choice existed.
    positive_class: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "params": dict(self.params), "balance_classes": self.balance_classes,
                "include_sensitive": list(self.include_sensitive), "cv_folds": self.cv_folds,
                "learning_curve": self.learning_curve, "random_state": self.random_state,
                "min_frequency": self.min_frequency, "positive_class": self.positive_class}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        return cls(**{**data, "include_sensitive": tuple(data.get("include_sensitive", ()))})


def check_config(config: TrainingConfig) -> TrainingConfig:
    """Return the config with hyperparameter defaults filled in; raise ValueError naming a bad value."""
    params = check_hyperparameters(config.model, config.params)
    check_weighting(config.model, balance_classes=config.balance_classes)
    if config.cv_folds != 0 and not 2 <= config.cv_folds <= MAX_FOLDS:
        raise ValueError(BAD_FOLDS.format(folds=config.cv_folds))
    if not 0.0 <= config.min_frequency <= 0.5:
        raise ValueError(BAD_MIN_FREQUENCY.format(value=config.min_frequency))
    return TrainingConfig(**{**config.to_dict(), "params": params,
                             "include_sensitive": tuple(config.include_sensitive)})


def check_folds(data: TrainingData, folds: int) -> None:
    """Raise ValueError when a class has fewer training rows than the folds asked for."""
    smallest = int(data.train_y.value_counts().min())
    if folds and smallest < folds:
        raise ValueError(TOO_FEW_FOR_FOLDS.format(smallest=smallest, folds=folds))


def build_pipeline(plan: FeaturePlan, config: TrainingConfig) -> Any:
    """Return the unfitted pipeline of a run: the schema-built preprocessor, then the model."""
    from sklearn.pipeline import Pipeline

    spec = model_spec(config.model)
    prepare = build_preprocessor(plan, style=spec.input_style, min_frequency=config.min_frequency)
    mask = plan.categorical_mask if spec.input_style == "native" else ()
    model = build_estimator(config.model, config.params, balance_classes=config.balance_classes,
                            categorical_mask=mask, random_state=config.random_state)
    return Pipeline([("prepare", prepare), ("model", model)])


def fit_arguments(config: TrainingConfig, labels: pd.Series) -> dict[str, Any]:
    """Return the extra fit arguments: balanced sample weights for models weighted that way."""
    if not (config.balance_classes and model_spec(config.model).weighting == "sample_weight"):
        return {}
    from sklearn.utils.class_weight import compute_sample_weight

    return {"model__sample_weight": compute_sample_weight("balanced", labels)}


def fit_pipeline(plan: FeaturePlan, config: TrainingConfig, features: pd.DataFrame, labels: pd.Series, *,
                 should_stop: StopCheck | None = None, on_batch: Callable[[str], None] | None = None) -> Any:
    """Return the fitted pipeline; a forest grows in batches of trees, checking `should_stop` between them."""
    pipeline = build_pipeline(plan, config)
    if config.model != "random_forest" or should_stop is None:
        return pipeline.fit(features, labels, **fit_arguments(config, labels))
    # warm_start draws each new tree's seed as a single fit would, so the forest is the same.
    prepared = pipeline.named_steps["prepare"].fit_transform(features, labels)
    forest = pipeline.named_steps["model"]
    total = forest.n_estimators
    for batch in range(1, FOREST_BATCHES + 1):
        _stop_if_asked(should_stop)
        forest.set_params(n_estimators=max(1, round(total * batch / FOREST_BATCHES)), warm_start=True)
        forest.fit(prepared, labels)
        if on_batch:
            on_batch(f"{forest.n_estimators} of {total} trees")
    forest.set_params(warm_start=False)
    return pipeline


def _stop_if_asked(should_stop: StopCheck | None) -> None:
    if should_stop is not None and should_stop():
        raise TrainingCancelled(CANCELLED)


@dataclass(frozen=True)
class TrainingOutcome:
    """A trained run: the model, its evaluations, dev predictions, CV scores, learning curve and timings."""

    model: Any
    classes: tuple
    train: Evaluation
    dev: Evaluation
    dev_predictions: pd.DataFrame
    cv: pd.DataFrame | None
    learning_curve: pd.DataFrame | None
    timings: dict[str, float]
    warnings: tuple[str, ...] = ()


class _Steps:
    """Counts finished steps for the progress callback and checks for a cancel between them."""

    def __init__(self, total: int, progress: Progress | None, should_stop: StopCheck | None) -> None:
        self.total, self.done, self.progress, self.should_stop = total, 0, progress, should_stop

    def start(self, message: str) -> None:
        _stop_if_asked(self.should_stop)
        if self.progress:
            self.progress(self.done / self.total, message)

    def finish(self) -> None:
        self.done += 1


def train_model(data: TrainingData, *, config: TrainingConfig, plan: FeaturePlan,
                progress: Progress | None = None, should_stop: StopCheck | None = None) -> TrainingOutcome:
    """Return the trained and evaluated run; raise TrainingCancelled when `should_stop()` turns true."""
    config = check_config(config)
    check_folds(data, config.cv_folds)
    curve_points = len(CURVE_FRACTIONS) - 1 if config.learning_curve else 0
    steps = _Steps(config.cv_folds + 2 + curve_points, progress, should_stop)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cv = cross_validate(data, config=config, plan=plan, steps=steps) if config.cv_folds else None
        outcome = _fit_and_evaluate(data, config, plan, steps)
        curve = _learning_curve(data, config, plan, steps, outcome) if config.learning_curve else None
    if progress:
        progress(1.0, "finished")
    notes = tuple(dict.fromkeys(str(w.message).split("\n")[0] for w in caught if _worth_telling(w)))
    return TrainingOutcome(**{**outcome.__dict__, "cv": cv, "learning_curve": curve, "warnings": notes})


def _worth_telling(caught: warnings.WarningMessage) -> bool:
    # Feature-name warnings are about how inputs were passed, not about the model a user would act on.
    kind, text = caught.category.__name__, str(caught.message)
    return kind in {"ConvergenceWarning", "UserWarning"} and "feature names" not in text


def _fit_and_evaluate(data: TrainingData, config: TrainingConfig, plan: FeaturePlan, steps: _Steps) -> TrainingOutcome:
    steps.start(f"fitting {model_spec(config.model).label} on {len(data.train_y):,} rows")
    started = time.perf_counter()
    model = fit_pipeline(plan, config, data.train_X, data.train_y, should_stop=steps.should_stop,
                         on_batch=lambda note: steps.start(f"fitting: {note}"))
    fit_seconds = time.perf_counter() - started
    steps.finish()
    steps.start(f"evaluating on {len(data.dev_y):,} dev rows")
    started = time.perf_counter()
    dev_predictions = predict_rows(model, data.dev_X, data.dev_y)
    predict_seconds = time.perf_counter() - started
    train_X, train_y = sample_rows(data.train_X, data.train_y, TRAIN_EVAL_ROWS, random_state=config.random_state)
    classes = tuple(positive_last(model.classes_, config.positive_class))
    train = evaluate_predictions(predict_rows(model, train_X, train_y), classes=classes)
    latency = predict_latency_ms(model, data.dev_X)
    scored = evaluate_predictions(dev_predictions, classes=classes)
    slices = slice_metrics(dev_predictions, data.dev_groups, classes=classes) if data.dev_groups is not None else {}
    # Latency sits with the dev metrics so software targets (p95_latency_ms) are checked too.
    dev = Evaluation({**scored.metrics, **slices, "p95_latency_ms": latency.p95_ms}, scored.per_class, scored.confusion)
    steps.finish()
    timings = {"fit_seconds": fit_seconds, "predict_seconds": predict_seconds, **latency.to_timings()}
    return TrainingOutcome(model, classes, train, dev, dev_predictions, None, None, timings)


def predict_rows(model: Any, features: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Return the model's predictions frame for labelled rows (label, prediction, probabilities)."""
    proba = model.predict_proba(features)
    predicted = np.asarray(model.classes_)[proba.argmax(axis=1)]
    return predictions_frame(features.index, labels.to_numpy(), predicted, proba, classes=model.classes_)


def cross_validate(data: TrainingData, *, config: TrainingConfig, plan: FeaturePlan,
                   steps: _Steps | None = None) -> pd.DataFrame:
    """Return one row per stratified fold of the train split: accuracy, balanced accuracy and macro F1."""
    from sklearn.model_selection import StratifiedKFold

    steps = steps or _Steps(config.cv_folds, None, None)
    folds = StratifiedKFold(n_splits=config.cv_folds, shuffle=True, random_state=config.random_state)
    rows = []
    for number, (fit_rows, score_rows) in enumerate(folds.split(data.train_X, data.train_y), start=1):
        steps.start(f"cross-validation fold {number} of {config.cv_folds}")
        X, y = data.train_X.iloc[fit_rows], data.train_y.iloc[fit_rows]
        model = fit_pipeline(plan, config, X, y)
        held_out = predict_rows(model, data.train_X.iloc[score_rows], data.train_y.iloc[score_rows])
        scores = evaluate_predictions(held_out, classes=positive_last(model.classes_, config.positive_class)).metrics
        rows.append({"fold": number, **{k: scores[k] for k in ("accuracy", "balanced_accuracy", "f1_macro")}})
        steps.finish()
    return pd.DataFrame(rows)


def summarise_folds(cv: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Return the mean and sample standard deviation of each score over the folds."""
    scores = cv.drop(columns="fold")
    return {name: {"mean": float(scores[name].mean()), "std": float(scores[name].std(ddof=1))} for name in scores}


def _learning_curve(data: TrainingData, config: TrainingConfig, plan: FeaturePlan, steps: _Steps,
                    full: TrainingOutcome) -> pd.DataFrame:
    n_train = len(data.train_y)
    order = np.random.default_rng(config.random_state).permutation(n_train)
    rows = []
    for fraction in CURVE_FRACTIONS[:-1]:
        size = max(2, int(round(n_train * fraction)))
        steps.start(f"learning curve: {size:,} training rows")
        X, y = data.train_X.iloc[order[:size]], data.train_y.iloc[order[:size]]
        if y.nunique() >= 2:  # nested subsets; a subset with one class cannot be fitted
            rows.append(_curve_point(data, config, plan, X, y))
        steps.finish()
    rows.append({"train_rows": n_train, "train_score": full.train.metrics[CURVE_METRIC],
                 "dev_score": full.dev.metrics[CURVE_METRIC]})
    return pd.DataFrame(rows)


def _curve_point(data: TrainingData, config: TrainingConfig, plan: FeaturePlan, X: pd.DataFrame, y: pd.Series) -> dict:
    model = fit_pipeline(plan, config, X, y)
    train_X, train_y = sample_rows(X, y, TRAIN_EVAL_ROWS, random_state=config.random_state)
    classes = positive_last(model.classes_, config.positive_class)
    train = evaluate_predictions(predict_rows(model, train_X, train_y), classes=classes)
    dev = evaluate_predictions(predict_rows(model, data.dev_X, data.dev_y), classes=classes)
    return {"train_rows": len(y), "train_score": train.metrics[CURVE_METRIC], "dev_score": dev.metrics[CURVE_METRIC]}
