"""Checks before a long fit: can the model overfit a small subset, and how long will training take?"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, replace

from core.modeling.evaluation import evaluate_predictions
from core.modeling.catalog import model_spec
from core.modeling.preprocessing import FeaturePlan
from core.modeling.training import (
    CURVE_FRACTIONS,
    Progress,
    TrainingConfig,
    build_pipeline,
    check_config,
    fit_pipeline,
    predict_rows,
)
from core.modeling.training_data import TrainingData, sample_rows

SANITY_ROWS = 100
SANITY_PASS = 0.95
ESTIMATE_ROWS = 2000  # the page estimates before fits on more training rows than this
ESTIMATE_SIZES = (1000, 4000)
REPEAT_BELOW_SECONDS = 1.0
MAX_REPEATS = 3
PREDICT_SAMPLE_ROWS = 500
LONG_FIT_SECONDS = 120.0

SANITY_PASSED = (
    "The model fits {n} training rows almost perfectly (accuracy {accuracy:.2f} on those same rows): the "
    "pipeline, features and labels let it learn. Go on and train on all the data."
)
SANITY_HELD_BACK = (
    "The model reaches {accuracy:.2f} accuracy on the {n} rows it was trained on, and {reference:.2f} on the "
    "same rows with weak regularisation ({loosened}). So the pipeline, features and labels let it learn, and "
    "your settings hold it back: that is what regularisation is for, not a problem. Judge the settings by "
    "the dev score."
)
# Loosening the settings lifts the subset accuracy by at least this much: the settings are what hold it back.
LOOSENING_HELPS = 0.05
SANITY_MODEL_LIMITED = (
    "The model reaches {accuracy:.2f} accuracy on the {n} rows it was trained on ({reference:.2f} with weak "
    "regularisation), while a fully grown random forest fits the same rows to {forest:.2f}. The features and "
    "labels can be learned; this kind of model cannot follow them that closely (a linear model draws one "
    "straight boundary). That is a property of the model, not a problem in the data."
)
SANITY_FAILED = (
    "The model reaches only {accuracy:.2f} accuracy on the {n} rows it was trained on, and even a fully grown "
    "random forest fits them only to {forest:.2f}. When the most flexible model cannot memorise a small "
    "subset, that points to a problem before any tuning: features that carry no signal or were left out "
    "(check the roles), or labels that contradict each other (identical rows with different labels)."
)
# The same model with its constraints loosened: what it can reach on these rows without regularisation.
WEAK_REGULARISATION = {
    "logistic_regression": {"C": 1e4, "max_iter": 10_000},
    "random_forest": {"max_depth": 0, "min_samples_leaf": 1},
    "hist_gradient_boosting": {"l2_regularization": 0.0, "max_iter": 500, "early_stopping": "off"},
    "knn": {"n_neighbors": 1},
    "mlp": {"alpha": 0.0, "max_iter": 2000},
}
FLEXIBLE_REFERENCE = TrainingConfig("random_forest", params={"n_estimators": 50, "max_depth": 0, "min_samples_leaf": 1})
ESTIMATE_STEP = "Estimating the training time: fitting {rows:,} sample rows ({step} of {steps})…"
ESTIMATE_PREDICT = "Estimating the training time: timing predictions…"
ESTIMATE_LONG = (
    "Training will take about {minutes:.0f} minutes (estimated from fits on {sizes} rows). It runs in the "
    "background and can be cancelled; consider fewer rows, fewer folds or a faster model first."
)


@dataclass(frozen=True)
class SanityResult:
    """The outcome of overfitting a small subset of the training rows, judged against what can be reached.

    `verdict`: "passed" (fits almost perfectly), "held_back" (the same model with weak
    regularisation fits), "model_limited" (only a fully grown forest fits) or "problem" (nothing fits).
    """

    n_rows: int
    train_accuracy: float
    passed: bool
    message: str
    verdict: str = "passed"
    reference_accuracy: float | None = None
    forest_accuracy: float | None = None


def sanity_check(data: TrainingData, *, config: TrainingConfig, plan: FeaturePlan, n_rows: int = SANITY_ROWS,
                 threshold: float = SANITY_PASS) -> SanityResult:
    """Return how well the model fits a small subset of train rows, scored on those same rows.

    Below `threshold`, the same subset is fitted again with weak regularisation and by a fully grown
    forest, so the message says whether the settings, the kind of model or the data hold it back.
    """
    config = check_config(config)
    features, labels = _subset_with_two_classes(data, n_rows, config.random_state)
    accuracy = _subset_accuracy(plan, config, features, labels)
    n = len(labels)
    if accuracy >= threshold:
        return SanityResult(n, accuracy, True, SANITY_PASSED.format(n=n, accuracy=accuracy))
    loosened = _loosened(config)
    reference = _subset_accuracy(plan, loosened, features, labels)
    settings = ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in
                         WEAK_REGULARISATION[config.model].items())
    if reference >= threshold or reference - accuracy >= LOOSENING_HELPS:
        message = SANITY_HELD_BACK.format(n=n, accuracy=accuracy, reference=reference, loosened=settings)
        return SanityResult(n, accuracy, False, message, "held_back", reference)
    forest = _subset_accuracy(plan, replace(FLEXIBLE_REFERENCE, random_state=config.random_state), features, labels)
    verdict, text = ("model_limited", SANITY_MODEL_LIMITED) if forest >= threshold else ("problem", SANITY_FAILED)
    message = text.format(n=n, accuracy=accuracy, reference=reference, forest=forest)
    return SanityResult(n, accuracy, False, message, verdict, reference, forest)


def _loosened(config: TrainingConfig) -> TrainingConfig:
    return check_config(replace(config, params={**config.params, **WEAK_REGULARISATION[config.model]}))


def _subset_accuracy(plan: FeaturePlan, config: TrainingConfig, features, labels) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings on 100 rows say nothing here
        model = fit_pipeline(plan, config, features, labels)
    return evaluate_predictions(predict_rows(model, features, labels), classes=model.classes_).metrics["accuracy"]


def _subset_with_two_classes(data: TrainingData, n_rows: int, random_state: int):
    features, labels = sample_rows(data.train_X, data.train_y, n_rows, random_state=random_state)
    if labels.nunique() >= 2:
        return features, labels
    # A rare class can be missed by chance: add its first training row so the subset has two.
    other = data.train_y[data.train_y != labels.iloc[0]].index[:1]
    return (data.train_X.loc[labels.index.append(other)], data.train_y.loc[labels.index.append(other)])


@dataclass(frozen=True)
class TimeEstimate:
    """A training time extrapolated from timed fits, on two sample sizes, of the configuration that will run."""

    sample_rows: tuple[int, ...]
    sample_seconds: tuple[float, ...]
    fit_seconds: float
    seconds: float
    is_long: bool

    @property
    def message(self) -> str:
        sizes = " and ".join(f"{n:,}" for n in self.sample_rows)
        if self.is_long:
            return ESTIMATE_LONG.format(minutes=self.seconds / 60, sizes=sizes)
        return f"Training should take {_duration(self.seconds)} (estimated from fits on {sizes} rows)."


def _duration(seconds: float) -> str:
    return f"about {seconds:.0f} s" if seconds >= 1 else "under a second"


def estimate_training_seconds(data: TrainingData, *, config: TrainingConfig, plan: FeaturePlan,
                              sample_sizes: tuple[int, int] = ESTIMATE_SIZES,
                              progress: Progress | None = None) -> TimeEstimate:
    """Return the estimated time of the whole run: fits (folds and learning curve included) and predictions.

    The run's own configuration is fitted on two sample sizes and the time extrapolated with
    `fit_time_model`: a fixed cost plus a cost per row (per row times log rows for trees).
    `progress(fraction, message)` is called before each sample fit and before timing predictions.
    """
    config = check_config(config)
    report = progress or (lambda fraction, message: None)
    n_train = len(data.train_y)
    sizes = tuple(dict.fromkeys(min(size, n_train) for size in sample_sizes))
    build_pipeline(plan, config)  # the first build imports scikit-learn's modules: keep that off the clock
    timed = []
    for step, size in enumerate(sizes):
        report(step / (len(sizes) + 1), ESTIMATE_STEP.format(rows=size, step=step + 1, steps=len(sizes)))
        timed.append(_timed_fit(data, config, plan, size))
    report(len(sizes) / (len(sizes) + 1), ESTIMATE_PREDICT)
    predict = fit_time_model(config.model, [(len(labels), seconds) for _, labels, seconds in timed])
    fit_sizes = [n_train] + _fold_sizes(n_train, config.cv_folds) + _curve_sizes(n_train, config.learning_curve)
    model, labels, _ = timed[-1]
    seconds = sum(predict(n) for n in fit_sizes) + _prediction_seconds(model, data, config, len(labels))
    return TimeEstimate(tuple(len(t[1]) for t in timed), tuple(t[2] for t in timed), predict(n_train), seconds,
                        seconds > LONG_FIT_SECONDS)


def _timed_fit(data: TrainingData, config: TrainingConfig, plan: FeaturePlan, size: int):
    """Return (model, labels, seconds): the fastest of a few fits when one is short, as short ones are noisy."""
    features, labels = _subset_with_two_classes(data, size, config.random_state)
    times: list[float] = []
    while not times or (sum(times) < REPEAT_BELOW_SECONDS and len(times) < MAX_REPEATS):
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = fit_pipeline(plan, config, features, labels)
        times.append(time.perf_counter() - started)
    return model, labels, min(times)


def _fold_sizes(n_train: int, folds: int) -> list[int]:
    return [n_train * (folds - 1) // folds] * folds if folds else []


def _curve_sizes(n_train: int, learning_curve: bool) -> list[int]:
    return [max(2, round(n_train * f)) for f in CURVE_FRACTIONS[:-1]] if learning_curve else []


def fit_time_model(model: str, timings: list[tuple[int, float]]):
    """Return a function rows -> seconds, fitted to (rows, seconds) timings as fixed cost + cost × work(rows).

    work(n) is n, or n·log n for tree models. A power law fitted to small samples is misled by the
    fixed cost (thread pools, encoders: about 0.1–0.3 s here), which flattens small timings: on
    loan_approval it gave exponents of 0.3 where the real growth is nearly linear.
    """
    work = _tree_work if model_spec(model).input_style in ("ordinal", "native") else float
    (n_small, t_small), (n_large, t_large) = timings[0], timings[-1]
    if n_large == n_small:
        return lambda n: t_large * work(n) / work(n_large)
    per_work = (t_large - t_small) / (work(n_large) - work(n_small))
    if per_work <= 0:  # no growth measured between the samples: all fixed cost, or noise; stay on the safe side
        return lambda n: t_large * max(work(n) / work(n_large), 1.0)
    fixed = max(t_large - per_work * work(n_large), 0.0)
    return lambda n: fixed + per_work * work(n)


def _tree_work(n: int) -> float:
    return n * math.log(max(n, 2))


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
