"""The per-column drift statistics, one small function each, matched to Evidently 0.7's stattests.

Each function takes the cleaned reference and current values (missing and infinite values
dropped, as Evidently's CleanColumn does) and the column's kind, and returns one number: a
p-value or a distance. `drift.DRIFT_METHODS` maps the names to them with their score kind and
default threshold. The Evidently file each one follows is named in its docstring
(evidently/legacy/calculations/stattests/).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

# Above this many values on both sides together the Wasserstein distance is read off a fine
# histogram instead of two sorts, when that histogram's error bound is at most WASSERSTEIN_MAX_ERROR
# (in units of the reference's standard deviation); otherwise the exact value is computed.
WASSERSTEIN_EXACT_UP_TO = 200_000
WASSERSTEIN_BINS = 1 << 20
WASSERSTEIN_MAX_ERROR = 1e-3
MIN_STD = 0.001  # wasserstein_distance_norm.py: norm = max(np.std(reference_data), 0.001)
PSI_BINS = 10


@dataclass(frozen=True, eq=False)
class CountedCategories:
    """A large categorical reference counted once, for comparing many windows with it."""

    counts: pd.Series
    size: int

    @classmethod
    def of(cls, values: pd.Series) -> CountedCategories:
        counts = values.value_counts(sort=False)
        return cls(counts[counts > 0], int(values.size))


@dataclass(frozen=True, eq=False)
class GriddedNumbers:
    """A large numeric reference prepared once: its values, standard deviation and counts on the Wasserstein grid.

    Windows are counted on the same grid, extended by whole bins where they reach past the
    reference, so the reference is not counted again for each window.
    """

    values: np.ndarray
    std: float
    low: float
    high: float
    width: float
    counts: np.ndarray | None

    @classmethod
    def of(cls, values: np.ndarray) -> GriddedNumbers:
        low, high = float(values.min()), float(values.max())
        width = (high - low) / WASSERSTEIN_BINS
        counts = _grid_counts(values, low, width, WASSERSTEIN_BINS) if width > 0 else None
        return cls(values, float(np.std(values)), low, high, width, counts)

    @property
    def size(self) -> int:
        return int(self.values.size)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return np.asarray(self.values, dtype=dtype)

    def __getitem__(self, key):
        return self.values[key]


def aligned_counts(reference, current) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the union of values and each side's count of every value (utils.get_binned_data's keys)."""
    ref, cur = _value_counts(reference), _value_counts(current)
    table = pd.concat([ref, cur], axis=1, sort=False).fillna(0)
    table = table[(table.iloc[:, 0] > 0) | (table.iloc[:, 1] > 0)]  # a category dtype lists unused levels too
    return table.index.to_numpy(), table.iloc[:, 0].to_numpy(float), table.iloc[:, 1].to_numpy(float)


def _value_counts(values) -> pd.Series:
    if isinstance(values, CountedCategories):
        return values.counts
    if isinstance(values, GriddedNumbers):
        values = values.values
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        keys, counts = np.unique(values, return_counts=True)
        return pd.Series(counts, index=keys)
    # A pandas categorical is counted on its codes, far faster than hashing its values.
    return (values if isinstance(values, pd.Series) else pd.Series(values)).value_counts(sort=False)


def ks_p_value(reference, current, kind: str) -> float:
    """Two-sample Kolmogorov–Smirnov p-value (ks_stattest.py: scipy.stats.ks_2samp, two-sided)."""
    return float(stats.ks_2samp(reference, current).pvalue)


def chisquare_p_value(reference, current, kind: str) -> float:
    """Chi-square goodness-of-fit p-value of the current counts against the reference's, scaled.

    chisquare_stattest.py: Evidently uses scipy.stats.chisquare (not chi2_contingency) with the
    expected counts = reference counts × n_current / n_reference over the union of values; a value
    the reference never had gets an expected count of 0, which makes the statistic infinite and
    the p-value 0 (scipy's answer, kept without its division warning).
    """
    _, ref_counts, cur_counts = aligned_counts(reference, current)
    expected = ref_counts * (cur_counts.sum() / ref_counts.sum())
    if np.any((expected == 0) & (cur_counts > 0)):
        return 0.0
    keep = expected > 0
    return float(stats.chisquare(cur_counts[keep], expected[keep]).pvalue)


def z_p_value(reference, current, kind: str) -> float:
    """Two-sided Z-test for two proportions: the share of the first value (sorted) in each sample.

    z_stattest.py: p = 2·(1 − Φ(|z|)) with the pooled proportion; two samples holding one and the
    same value get p = 1. Φ's upper tail is taken with norm.sf, which equals 1 − Φ without the
    rounding to 0 below p ≈ 1e-16 (no decision at the usual thresholds changes).
    """
    keys, ref_counts, cur_counts = aligned_counts(reference, current)
    if len(keys) == 1:
        return 1.0
    first = _first_sorted(keys)
    n1, n2 = ref_counts.sum(), cur_counts.sum()
    p1, p2 = ref_counts[first] / n1, cur_counts[first] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return float(2 * stats.norm.sf(abs(z)))


def _first_sorted(keys: np.ndarray) -> int:
    try:
        return int(np.argmin(keys)) if keys.dtype.kind in "iuf" else sorted(range(len(keys)), key=keys.__getitem__)[0]
    except TypeError:  # values of mixed types: order them by their text
        return sorted(range(len(keys)), key=lambda i: str(keys[i]))[0]


def wasserstein_normed(reference, current, kind: str) -> float:
    """First Wasserstein distance divided by the reference's standard deviation (ddof 0, at least 0.001).

    wasserstein_distance_norm.py: scipy.stats.wasserstein_distance(reference, current) /
    max(np.std(reference), 0.001). Computed here without scipy's concatenation and argsort: exactly
    from the two sorted samples, or (for large samples) from a fine histogram whose error bound is
    checked to be below WASSERSTEIN_MAX_ERROR of the result's unit.
    """
    if isinstance(reference, GriddedNumbers):
        on_grid = _wasserstein_on_reference_grid(reference, np.asarray(current, float))
        if on_grid is not None:
            return on_grid
    ref, cur = np.asarray(reference, float), np.asarray(current, float)
    norm = max(float(np.std(ref)), MIN_STD)
    if ref.size + cur.size > WASSERSTEIN_EXACT_UP_TO:
        approximate, bound = wasserstein_histogram(ref, cur)
        if bound / norm <= WASSERSTEIN_MAX_ERROR:
            return approximate / norm
    return wasserstein_exact(ref, cur) / norm


def wasserstein_exact(u: np.ndarray, v: np.ndarray) -> float:
    """W1 between two samples: the area between their empirical distribution functions."""
    u, v = np.sort(u), np.sort(v)
    points = np.sort(np.concatenate([u, v]), kind="stable")  # two sorted runs: a merge
    widths = np.diff(points)
    cdf_u = np.searchsorted(u, points[:-1], side="right") / u.size
    cdf_v = np.searchsorted(v, points[:-1], side="right") / v.size
    return float(np.sum(np.abs(cdf_u - cdf_v) * widths))


def wasserstein_histogram(u: np.ndarray, v: np.ndarray, bins: int = WASSERSTEIN_BINS) -> tuple[float, float]:
    """W1 from both samples counted on one grid of `bins` equal bins, and the bound on its error.

    Every value moves to the left edge of its bin, at most one bin width h away, so each sample's
    distribution moves by at most h in W1 and the distance between them by at most 2h (the
    triangle inequality). Returns (approximate distance, 2h).
    """
    low, high = min(u.min(), v.min()), max(u.max(), v.max())
    if high == low:
        return 0.0, 0.0
    width = (high - low) / bins
    cdf_u = np.cumsum(_grid_counts(u, low, width, bins)) / u.size
    cdf_v = np.cumsum(_grid_counts(v, low, width, bins)) / v.size
    return float(np.sum(np.abs(cdf_u - cdf_v)[:-1]) * width), 2 * width


def _wasserstein_on_reference_grid(ref: GriddedNumbers, cur: np.ndarray) -> float | None:
    """Normed W1 on the reference's grid (extended to the window's range), or None where the bound is too loose."""
    norm = max(ref.std, MIN_STD)
    if ref.counts is None or 2 * ref.width / norm > WASSERSTEIN_MAX_ERROR:
        return None
    first = min(0, int(np.floor((cur.min() - ref.low) / ref.width)))
    last = max(WASSERSTEIN_BINS - 1, int(np.floor((cur.max() - ref.low) / ref.width)))
    if last - first + 1 > 2 * WASSERSTEIN_BINS:  # a far outlier: the exact value instead
        return None
    index = np.floor((cur - ref.low) / ref.width).astype(np.int64)
    index = np.where(cur <= ref.high, np.minimum(index, WASSERSTEIN_BINS - 1), index)  # the reference's top edge
    cur_counts = np.bincount(index - first, minlength=last - first + 1)
    ref_counts = np.zeros(last - first + 1)
    ref_counts[-first:-first + WASSERSTEIN_BINS] = ref.counts
    gap = np.abs(np.cumsum(ref_counts) / ref.size - np.cumsum(cur_counts) / cur.size)
    return float(np.sum(gap[:-1]) * ref.width) / norm


def _grid_counts(values: np.ndarray, low: float, width: float, bins: int) -> np.ndarray:
    index = ((values - low) / width).astype(np.int64)
    np.minimum(index, bins - 1, out=index)
    return np.bincount(index, minlength=bins)


def binned_shares(reference, current, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Each side's share per bin: Sturges bins over both samples for a number with > 20 reference values, else per value.

    utils.get_binned_data (feel_zeroes=False, as jensenshannon.py calls it): numbers with more than
    20 distinct reference values go into np.histogram_bin_edges(both samples, "sturges"); anything
    else is counted value by value over the union of both sides' values.
    """
    if kind == "numeric" and pd.unique(np.asarray(reference, float)).size > 20:
        ref, cur = np.asarray(reference, float), np.asarray(current, float)
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, edges)[0] / ref.size, np.histogram(cur, edges)[0] / cur.size
    _, ref_counts, cur_counts = aligned_counts(reference, current)
    return ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()


def jensenshannon_distance(reference, current, kind: str) -> float:
    """Jensen–Shannon distance (natural log) of the two binned distributions (jensenshannon.py)."""
    ref_shares, cur_shares = binned_shares(reference, current, kind)
    return float(distance.jensenshannon(ref_shares, cur_shares))


def psi(reference, current, kind: str = "numeric", bins: int = PSI_BINS) -> float:
    """Population stability index: Σ (r − c)·ln(r / c) over the reference's quantile bins (numbers) or values.

    Bins: `bins` quantiles of the reference (repeated edges merged), so each holds about 1/bins of
    it; categories are taken value by value. Empty bins get Evidently's fill (utils.get_binned_data,
    feel_zeroes): the side's smallest non-zero share / 10⁶ when that is ≤ 0.0001, else 0.0001.
    """
    ref_shares, cur_shares = psi_shares(reference, current, kind, bins)
    ref_shares, cur_shares = _fill_zeros(ref_shares), _fill_zeros(cur_shares)
    return float(np.sum((ref_shares - cur_shares) * np.log(ref_shares / cur_shares)))


def psi_shares(reference, current, kind: str, bins: int = PSI_BINS) -> tuple[np.ndarray, np.ndarray]:
    """Each side's share per PSI bin (quantile bins of the reference for numbers, values otherwise)."""
    if kind != "numeric":
        _, ref_counts, cur_counts = aligned_counts(reference, current)
        return ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()
    ref, cur = np.asarray(reference, float), np.asarray(current, float)
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    n_bins = inner.size + 1
    ref_counts = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=n_bins)
    cur_counts = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=n_bins)
    return ref_counts / ref.size, cur_counts / cur.size


def _fill_zeros(shares: np.ndarray) -> np.ndarray:
    positive = shares[shares > 0]
    if positive.size == 0:
        return shares
    smallest = positive.min()
    return np.where(shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001, shares)
