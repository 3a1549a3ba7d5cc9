"""Classification metrics of a run, computed from its stored predictions, and predict latency.

The metrics mapping uses the names scoping targets use, so `evaluate_targets` reads it as is:
``accuracy``, ``balanced_accuracy``, ``precision``, ``recall``, ``f1`` and ``roc_auc``. For two
classes, precision, recall and F1 are those of the positive class — the last of the `classes`
given: sorted, as scikit-learn's ``pos_label=1`` for 0/1 labels, unless the project chose another
(`core.predictions.positive_last`) — and ROC-AUC ranks its probability;
for more classes they are macro averages and ROC-AUC is one-vs-rest, macro-averaged.
``*_macro`` keys always hold the macro averages, and ``log_loss`` is lower-is-better.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.predictions import LABEL, PREDICTION, PROBA_PREFIX, class_names
from core.scoping.targets import metric_key
from core.slicing import MIN_SLICE_ROWS, count_note, slice_order, slice_values

SLICE_METRICS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc")
HIGHER_IS_BETTER = {"accuracy", "balanced_accuracy", "precision", "recall", "f1", "precision_macro",
                    "recall_macro", "f1_macro", "roc_auc"}
NO_ROWS = "There are no labelled rows to evaluate on. Label rows of this split, or make a split that has some."


@dataclass(frozen=True)
class Evaluation:
    """Metrics of one split: the flat mapping targets read, per-class scores and the confusion matrix."""

    metrics: dict[str, float]
    per_class: pd.DataFrame
    confusion: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Return the evaluation as JSON-safe values (NaN as None)."""
        return {"metrics": {k: _json_number(v) for k, v in self.metrics.items()},
                "per_class": {str(c): {k: _json_number(v) for k, v in row.items()}
                              for c, row in self.per_class.to_dict(orient="index").items()},
                "confusion": {"labels": [str(c) for c in self.confusion.index],
                              "matrix": self.confusion.to_numpy().tolist()}}


def _json_number(value: float) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def evaluate_predictions(predictions: pd.DataFrame, *, classes: Sequence) -> Evaluation:
    """Return the metrics of a predictions frame (see `predictions_frame`), equal to scikit-learn's."""
    from sklearn import metrics as sk

    if predictions.empty:
        raise ValueError(NO_ROWS)
    classes = list(classes)
    y_true, y_pred = predictions[LABEL].to_numpy(), predictions[PREDICTION].to_numpy()
    proba = predictions[[f"{PROBA_PREFIX}{c}" for c in class_names(classes)]].to_numpy(dtype=float)
    precision, recall, f1, support = sk.precision_recall_fscore_support(y_true, y_pred, labels=classes, zero_division=0)
    per_class = pd.DataFrame({"precision": precision, "recall": recall, "f1": f1, "support": support},
                             index=class_names(classes))
    values = {"accuracy": sk.accuracy_score(y_true, y_pred),
              "balanced_accuracy": _balanced_accuracy(y_true, y_pred),
              "precision_macro": precision.mean(), "recall_macro": recall.mean(), "f1_macro": f1.mean(),
              "roc_auc": _roc_auc(y_true, proba, classes), "log_loss": _log_loss(predictions, y_true, classes),
              "n_rows": len(predictions)}
    headline = (precision[-1], recall[-1], f1[-1]) if len(classes) == 2 else (precision.mean(), recall.mean(), f1.mean())
    values.update(zip(("precision", "recall", "f1"), headline))
    confusion = pd.DataFrame(sk.confusion_matrix(y_true, y_pred, labels=classes),
                             index=class_names(classes), columns=class_names(classes))
    return Evaluation({k: float(v) for k, v in values.items()}, per_class, confusion)


def slice_metrics(predictions: pd.DataFrame, groups: pd.DataFrame, *, classes: Sequence) -> dict[str, float]:
    """Return ``metric[column=value]`` for every slice of every column of `groups` (rows matched by row_id).

    These are the keys per-slice scoping targets read (``recall[sex=F] >= 0.8``); each slice's
    ``n_rows[column=value]`` records the rows its scores rest on. `groups` holds slice names
    (`core.slicing.slice_frame` of the whole columns: numeric ones binned into ranges such as
    ``age=18–30``); raw values are turned into names here, bins then from the rows given.
    """
    scores: dict[str, float] = {}
    for column in groups.columns:
        values = slice_values(groups[column]).reindex(predictions.index)
        for value in pd.unique(values.dropna()):
            within = evaluate_predictions(predictions[(values == value).to_numpy()], classes=classes).metrics
            scores.update({metric_key(m, f"{column}={value}"): within[m] for m in (*SLICE_METRICS, "n_rows")})
    return scores


def slice_table(metrics: dict[str, float | None], *, min_rows: float = MIN_SLICE_ROWS) -> pd.DataFrame:
    """Return the ``metric[column=value]`` entries of a metrics mapping as a table: one row per slice.

    ``n_rows`` comes first and ``note`` last: a slice with fewer rows than `min_rows` (or, for a
    run stored before slices recorded their rows, an unknown number) is flagged.

    >>> slice_table({"f1": 0.8, "f1[sex=F]": 0.7, "recall[sex=F]": 0.6, "n_rows[sex=F]": 12}).to_dict(orient="index")
    {'sex=F': {'n_rows': 12.0, 'f1': 0.7, 'recall': 0.6, 'note': 'too few rows (12 < 30)'}}
    """
    cells = [(key[key.index("[") + 1: -1], key[: key.index("[")], value)
             for key, value in metrics.items() if key.endswith("]") and "[" in key]
    table = pd.DataFrame(cells, columns=["slice", "metric", "value"])
    table = table.pivot(index="slice", columns="metric", values="value").rename_axis(columns=None)
    if table.empty:
        return table
    if "n_rows" not in table.columns:
        table["n_rows"] = np.nan
    table = table[["n_rows", *[c for c in table.columns if c != "n_rows"]]]
    table = table.loc[sorted(table.index, key=lambda name: (name.split("=", 1)[0], slice_order(name.split("=", 1)[-1])))]
    table["note"] = [count_note(n, min_rows) for n in table["n_rows"]]
    return table


def _log_loss(predictions: pd.DataFrame, y_true: np.ndarray, classes: list) -> float:
    # scikit-learn reads the probability columns in sorted class order, whatever order `labels` has
    # (the positive class may have been moved last): give them in that order.
    from sklearn.metrics import log_loss

    ordered = sorted(classes)
    return log_loss(y_true, predictions[[f"{PROBA_PREFIX}{c}" for c in class_names(ordered)]].to_numpy(dtype=float),
                    labels=ordered)


def _balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    import warnings

    from sklearn.metrics import balanced_accuracy_score

    with warnings.catch_warnings():  # a class predicted but absent from y_true only warns
        warnings.simplefilter("ignore")
        return balanced_accuracy_score(y_true, y_pred)


def _roc_auc(y_true: np.ndarray, proba: np.ndarray, classes: list) -> float:
    from sklearn.metrics import roc_auc_score

    present = set(pd.unique(y_true))
    if len(present) < 2:
        return math.nan  # ranking needs both kinds of rows
    if len(classes) == 2:
        return roc_auc_score(y_true == classes[-1], proba[:, -1])
    if len(present) < len(classes):
        return math.nan  # one-vs-rest needs every class among the labels
    return roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=classes)


WARM_UP_CALLS = 5
MIN_LATENCY_CALLS = 100
MAX_LATENCY_CALLS = 300
LATENCY_BUDGET_SECONDS = 1.0
LATENCY_HARD_STOP_SECONDS = 10.0
# The process got less than this share of a core while it asked for one: other work held the CPU.
BUSY_CPU_SHARE = 0.8


@dataclass(frozen=True)
class Latency:
    """Single-row predict latency: p50 and p95 in ms, the calls behind them, and how busy the machine was."""

    p50_ms: float
    p95_ms: float
    calls: int
    cpu_share: float  # process CPU time over wall time during the timed calls
    load_per_core: float  # the 1-minute load average over the number of cores
    busy: bool

    def to_timings(self) -> dict[str, float | int | bool]:
        return {"latency_p50_ms": self.p50_ms, "latency_p95_ms": self.p95_ms, "latency_calls": self.calls,
                "latency_cpu_share": self.cpu_share, "latency_load_per_core": self.load_per_core,
                "latency_busy": self.busy}


def machine_busy(cpu_share: float, load_per_core: float) -> bool:
    """Return whether other work competed for the CPU: the process got under 80% of a core, or more
    processes wanted to run than there are cores.

    >>> machine_busy(0.95, 0.4), machine_busy(0.5, 0.4), machine_busy(0.95, 1.5)
    (False, True, True)
    """
    return cpu_share < BUSY_CPU_SHARE or load_per_core > 1.0


def predict_latency_ms(model: Any, features: pd.DataFrame, *, n_rows: int = 200, warm_up: int = WARM_UP_CALLS,
                       min_calls: int = MIN_LATENCY_CALLS, max_calls: int = MAX_LATENCY_CALLS,
                       budget_seconds: float = LATENCY_BUDGET_SECONDS) -> Latency:
    """Return the p50 and p95 time to predict one row at a time (as a service would), after warm-up calls.

    Cycles through up to `n_rows` rows: at least `min_calls` timed calls (so p95 rests on the five
    slowest of a hundred or more, not on one spike), more up to `max_calls` while `budget_seconds`
    last; a model so slow that `LATENCY_HARD_STOP_SECONDS` pass first stops there, with fewer calls.
    """
    rows = features.iloc[: max(1, n_rows)]
    for position in range(warm_up):  # first calls fill caches and thread pools a service has warm
        model.predict(_one_row(rows, position))
    timings, cpu_share = _timed_calls(model, rows, min_calls, max_calls, budget_seconds)
    p50, p95 = np.percentile(timings, [50, 95])
    load = load_per_core()
    return Latency(float(p50), float(p95), len(timings), cpu_share, load, machine_busy(cpu_share, load))


def _one_row(rows: pd.DataFrame, position: int) -> pd.DataFrame:
    at = position % len(rows)
    return rows.iloc[at: at + 1]


def _timed_calls(model: Any, rows: pd.DataFrame, min_calls: int, max_calls: int,
                 budget_seconds: float) -> tuple[list[float], float]:
    timings: list[float] = []
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    while len(timings) < max_calls:
        start = time.perf_counter()
        model.predict(_one_row(rows, len(timings)))
        timings.append((time.perf_counter() - start) * 1000)
        spent = time.perf_counter() - wall_start
        if (len(timings) >= min_calls and spent > budget_seconds) or spent > LATENCY_HARD_STOP_SECONDS:
            break
    wall = time.perf_counter() - wall_start
    return timings, (time.process_time() - cpu_start) / wall if wall > 0 else 1.0


def load_per_core() -> float:
    """Return the 1-minute load average over the number of cores (0 where the system does not say)."""
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:  # no load average on this platform
        return 0.0
