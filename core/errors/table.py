"""Slices from tags, feature values and pairs of conditions, each scored on a run's dev rows.

`value_slices` scores every level of a categorical column (the true and predicted class
included) and every quantile bin of a numeric one with one grouped count per column;
`pair_slices` joins the weakest of those two at a time; `tag_slices` makes one slice per tag.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.errors.data import PREDICTED_CLASS, TRUE_CLASS, AnalysisData
from core.errors.scoring import Metric, SliceCounts, group_counts, metric_values
from core.errors.slices import (
    DEFAULT_BINS, Condition, SliceError, SlicePredicate, bin_codes, bin_predicate, quantile_edges, slice_mask,
    tag_predicate,
)

Source = Literal["tag", "feature", "pair", "discovered", "saved"]
MIN_SHARE, MIN_ROWS = 0.05, 20
PAIR_POOL = 8
MAX_LEVELS = 50
EMPTY_SLICE = "The slice “{name}” holds no dev rows of this run, so it has no metric. Widen its conditions."


@dataclass(frozen=True)
class ScoredSlice:
    """A slice with what it holds on the run's dev rows: rows, errors and the chosen metric."""

    name: str
    source: Source
    predicate: SlicePredicate
    n: int
    errors: int
    metric: float


def min_slice_rows(n_rows: int) -> int:
    """Return the smallest slice worth reporting: max(5% of the rows, 20 rows)."""
    return max(int(np.ceil(MIN_SHARE * n_rows)), MIN_ROWS)


def slice_columns(data: AnalysisData) -> list[str]:
    return [*data.categorical, *data.numeric, TRUE_CLASS, PREDICTED_CLASS]


def value_slices(data: AnalysisData, *, metric: Metric = "accuracy", min_rows: int = 1,
                 n_bins: int = DEFAULT_BINS, columns: Sequence[str] | None = None) -> list[ScoredSlice]:
    """Return a slice per level of each categorical column and per quantile bin of each numeric one.

    Numeric columns with a single value are skipped (they cannot be cut); slices below
    `min_rows` rows are left out.
    """
    found: list[ScoredSlice] = []
    for column in columns if columns is not None else slice_columns(data):
        try:
            codes, predicates = column_groups(data.frame[column], column, n_bins=n_bins,
                                              numeric=column in data.numeric)
        except SliceError:
            continue
        counts = group_counts(codes, len(predicates), data.true, data.pred, data.n_classes)
        found += _scored(predicates, counts, metric, "feature", min_rows)
    return found


def column_groups(values: pd.Series, column: str, *, n_bins: int, numeric: bool) -> tuple[np.ndarray, list]:
    """Return a group code per row and the predicate of each group: levels, or quantile bins when numeric."""
    if numeric:
        edges = quantile_edges(values, n_bins=n_bins, column=column)
        return bin_codes(values, edges), [bin_predicate(column, edges, i) for i in range(len(edges) + 1)]
    categories = values.astype("category")
    levels = list(categories.cat.categories)[:MAX_LEVELS]
    codes = categories.cat.codes.to_numpy()
    codes = np.where(codes < len(levels), codes, -1)
    return codes, [SlicePredicate((Condition(column, "==", _plain(v)),)) for v in levels]


def _scored(predicates: list[SlicePredicate], counts: SliceCounts, metric: Metric, source: Source,
            min_rows: int) -> list[ScoredSlice]:
    values = metric_values(counts, metric)
    return [ScoredSlice(p.text(), source, p, int(counts.n[i]), int(counts.n[i] - counts.correct[i]), float(values[i]))
            for i, p in enumerate(predicates) if counts.n[i] >= max(min_rows, 1)]


def score_predicate(data: AnalysisData, predicate: SlicePredicate, *, name: str = "", source: Source = "saved",
                    metric: Metric = "accuracy") -> ScoredSlice:
    """Return one slice scored; raise SliceError when it names a missing column or holds no rows."""
    mask = slice_mask(data.frame, predicate, name=name, tags=data.tags)
    counts = data.counts(mask)
    if counts.n[0] == 0:
        raise SliceError(EMPTY_SLICE.format(name=name or predicate.text()))
    return ScoredSlice(name or predicate.text(), source, predicate, int(counts.n[0]),
                       int(counts.n[0] - counts.correct[0]), float(metric_values(counts, metric)[0]))


def pair_slices(data: AnalysisData, singles: Sequence[ScoredSlice], *, metric: Metric = "accuracy",
                min_rows: int = 1, pool: int = PAIR_POOL) -> list[ScoredSlice]:
    """Return the pairs of the `pool` weakest single-condition slices on different columns."""
    weakest = sorted((s for s in singles if len(s.predicate.columns()) == 1), key=lambda s: s.metric)[:pool]
    masks = {s.name: slice_mask(data.frame, s.predicate) for s in weakest}
    found = []
    for a, b in itertools.combinations(weakest, 2):
        if a.predicate.columns() == b.predicate.columns():
            continue
        counts = data.counts(masks[a.name] & masks[b.name])
        found += _scored([a.predicate.and_(b.predicate)], counts, metric, "pair", min_rows)
    return found


def tag_slices(data: AnalysisData, tags: Sequence[str], *, metric: Metric = "accuracy") -> list[ScoredSlice]:
    """Return one slice per tag that some dev row of the run carries."""
    found = []
    for tag in tags:
        mask = slice_mask(data.frame, tag_predicate(tag), tags=data.tags)
        found += _scored([tag_predicate(tag)], data.counts(mask), metric, "tag", 1)
    return found


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
