"""Tables that put baselines side by side: with each other, with the scoping targets, per class, per slice."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from core.baselines.metrics import METRIC_LABELS, BaselineScores, Scores
from core.scoping.targets import TargetLike, evaluate_targets, target_text
from core.slicing import MIN_SLICE_ROWS, TOO_FEW_ROWS, count_note, slice_order, too_few

STATUS_MARKS = {"met": "✓", "not met": "✗", "not measured": "–"}
INTERVAL = "95% interval (accuracy)"


@dataclass(frozen=True)
class BaselineSummary:
    """What the tables need to know about one stored baseline."""

    id: int
    name: str
    kind: str
    scores: BaselineScores
    is_primary: bool = False
    source: str = ""


DEV_SPLIT_KINDS = ("dummy", "simple_model", "old_model")
SCORED_ON = {
    "dev": "Dummy, simple-model and old-model baselines are scored on the dev split.",
    "hlp": "Human-level performance is not scored on the dev split: it rests on the items labelers labeled "
           "(those several people labeled, or every labeled item when scored against the true labels), "
           "{items} items.",
    "literature": "Literature values are as reported by their source, on its own data.",
}


def scoring_note(baselines: Sequence[BaselineSummary]) -> str:
    """Return what each kind of baseline in the table was scored on, for the kinds present."""
    kinds = {b.kind for b in baselines}
    parts = [SCORED_ON["dev"]] if kinds & set(DEV_SPLIT_KINDS) else []
    hlp_items = [b.scores.overall.n for b in baselines if b.kind == "hlp"]
    if hlp_items:
        counts = " and ".join(f"{n:,.0f}" for n in hlp_items)
        parts.append(SCORED_ON["hlp"].format(items=counts))
    if "literature" in kinds:
        parts.append(SCORED_ON["literature"])
    return " ".join(parts)


def comparison_table(baselines: Sequence[BaselineSummary], *, kind_labels: dict[str, str],
                     min_rows: float = MIN_SLICE_ROWS) -> pd.DataFrame:
    """Return one row per baseline: kind, name, rows scored, the primary mark and every metric.

    An interval from fewer than `min_rows` rows (or items, for human-level performance) reads
    "too few rows" instead of its bounds.
    """
    rows = []
    for b in baselines:
        overall = b.scores.overall
        rows.append({"primary": "★" if b.is_primary else "", "kind": kind_labels.get(b.kind, b.kind), "baseline": b.name,
                     **{METRIC_LABELS[m]: overall.metrics.get(m, math.nan) for m in METRIC_LABELS},
                     INTERVAL: interval_text(overall.intervals.get("accuracy"), overall.n, min_rows),
                     "rows": overall.n or None, "source": b.source})
    # The interval sits next to the accuracy it belongs to.
    scores = list(METRIC_LABELS.values())
    table = pd.DataFrame(rows, columns=["primary", "kind", "baseline", scores[0], INTERVAL, *scores[1:], "rows", "source"])
    return _without_empty_intervals(table)


def targets_table(baselines: Sequence[BaselineSummary], targets: Iterable[TargetLike]) -> pd.DataFrame:
    """Return one row per ML target and one column per baseline: its value and whether it meets the target.

    A value is written with ✓ (meets), ✗ (misses) or – (the baseline does not measure it).
    """
    targets = list(targets)
    table = pd.DataFrame({"target": [target_text(t) for t in targets]})
    for b in baselines:
        results = evaluate_targets(b.scores.flat_metrics(), targets)
        table[b.name] = [_result_text(r.status, r.value) for r in results]
    return table


def _result_text(status: str, value: float | None) -> str:
    return f"{value:.3f} {STATUS_MARKS[status]}" if value is not None else STATUS_MARKS[status]


def class_table(scores: Scores, *, min_rows: float = MIN_SLICE_ROWS) -> pd.DataFrame:
    """Return each class's recall with the rows (or labeler judgments) it rests on, its interval and a flag."""
    rows = [{"class": c, "recall": r, "rows": scores.class_n.get(c),
             "95% interval": interval_text(scores.intervals.get(f"recall[{c}]"), scores.class_n.get(c), min_rows),
             "note": count_note(scores.class_n.get(c), min_rows)}
            for c, r in scores.class_recall.items()]
    table = pd.DataFrame(rows, columns=["class", "recall", "rows", "95% interval", "note"])
    return _without_empty_intervals(table)


def slice_table(scores: BaselineScores, column: str, *, min_rows: float = MIN_SLICE_ROWS) -> pd.DataFrame:
    """Return the metrics within each value of a slice column, with the rows each rests on.

    A slice with fewer than `min_rows` rows is flagged in the ``note`` column and its interval
    reads "too few rows": its scores are shown, but not as if they were certain.
    """
    groups = scores.slices.get(column, {})
    rows = [{column: value, "rows": s.n, **{METRIC_LABELS[m]: s.metrics.get(m, math.nan) for m in METRIC_LABELS},
             INTERVAL: interval_text(s.intervals.get("accuracy"), s.n, min_rows), "note": count_note(s.n, min_rows)}
            for value, s in sorted(groups.items(), key=lambda item: slice_order(item[0]))]
    scores = list(METRIC_LABELS.values())
    table = pd.DataFrame(rows, columns=[column, "rows", scores[0], INTERVAL, *scores[1:], "note"])
    return _without_empty_intervals(table.dropna(axis=1, how="all"))


def _without_empty_intervals(table: pd.DataFrame) -> pd.DataFrame:
    # Only human-level performance has intervals; a column of blanks would only take room.
    empty = [c for c in table.columns if c.startswith("95%") and table[c].eq("").all()]
    return table.drop(columns=empty)


def interval_text(interval: Sequence[float] | None, n: float | None, min_rows: float = MIN_SLICE_ROWS) -> str:
    """Return "low – high" to three decimals, "too few rows" below `min_rows`, "" when there is none.

    >>> interval_text((0.8, 0.9), 120), interval_text((0.0, 0.0), 1), interval_text(None, 50)
    ('0.800 – 0.900', 'too few rows', '')
    """
    if interval is None or not all(math.isfinite(v) for v in interval):
        return ""
    if too_few(n, min_rows):
        return TOO_FEW_ROWS
    return f"{interval[0]:.3f} – {interval[1]:.3f}"
