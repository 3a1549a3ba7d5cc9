"""Fairness benchmarks: group metrics against fairlearn's MetricFrame, and the bootstrap's time and memory."""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

GROUP_ROWS = 1_000_000
GROUPS = ("a", "b", "c")
GROUP_REPEATS = 3
BOOT_ROWS = 100_000
BOOT_RESAMPLES = 200
BOOT_REPEATS = 3
SEED = 20_240_601
MB = 1024**2

NOTES = [
    f"- group metrics: {GROUP_ROWS:,} seeded rows, {len(GROUPS)} groups, two classes; "
    "`core.fairness.metrics.group_metrics` (no resamples) and fairlearn's `MetricFrame` with the same 12 "
    "metrics (its own selection_rate, count and rate functions, scikit-learn's accuracy and precision, the "
    "rest as boolean-mask ratios) alternate in one process, median of "
    f"{GROUP_REPEATS}; every value per group and overall is checked to be identical (undefined where either "
    "has no denominator).",
    f"- bootstrap: {BOOT_RESAMPLES} resamples on {BOOT_ROWS:,} rows, 3 groups; ours draws each group's "
    "confusion counts from a multinomial (the same bootstrap as resampling its rows), the anchor resamples "
    f"row indices within each group with numpy and counts them; median of {BOOT_REPEATS}; peak memory by "
    "tracemalloc.",
]


def decisions(rows: int, *, random_state: int = SEED) -> pd.DataFrame:
    """Return seeded labels, decisions and groups of unequal size and accuracy."""
    rng = np.random.default_rng(random_state)
    group = rng.choice(np.array(GROUPS, dtype=object), rows, p=[0.5, 0.3, 0.2])
    label = (rng.random(rows) < np.where(group == "a", 0.4, 0.3)).astype(np.int64)
    flip = rng.random(rows) < np.where(group == "c", 0.3, 0.15)
    return pd.DataFrame({"label": label, "prediction": np.where(flip, 1 - label, label), "group": group})


def _mask_ratio(top, bottom):
    def ratio(y, p):
        y, p = np.asarray(y), np.asarray(p)
        denominator = bottom(y, p).sum()
        return top(y, p).sum() / denominator if denominator else np.nan
    return ratio


def fairlearn_metrics() -> dict:
    from fairlearn.metrics import count, false_negative_rate, false_positive_rate, selection_rate, true_positive_rate
    from sklearn.metrics import accuracy_score, precision_score

    return {
        "count": count, "base_rate": lambda y, p: np.mean(y), "selection_rate": selection_rate,
        "accuracy": accuracy_score, "precision": lambda y, p: precision_score(y, p, zero_division=np.nan),
        "tpr": true_positive_rate, "fpr": false_positive_rate, "fnr": false_negative_rate,
        "for": _mask_ratio(lambda y, p: (y == 1) & (p == 0), lambda y, p: p == 0),
        "fdr": _mask_ratio(lambda y, p: (y == 0) & (p == 1), lambda y, p: p == 1),
        "fp_share": lambda y, p: np.mean((np.asarray(y) == 0) & (np.asarray(p) == 1)),
        "fn_share": lambda y, p: np.mean((np.asarray(y) == 1) & (np.asarray(p) == 0)),
    }


def _timed(function):
    gc.collect()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bench_group_metrics(row_type):
    """Return the results row: our group metrics vs MetricFrame on 1M rows, identical numbers."""
    from fairlearn.metrics import MetricFrame

    from core.fairness.metrics import METRICS, group_metrics

    frame, metrics = decisions(GROUP_ROWS), fairlearn_metrics()
    ours, theirs = [], []
    for _ in range(GROUP_REPEATS):
        seconds, mine = _timed(lambda: group_metrics(frame["label"], frame["prediction"], frame["group"], positive=1,
                                                     n_resamples=0))
        ours.append(seconds)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds, reference = _timed(lambda: MetricFrame(metrics=metrics, y_true=frame["label"],
                                                            y_pred=frame["prediction"],
                                                            sensitive_features=frame["group"]))
        theirs.append(seconds)
        pd.testing.assert_frame_equal(mine.values, reference.by_group[list(METRICS)].astype(float), check_names=False,
                                      rtol=0, atol=1e-12)
        pd.testing.assert_series_equal(mine.overall, reference.overall[list(METRICS)].astype(float),
                                       check_names=False, rtol=0, atol=1e-12)
    mine_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    return row_type(
        f"group metrics: {GROUP_ROWS:,} rows, {len(GROUPS)} groups, 12 metrics per group and overall, identical "
        "numbers (core.fairness.metrics.group_metrics vs fairlearn MetricFrame)",
        f"{mine_s:.3f}", f"{theirs_s:.3f}", mine_s / theirs_s, 0.01, "—", tuple(ours), tuple(theirs))


def row_bootstrap(frame: pd.DataFrame, *, n_resamples: int, seed: int) -> np.ndarray:
    """Return resampled confusion counts by drawing row indices within each group (the textbook way)."""
    rng = np.random.default_rng(seed)
    cells = 2 * frame["label"].to_numpy() + frame["prediction"].to_numpy()
    by_group = [cells[(frame["group"] == g).to_numpy()] for g in sorted(frame["group"].unique())]
    drawn = np.empty((n_resamples, len(by_group), 4), dtype=np.int64)
    for r in range(n_resamples):
        for g, group_cells in enumerate(by_group):
            drawn[r, g] = np.bincount(group_cells[rng.integers(0, len(group_cells), len(group_cells))], minlength=4)
    return drawn


def _traced(function):
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, result


def bench_bootstrap(row_type):
    """Return the results row: 200 resamples on 100k rows, ours vs resampling rows, with peak memory."""
    from core.fairness.metrics import group_metrics

    frame = decisions(BOOT_ROWS)
    ours, theirs, peaks = [], [], []
    for _ in range(BOOT_REPEATS):
        seconds, peak, _ = _traced(lambda: group_metrics(frame["label"], frame["prediction"], frame["group"],
                                                         positive=1, n_resamples=BOOT_RESAMPLES, seed=0))
        ours.append(seconds)
        peaks.append(peak)
        seconds, anchor_peak, _ = _traced(lambda: row_bootstrap(frame, n_resamples=BOOT_RESAMPLES, seed=0))
        theirs.append(seconds)
    mine_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    return row_type(
        f"bootstrap: {BOOT_RESAMPLES} resamples on {BOOT_ROWS:,} rows, 3 groups, every metric's 95% interval "
        "(core.fairness.metrics.group_metrics vs resampling row indices per group with numpy, counts only)",
        f"{mine_s:.3f}", f"{theirs_s:.3f}", mine_s / theirs_s, 1.0,
        f"ours {statistics.median(peaks) / MB:.1f} MB, anchor {anchor_peak / MB:.1f} MB", tuple(ours), tuple(theirs))
