"""The compact prediction log: per-window aggregates plus a bounded sample of rows.

A replay of a million requests must not become a million stored objects. The requests are cut
into at most `n_windows` windows of equal count; each window keeps counts (requests per side,
predicted classes, a confidence histogram, confusion counts against the true labels, shadow
agreement, cases sent to a person), latency quantiles, per-feature summaries, and when its last
label arrives; plus up to `sample_per_window` random rows and as many rows where the two sides
disagreed, each with its time, row id, inputs, predictions, confidence, latency and true label.
Monitoring reads both: the aggregates for its charts, the sampled rows for its drift tests.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ARMS = ("champion", "challenger")
CONFIDENCE_BINS = 10
MAX_LEVELS = 30
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
SAMPLE_COLUMNS = ("position", "t", "window", "arm", "prediction", "confidence", "latency_ms", "label", "label_at",
                  "to_human", "champion_prediction", "challenger_prediction", "kept_as")


@dataclass
class BatchRecord:
    """What a replay did with one batch of consecutive requests (positions start..stop)."""

    start: int
    stop: int
    arm: np.ndarray  # 0 champion, 1 challenger, per request: the side that served it
    prediction: np.ndarray  # class position finally given (after any person), per request
    model_prediction: np.ndarray  # class position the serving side gave
    confidence: np.ndarray
    latency_ms: np.ndarray
    to_human: np.ndarray
    champion_prediction: np.ndarray  # -1 where the champion did not predict
    challenger_prediction: np.ndarray  # -1 where the challenger did not predict
    n_failed: int = 0
    seconds: float = 0.0  # wall-clock time the replay spent serving the batch
    rss_mb: float = float("nan")  # the process's resident memory right after the batch was served


@dataclass
class PredictionLog:
    """Builds the windows' aggregates and the sample while a replay runs (see the module docstring)."""

    frame: pd.DataFrame
    labels: np.ndarray
    label_positions: np.ndarray  # the true label's class position, -1 where unknown
    times: np.ndarray
    classes: list
    features: list[str]
    n_total: int
    delay: np.timedelta64
    n_windows: int = 100
    sample_per_window: int = 200
    seed: int = 0
    windows: list[dict] = field(default_factory=list)
    samples: list[pd.DataFrame] = field(default_factory=list)
    _pending: list[BatchRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.window_size = max(1, math.ceil(self.n_total / self.n_windows))
        self._rng = np.random.default_rng(self.seed)
        self._columns = [self.frame.columns.get_loc(c) for c in self.features]

    def add(self, record: BatchRecord) -> None:
        """Take one batch; close every window the batch completes."""
        self._pending.append(record)
        while self._pending and self._pending[-1].stop >= (len(self.windows) + 1) * self.window_size:
            self._close((len(self.windows) + 1) * self.window_size)

    def finish(self) -> None:
        """Close the last, partly filled window."""
        if self._pending:
            self._close(self._pending[-1].stop)

    def _close(self, stop: int) -> None:
        start = len(self.windows) * self.window_size
        joined = {name: np.concatenate([_cut(getattr(r, name), r, start, stop) for r in self._pending])
                  for name in ("arm", "prediction", "model_prediction", "confidence", "latency_ms", "to_human",
                               "champion_prediction", "challenger_prediction")}
        failed = sum(r.n_failed for r in self._pending if r.start < stop)
        software = _software(self._pending, start, stop)
        for record in self._pending:  # a batch's failures count in the first window it reaches only
            record.n_failed = 0 if record.start < stop else record.n_failed
        self._pending = [r for r in self._pending if r.stop > stop]
        if len(joined["arm"]):
            self.windows.append({**self._aggregate(start, stop, joined, failed), **software})
            self.samples.append(self._sample(start, stop, joined))

    def _aggregate(self, start: int, stop: int, rec: dict, failed: int) -> dict:
        times, truth = self.times[start:stop], self.label_positions[start:stop]
        compared = (rec["champion_prediction"] >= 0) & (rec["challenger_prediction"] >= 0)
        return {"index": len(self.windows), "first_position": start, "n": stop - start,
                "start": str(pd.Timestamp(times[0])), "end": str(pd.Timestamp(times[-1])),
                "labels_complete_at": str(pd.Timestamp(times.max() + self.delay)),
                "n_by_arm": {arm: int((rec["arm"] == i).sum()) for i, arm in enumerate(ARMS)},
                "n_failed": int(failed), "n_to_human": int(rec["to_human"].sum()),
                "class_mix": _counts(rec["prediction"], self.classes),
                "confidence_histogram": np.histogram(rec["confidence"], bins=CONFIDENCE_BINS,
                                                     range=(0.0, 1.0))[0].tolist(),
                "mean_confidence": float(rec["confidence"].mean()),
                "latency_ms": _latency(rec["latency_ms"]),
                "confusion": _confusion(truth, rec["prediction"], self.classes),
                "errors_by_arm": {arm: _errors(truth, rec["model_prediction"], rec["arm"] == i)
                                  for i, arm in enumerate(ARMS)},
                "shadow": _shadow(truth, rec["champion_prediction"], rec["challenger_prediction"], compared),
                "features": feature_summaries(self.frame.iloc[start:stop, self._columns])}

    def _sample(self, start: int, stop: int, rec: dict) -> pd.DataFrame:
        n = stop - start
        uniform = np.zeros(n, dtype=bool)
        uniform[self._rng.choice(n, size=min(n, self.sample_per_window), replace=False)] = True
        disagree = np.flatnonzero((rec["champion_prediction"] >= 0) & (rec["challenger_prediction"] >= 0)
                                  & (rec["champion_prediction"] != rec["challenger_prediction"]) & ~uniform)
        chosen = np.sort(np.concatenate([np.flatnonzero(uniform), disagree[:self.sample_per_window]]))
        return self._rows(start, chosen, rec, uniform)

    def _rows(self, start: int, chosen: np.ndarray, rec: dict, uniform: np.ndarray) -> pd.DataFrame:
        positions = start + chosen
        names = np.asarray(self.classes, dtype=object)
        rows = pd.DataFrame({
            "position": positions, "t": self.times[positions], "window": len(self.windows) - 1,
            "arm": np.asarray(ARMS, dtype=object)[rec["arm"][chosen]],
            "prediction": _named(rec["prediction"][chosen], names), "confidence": rec["confidence"][chosen],
            "latency_ms": rec["latency_ms"][chosen], "label": self.labels[positions],
            "label_at": self.times[positions] + self.delay, "to_human": rec["to_human"][chosen],
            "champion_prediction": _named(rec["champion_prediction"][chosen], names),
            "challenger_prediction": _named(rec["challenger_prediction"][chosen], names),
            "kept_as": np.where(uniform[chosen], "random", "disagreement"),
        }, index=self.frame.index[positions])
        return pd.concat([rows, self.frame.iloc[positions, self._columns].set_axis(rows.index)], axis=1)

    def sample_frame(self) -> pd.DataFrame:
        """Return every window's sampled rows in one frame, indexed by the stream's row_id."""
        if not self.samples:
            return pd.DataFrame(columns=list(SAMPLE_COLUMNS) + self.features)
        return pd.concat(self.samples)


def _cut(values: np.ndarray, record: BatchRecord, start: int, stop: int) -> np.ndarray:
    return values[max(start - record.start, 0):max(min(stop, record.stop) - record.start, 0)]


def _software(records: list[BatchRecord], start: int, stop: int) -> dict:
    """Return a window's wall-clock seconds, requests per second and peak resident memory (MB).

    A batch that straddles two windows gives each the share of its time that its requests there
    took; the memory peak is the highest reading after any batch the window touches.
    """
    seconds, peak = 0.0, float("nan")
    for record in records:
        overlap = min(stop, record.stop) - max(start, record.start)
        if overlap > 0:
            seconds += record.seconds * overlap / (record.stop - record.start)
            peak = record.rss_mb if math.isnan(peak) else max(peak, record.rss_mb)
    n = stop - start
    return {"seconds": seconds, "throughput_rps": n / seconds if seconds > 0 else None,
            "peak_rss_mb": None if math.isnan(peak) else peak}


def _named(positions: np.ndarray, names: np.ndarray) -> np.ndarray:
    out = np.full(len(positions), None, dtype=object)
    known = positions >= 0
    out[known] = names[positions[known]]
    return out


def _counts(positions: np.ndarray, classes: list) -> dict[str, int]:
    counts = np.bincount(positions[positions >= 0], minlength=len(classes))
    return {str(c): int(n) for c, n in zip(classes, counts)}


def _latency(latency: np.ndarray) -> dict[str, float]:
    p50, p95, p99 = np.percentile(latency, [50, 95, 99])
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99), "mean": float(latency.mean()),
            "max": float(latency.max())}


def _confusion(truth: np.ndarray, predicted: np.ndarray, classes: list) -> list[list[int]]:
    """Return counts[true class][predicted class] over the requests with a known label."""
    known = truth >= 0
    k = len(classes)
    return np.bincount(truth[known] * k + predicted[known], minlength=k * k).reshape(k, k).tolist()


def _errors(truth: np.ndarray, predicted: np.ndarray, chosen: np.ndarray) -> dict[str, int]:
    known = chosen & (truth >= 0)
    return {"labelled": int(known.sum()), "errors": int((predicted[known] != truth[known]).sum())}


def _shadow(truth: np.ndarray, champion: np.ndarray, challenger: np.ndarray, compared: np.ndarray) -> dict:
    differ = compared & (champion != challenger)
    labelled = differ & (truth >= 0)
    return {"compared": int(compared.sum()), "agree": int((compared & ~differ).sum()),
            "disagree_labelled": int(labelled.sum()),
            "champion_right": int((labelled & (champion == truth)).sum()),
            "challenger_right": int((labelled & (challenger == truth)).sum())}


def feature_summaries(frame: pd.DataFrame) -> dict[str, dict]:
    """Return per column: count and missing, and numbers' moments and quantiles or the categories' counts."""
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    summaries = _numeric_summaries(frame[numeric]) if numeric else {}
    for column in frame.columns:
        if column not in summaries:
            summaries[str(column)] = _categorical_summary(frame[column])
    return {str(c): summaries[str(c)] for c in frame.columns}


def _numeric_summaries(frame: pd.DataFrame) -> dict[str, dict]:
    # One pass over a 2-D array for all numeric columns: many times quicker than column by column.
    values = frame.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(values).sum(axis=0)
    out = {}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column gives NaN, said by n = 0
        stats = (np.nanmean(values, axis=0), np.nanstd(values, axis=0), np.nanmin(values, axis=0),
                 np.nanmax(values, axis=0), np.nanquantile(values, QUANTILES, axis=0))
    for i, column in enumerate(frame.columns):
        n = int(len(values) - missing[i])
        out[str(column)] = {"kind": "numeric", "n": n, "missing": int(missing[i])}
        if n:
            out[str(column)].update(mean=float(stats[0][i]), std=float(stats[1][i]), min=float(stats[2][i]),
                                    max=float(stats[3][i]), quantiles=[float(q) for q in stats[4][:, i]])
    return out


def _categorical_summary(column: pd.Series) -> dict:
    if isinstance(column.dtype, pd.CategoricalDtype):  # counting codes is many times quicker than value_counts
        codes = column.cat.codes.to_numpy()
        counts = pd.Series(np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)),
                           index=column.cat.categories).sort_values(ascending=False, kind="stable")
    else:
        counts = column.value_counts(dropna=True)
    counts = counts[counts > 0]
    top = counts.iloc[:MAX_LEVELS]
    return {"kind": "categorical", "n": int(counts.sum()), "missing": int(column.isna().sum()),
            "counts": {str(k): int(v) for k, v in top.items()}, "other": int(counts.iloc[MAX_LEVELS:].sum())}
