"""Error-analysis benchmarks: the feature-value slice table against a pandas groupby, and discovery."""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from bench.workloads import make_frame

SLICE_ROWS = 1_000_000
SLICE_REPEATS = 5
SLICE_SEED = 20_240_612
N_BINS = 4
MB = 1024**2

NOTES = [
    f"- slice table: {SLICE_ROWS:,} dev rows × 20 features (11 numeric cut into {N_BINS} quantile bins, 4 integer, "
    "5 text with 4–36 values; the bench table's ID column is left out), two classes, about 80% correct; "
    "`core.errors.table.value_slices` vs a plain pandas `groupby(...).agg(['size', 'mean'])` per column on the "
    "same bins (`pd.cut` at the same quantile edges), alternating in one process, median of "
    f"{SLICE_REPEATS}; the counts and accuracies are checked to be equal.",
    "- slice discovery: `core.errors.discovery.discover_slices` on the same rows (a depth-3 regression tree on "
    "the per-row log loss plus the single-condition scan), timed once, peak traced memory.",
]


def slice_problem(rows: int = SLICE_ROWS, *, random_state: int = SLICE_SEED):
    """Return (analysis data, frame of features, correct flags) for a seeded two-class problem."""
    from core.errors.data import analysis_data
    from core.predictions import predictions_frame

    frame = make_frame(rows, random_state=random_state).drop(columns=["customer"])
    frame["num_10"] = np.random.default_rng(random_state + 1).normal(size=rows)
    rng = np.random.default_rng(random_state)
    truth = rng.integers(0, 2, rows)
    predicted = np.where(rng.random(rows) < 0.8, truth, 1 - truth)
    p1 = np.clip(np.where(predicted == 1, 0.75, 0.25) + rng.normal(0, 0.1, rows), 0.01, 0.99)
    proba = np.column_stack([1 - p1, p1])
    predictions = predictions_frame(frame.index, truth, predicted, proba, classes=[0, 1])
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    categorical = [c for c in frame.columns if c not in numeric]
    data = analysis_data(predictions, frame, classes=[0, 1], numeric=numeric, categorical=categorical)
    return data, frame, pd.Series(truth == predicted, index=frame.index)


def ours(data):
    from core.errors.table import value_slices

    return value_slices(data, min_rows=1, n_bins=N_BINS, columns=[*data.categorical, *data.numeric])


def anchor(frame: pd.DataFrame, correct: pd.Series, numeric: list[str]) -> dict[str, pd.DataFrame]:
    """The same counts and accuracies with pandas: one groupby per column, numeric columns cut first."""
    tables = {}
    for column in frame.columns:
        keys = frame[column]
        if column in numeric:
            values = keys.to_numpy(dtype=float)
            edges = np.unique(np.quantile(values[~np.isnan(values)], np.arange(1, N_BINS) / N_BINS))
            keys = pd.cut(keys, [-np.inf, *edges, np.inf], right=False)
        tables[column] = correct.groupby(keys, observed=True).agg(["size", "mean"])
    return tables


def _check_equal(mine, theirs: dict[str, pd.DataFrame]) -> None:
    counts = sorted((s.n, round(s.metric, 9)) for s in mine)
    expected = sorted((int(n), round(float(m), 9)) for t in theirs.values() for n, m in t.itertuples(index=False))
    if counts != expected:
        raise AssertionError("the slice counts or accuracies differ from the pandas groupby")


def _timed(function, *args):
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def bench_slice_table(row_type):
    """Return the results row: the feature-value slice table vs pandas groupby on the same rows and bins."""
    data, frame, correct = slice_problem()
    mine_runs, their_runs = [], []
    for _ in range(SLICE_REPEATS):
        seconds, mine = _timed(ours, data)
        mine_runs.append(seconds)
        seconds, theirs = _timed(anchor, frame, correct, list(data.numeric))
        their_runs.append(seconds)
    _check_equal(mine, theirs)
    a, b = statistics.median(mine_runs), statistics.median(their_runs)
    return row_type(f"feature-value slice table: {SLICE_ROWS:,} dev rows × 20 features, {len(mine)} slices "
                    "(core.errors.table.value_slices vs pandas groupby size/mean per column)",
                    f"{a:.3f}", f"{b:.3f}", a / b, 2.0, "—", tuple(mine_runs), tuple(their_runs))


def bench_discovery(row_type):
    """Return the results row: automatic discovery on the same rows, timed, with its peak traced memory."""
    from core.errors.discovery import discover_slices

    data, _, _ = slice_problem()
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    found = discover_slices(data)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return row_type(f"slice discovery: {SLICE_ROWS:,} dev rows × 20 features, {len(found)} slices "
                    "(core.errors.discovery.discover_slices; no anchor)", f"{seconds:.3f}", "—", float("nan"),
                    float("nan"), f"{peak / MB:,.0f} MB traced", (seconds,), ())


if __name__ == "__main__":
    from dataclasses import make_dataclass

    Row = make_dataclass("Row", ["workload", "ours", "anchor", "ratio", "target", "peak_memory", "runs_ours",
                                 "runs_anchor"])
    print(bench_slice_table(Row))
    print(bench_discovery(Row))
