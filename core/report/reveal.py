"""Teaching mode's reveal: what a demo scenario planted, beside what the learner found, scored.

Each planted effect has one scoring function over plain inputs, so a test can hand it a known
answer: flipped labels against the labels the learner changed; the biased group against the
groups the fairness audits flagged; the hard slice against the slices and tags of error
analysis; drift and the policy change against what monitoring flagged (not monitored yet until
monitoring reports it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from core.report.document import RevealItem

NOT_MONITORED = "not monitored yet"
TAG_SHARE = 0.5  # a tag finds the hard slice when at least half of its rows lie in it


def flipped_labels_item(noise: Mapping, changed: Mapping[int, str],
                        scan: tuple[pd.Index, pd.Index] | None = None) -> RevealItem:
    """Score the label fixes: how many planted flips the learner changed, set right, and changed wrongly.

    `changed` maps a row id to the label the learner's decision or relabel gave it, for rows
    whose current label now differs from the stored one. `scan`, the (flagged, checked) rows of
    the newest stored label-error scan, adds how many flips among the rows it checked it flagged.
    """
    flipped = dict(zip((int(r) for r in noise.get("flipped_row_ids", [])),
                       (str(v) for v in noise.get("original_labels", []))))
    found = [row for row in changed if row in flipped]
    restored = sum(str(changed[row]) == flipped[row] for row in found)
    false_fixes = len(changed) - len(found)
    planted = f"{len(flipped):,} labels flipped ({noise.get('rate', 0):.0%} of the rows)"
    learner = (f"{len(changed):,} labels changed by decisions, reviews or relabeling" if changed
               else "no label changed yet") + "; " + scan_found(flipped, scan)
    score = (f"{len(found):,} of {len(flipped):,} flipped labels found ({restored:,} set back to the true label); "
             f"{false_fixes:,} changed labels were not flipped")
    return RevealItem("Flipped labels", planted, learner, score)


def scan_found(flipped: Mapping[int, str], scan: tuple[pd.Index, pd.Index] | None) -> str:
    """Say how many planted flips among the rows the newest label-error scan checked it flagged.

    >>> scan_found({1: "0", 2: "1", 9: "0"}, (pd.Index([1, 5]), pd.Index(range(6))))
    'the latest label-error scan flagged 1 of the 2 flipped labels among the 6 rows it checked (2 rows flagged)'
    """
    if scan is None:
        return "no label-error scan yet"
    flagged, checked = scan
    truth = set(flipped).intersection(checked)
    hits = len(truth.intersection(flagged))
    return (f"the latest label-error scan flagged {hits:,} of the {len(truth):,} flipped labels among the "
            f"{len(checked):,} rows it checked ({len(flagged):,} rows flagged)")


def biased_group_item(bias: Mapping, audits: Sequence[Mapping]) -> RevealItem:
    """Score the fairness audits: was the biased group flagged on the biased column, in any saved audit."""
    column, group = str(bias["column"]), str(bias["group"])
    planted = f"labels biased against {column} = {group} ({int(bias.get('n_overturned', 0)):,} approvals overturned)"
    audited = [a[column] for a in audits if column in a]
    flagged = sorted({str(g) for result in audited for g in result.get("flagged", [])})
    if not audits:
        return RevealItem("Biased group", planted, "no fairness audit saved", "not found (no audit yet)")
    if not audited:
        return RevealItem("Biased group", planted, f"{len(audits)} audit(s), none of {column}", "not found")
    found = group in flagged
    learner = f"{column} audited; flagged: {', '.join(flagged) or 'none'}"
    return RevealItem("Biased group", planted, learner, "found: the group is flagged" if found else "not found")


def matches(conditions: Sequence[Mapping], truth: Sequence[Mapping]) -> bool:
    """Return whether a slice's conditions (as stored) pin down every condition of the planted slice.

    >>> matches([{"column": "job", "op": "in", "value": ["a", "b"]}], [{"column": "job", "op": "==", "value": "a"}])
    True
    """
    def holds(wanted: Mapping) -> bool:
        return any(c["column"] == wanted["column"] and (
            (c["op"] == "==" and str(c["value"]) == str(wanted["value"]))
            or (c["op"] == "in" and str(wanted["value"]) in {str(v) for v in c["value"]})) for c in conditions)
    return bool(truth) and all(holds(wanted) for wanted in truth)


def hard_slice_item(hard: Mapping, slices: Mapping[str, Sequence[Mapping]], tag_rows: Mapping[str, pd.Index],
                    hard_rows: pd.Index) -> RevealItem:
    """Score error analysis: a slice naming the planted condition, or a tag with most rows in the hard slice.

    `slices` maps a slice's name to its conditions: the top slices by priority and the saved ones.
    """
    planted = f"{hard.get('name', 'a hard slice')} ({int(hard.get('n_rows', 0)):,} rows)"
    truth = hard.get("conditions") or []
    by_slice = [name for name, conditions in slices.items() if matches(conditions, truth)]
    by_tag = [tag for tag, rows in tag_rows.items()
              if len(rows) and rows.isin(hard_rows).mean() >= TAG_SHARE]
    learner = f"{_count(len(slices), 'top or saved slice')} and {_count(len(tag_rows), 'tag')} looked through"
    if by_slice or by_tag:
        named = ", ".join([*(f"slice “{n}”" for n in by_slice[:3]), *(f"tag “{t}”" for t in by_tag[:3])])
        return RevealItem("Hard slice", planted, learner, f"found: {named}")
    return RevealItem("Hard slice", planted, learner, "not found")


def drift_item(drift: Mapping, flagged: Iterable[str] | None, month: str = "") -> RevealItem:
    """Score monitoring's drift: shifted columns found, false alarms, and the month (None: not monitored)."""
    shifted = [str(c) for c in drift.get("columns", [])]
    planted = f"{', '.join(shifted)} shifted from {drift.get('start', '')[:7]}"
    if flagged is None:
        return RevealItem("Data drift", planted, NOT_MONITORED, NOT_MONITORED)
    flagged = set(flagged)
    hits = len(flagged & set(shifted))
    score = (f"drift found in {hits} of {len(shifted)} shifted columns, {len(flagged - set(shifted))} false alarms"
             + (f"; first flagged {month}" if month else ""))
    return RevealItem("Data drift", planted, ", ".join(sorted(flagged)) or "no column flagged", score)


def policy_item(concept: Mapping, month: str | None) -> RevealItem:
    """Score the policy change: the month monitoring saw performance drop (None: not monitored)."""
    start = str(concept.get("start", ""))[:7]
    planted = f"{concept.get('change', 'a policy change')} from {start}"
    if month is None:
        return RevealItem("Policy change", planted, NOT_MONITORED, NOT_MONITORED)
    found = month == start
    return RevealItem("Policy change", planted, month or "no drop flagged",
                      "found in the right month" if found else "not found")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
