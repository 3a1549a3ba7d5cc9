"""The whole slice table of a run in one call: every source of slices, priorities and recommended actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from core.errors.actions import LARGE_GAP, recommend_action
from core.errors.data import AnalysisData
from core.errors.discovery import discover_slices
from core.errors.priority import BaselineLookup, priority_table
from core.errors.scoring import Metric, metric_values
from core.errors.slices import DEFAULT_BINS, SliceError, SlicePredicate
from core.errors.table import ScoredSlice, min_slice_rows, pair_slices, score_predicate, tag_slices, value_slices


@dataclass(frozen=True)
class SliceOptions:
    """What the slice table is built from."""

    metric: Metric = "accuracy"
    n_bins: int = DEFAULT_BINS
    pairs: bool = True
    discovery: bool = True
    correct_p: bool = False
    ease: Mapping[str, float] = field(default_factory=dict)


# eq=False: holds a frame.
@dataclass(frozen=True, eq=False)
class SliceReport:
    """The prioritised table, each slice's predicate by name, the overall metric, and notes on what was skipped."""

    table: pd.DataFrame
    slices: dict[str, ScoredSlice]
    overall: float
    notes: tuple[str, ...]


def slice_report(data: AnalysisData, *, options: SliceOptions, baseline: BaselineLookup | None,
                 tags: Sequence[str] = (), saved: Mapping[str, SlicePredicate] | None = None,
                 unstructured: bool = False) -> SliceReport:
    """Return the slice table of a run's dev rows, highest priority first, with an action per slice."""
    overall = float(metric_values(data.counts(data.true >= 0), options.metric)[0])
    found, notes = _all_slices(data, options, tags, saved or {})
    by_name: dict[str, ScoredSlice] = {}
    for scored in found:  # the first source to find a slice names it
        by_name.setdefault(scored.name, scored)
    error_rate = float((data.true != data.pred).mean())
    table = priority_table(list(by_name.values()), n_rows=data.n_rows, overall=overall, overall_error=error_rate,
                           baseline=baseline, ease=options.ease, correct_p=options.correct_p)
    return SliceReport(_with_actions(table, by_name, baseline, unstructured), by_name, overall, tuple(notes))


def _all_slices(data, options, tags, saved) -> tuple[list[ScoredSlice], list[str]]:
    min_rows = min_slice_rows(data.n_rows)
    notes = []
    found = tag_slices(data, list(tags), metric=options.metric)
    for name, predicate in saved.items():
        try:
            found.append(score_predicate(data, predicate, name=name, metric=options.metric))
        except SliceError as error:
            notes.append(str(error))
    singles = value_slices(data, metric=options.metric, min_rows=min_rows, n_bins=options.n_bins)
    found += singles
    if options.pairs:
        found += pair_slices(data, singles, metric=options.metric, min_rows=min_rows)
    if options.discovery:
        found += discover_slices(data, metric=options.metric, min_rows=min_rows)
    return found, notes


def _with_actions(table: pd.DataFrame, by_name: dict[str, ScoredSlice], baseline: BaselineLookup | None,
                  unstructured: bool) -> pd.DataFrame:
    single = table[table["source"] == "feature"]
    far_everywhere = bool(len(single)) and bool((single["gap"] >= LARGE_GAP).all())
    advice = [recommend_action(gap=row.gap, share=row.share, unstructured=unstructured, far_everywhere=far_everywhere,
                               hlp_slice=baseline.slice_value(by_name[row.slice]) if baseline else None,
                               hlp_overall=baseline.per_value_overall if baseline else None)
              for row in table.itertuples()]
    return table.assign(action=[a.action for a in advice], why=[a.reason for a in advice])
