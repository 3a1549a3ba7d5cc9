"""Group metrics of a two-class decision: one confusion count per group, every rate derived from it.

Like fairlearn's MetricFrame, one computation (the per-group confusion counts) carries all the
metrics; the rates are ratios of those counts, so resampling counts gives every interval at once.
A rate whose denominator is zero in a group (no positives, say) is NaN — undefined — never 0.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

CELLS = ("tn", "fp", "fn", "tp")
# name -> (numerator cells, denominator cells); "count" is the group size itself.
RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "base_rate": (("fn", "tp"), CELLS),
    "selection_rate": (("fp", "tp"), CELLS),
    "accuracy": (("tn", "tp"), CELLS),
    "precision": (("tp",), ("tp", "fp")),
    "tpr": (("tp",), ("tp", "fn")),
    "fpr": (("fp",), ("fp", "tn")),
    "fnr": (("fn",), ("tp", "fn")),
    "for": (("fn",), ("fn", "tn")),
    "fdr": (("fp",), ("tp", "fp")),
    "fp_share": (("fp",), CELLS),
    "fn_share": (("fn",), CELLS),
}
METRICS = ("count", *RATES)
METRIC_LABELS = {
    "count": "rows", "base_rate": "base rate", "selection_rate": "selection rate", "accuracy": "accuracy",
    "precision": "precision", "tpr": "true positive rate", "fpr": "false positive rate",
    "fnr": "false negative rate", "for": "false omission rate", "fdr": "false discovery rate",
    "fp_share": "false positives / group size", "fn_share": "false negatives / group size",
}
DEFAULT_RESAMPLES, DEFAULT_MIN_ROWS, DEFAULT_SEED = 200, 30, 0
MAX_RESAMPLES = 5000
RESAMPLE_CHUNK = 25

LENGTHS_DIFFER = "The labels, decisions and groups have different lengths ({lengths}); they must match row for row."
NO_ROWS = "There are no rows to audit. Pick a run with stored predictions on the chosen split."
BAD_RESAMPLES = "Bootstrap resamples must be a whole number from 0 to {limit}; got {value}."

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class GroupMetrics:
    """Every metric per group (values), its bootstrap interval (lower, upper), and the overall values."""

    values: pd.DataFrame
    lower: pd.DataFrame
    upper: pd.DataFrame
    overall: pd.Series
    counts: pd.DataFrame
    small: pd.Series
    n_resamples: int
    seed: int


def confusion_by_group(y_true, y_pred, groups, *, positive) -> pd.DataFrame:
    """Return tn, fp, fn, tp per group (groups sorted), counting `positive` as the positive class."""
    truth, decision, groups = np.asarray(y_true), np.asarray(y_pred), np.asarray(groups, dtype=object)
    if not len(truth) == len(decision) == len(groups):
        raise ValueError(LENGTHS_DIFFER.format(lengths=", ".join(map(str, (len(truth), len(decision), len(groups))))))
    if len(truth) == 0:
        raise ValueError(NO_ROWS)
    codes, names = pd.factorize(groups, sort=True)
    cell = 2 * (truth == positive).astype(np.int64) + (decision == positive).astype(np.int64)
    counts = np.bincount(codes * 4 + cell, minlength=4 * len(names)).reshape(len(names), 4)
    return pd.DataFrame(counts, index=pd.Index(names, name="group"), columns=list(CELLS))


def rates(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Return every metric from counts whose last axis is (tn, fp, fn, tp); NaN where undefined."""
    cell = {name: counts[..., i].astype(float) for i, name in enumerate(CELLS)}
    found = {"count": sum(cell.values())}
    for name, (top, bottom) in RATES.items():
        numerator, denominator = sum(cell[c] for c in top), sum(cell[c] for c in bottom)
        found[name] = np.divide(numerator, denominator, out=np.full(np.shape(denominator), np.nan),
                                where=denominator > 0)
    return found


def metrics_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Return one row per group, one column per metric, from the confusion counts."""
    return pd.DataFrame(rates(counts.to_numpy()), index=counts.index)[list(METRICS)]


def check_resamples(n_resamples) -> int:
    """Return the number of bootstrap resamples, or raise ValueError when it is not 0 to MAX_RESAMPLES."""
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) \
            or not 0 <= n_resamples <= MAX_RESAMPLES:
        raise ValueError(BAD_RESAMPLES.format(limit=MAX_RESAMPLES, value=n_resamples))
    return int(n_resamples)


def bootstrap_counts(counts: pd.DataFrame, *, n_resamples: int, seed: int,
                     progress: Progress | None = None) -> np.ndarray:
    """Return resampled counts, shape (resamples, groups, 4): rows drawn with replacement within each group.

    Drawing n rows with replacement from a group and counting their confusion cells is a multinomial
    draw of n over the group's cell shares, so each resample costs one draw per group, not one per row.
    """
    check_resamples(n_resamples)
    rng = np.random.default_rng(seed)
    table = counts.to_numpy()
    sizes = table.sum(axis=1)
    shares = table / np.maximum(sizes, 1)[:, None]
    drawn = np.empty((n_resamples, len(table), 4), dtype=np.int64)
    for start in range(0, n_resamples, RESAMPLE_CHUNK):
        stop = min(start + RESAMPLE_CHUNK, n_resamples)
        drawn[start:stop] = rng.multinomial(sizes, shares, size=(stop - start, len(table)))
        if progress is not None:
            progress(stop, n_resamples)
    return drawn


def percentile_interval(resampled: np.ndarray, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Return the lower and upper percentile bounds over the first axis, ignoring undefined resamples."""
    if resampled.shape[0] == 0:
        return np.full(resampled.shape[1:], np.nan), np.full(resampled.shape[1:], np.nan)
    tail = (1 - level) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a metric undefined in every resample stays NaN
        lower, upper = np.nanpercentile(resampled, [tail, 100 - tail], axis=0)
    return lower, upper


def group_metrics(y_true, y_pred, groups, *, positive, n_resamples: int = DEFAULT_RESAMPLES,
                  seed: int = DEFAULT_SEED, min_rows: int = DEFAULT_MIN_ROWS,
                  progress: Progress | None = None) -> GroupMetrics:
    """Return every metric per group with seeded bootstrap 95% intervals, the overall values and small groups."""
    counts = confusion_by_group(y_true, y_pred, groups, positive=positive)
    values = metrics_table(counts)
    resampled = rates(bootstrap_counts(counts, n_resamples=n_resamples, seed=seed, progress=progress))
    bounds = {name: percentile_interval(resampled[name]) for name in METRICS}
    lower = pd.DataFrame({name: bounds[name][0] for name in METRICS}, index=counts.index)
    upper = pd.DataFrame({name: bounds[name][1] for name in METRICS}, index=counts.index)
    overall = pd.Series({k: float(v) for k, v in rates(counts.to_numpy().sum(axis=0)).items()})[list(METRICS)]
    return GroupMetrics(values, lower, upper, overall, counts, values["count"] < min_rows, n_resamples, seed)
