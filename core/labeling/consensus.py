"""One label per item from several labelers: majority vote, ties broken by labeler quality.

A simplified CROWDLAB without a model: each item takes the class most labelers gave it; when
classes tie, the class whose voters agree most with the other labelers overall (their
quality, `core.labeling.agreement.labeler_quality`) wins, then the class that sorts first. A decision
(a resolved disagreement, a reviewer's correction, an accepted label-error fix) overrides
the vote: the latest decision on an item is its label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

UNCLEAR = "unclear"
DEFAULT_QUALITY = 0.5  # a labeler who shares no item with anyone: neither trusted nor doubted
COLUMNS_MISSING = "The labels table needs the columns {columns}; it lacks {missing}."
REQUIRED = ("row_id", "labeler", "value")


def majority_vote(labels: pd.DataFrame, *, quality: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Return per row_id the consensus label, its vote share and whether a tie was broken.

    `labels` has one row per effective label: row_id, labeler, value. "unclear" votes and
    missing values do not vote. Output columns: label, votes, n_labels, share, tie_broken.

    >>> votes = pd.DataFrame({"row_id": [1, 1, 1, 2, 2], "labeler": ["a", "b", "c", "a", "b"],
    ...                       "value": ["x", "x", "y", "x", "y"]})
    >>> majority_vote(votes, quality={"a": 0.9, "b": 0.6})["label"].tolist()
    ['x', 'x']
    """
    _check_columns(labels)
    voting = labels[labels["value"].notna() & (labels["value"].astype(str) != UNCLEAR)]
    if voting.empty:
        return pd.DataFrame(columns=["label", "votes", "n_labels", "share", "tie_broken"],
                            index=pd.Index([], name="row_id"))
    weights = voting["labeler"].map(lambda name: (quality or {}).get(name, DEFAULT_QUALITY)).fillna(DEFAULT_QUALITY)
    tally = pd.DataFrame({"row_id": voting["row_id"].to_numpy(), "value": voting["value"].astype(str).to_numpy(),
                          "weight": weights.to_numpy(dtype=float)})
    per_class = tally.groupby(["row_id", "value"], sort=True).agg(votes=("weight", "size"), weight=("weight", "sum"))
    per_class = per_class.reset_index().sort_values(["row_id", "votes", "weight", "value"],
                                                    ascending=[True, False, False, True], kind="stable")
    winners = per_class.drop_duplicates("row_id").set_index("row_id")
    n_labels = tally.groupby("row_id").size()
    top_votes = per_class.groupby("row_id")["votes"].transform("max")
    tied = (per_class["votes"] == top_votes).groupby(per_class["row_id"]).sum() > 1
    return pd.DataFrame({
        "label": winners["value"], "votes": winners["votes"].astype(int), "n_labels": n_labels,
        "share": winners["votes"] / n_labels, "tie_broken": tied,
    }).rename_axis("row_id")


def _check_columns(labels: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED if c not in labels.columns]
    if missing:
        raise ValueError(COLUMNS_MISSING.format(columns=", ".join(REQUIRED), missing=", ".join(missing)))


def consensus_labels(labels: pd.DataFrame, *, quality: Mapping[str, float] | None = None) -> pd.Series:
    """Return one label per row_id: the latest decision where there is one, else the majority vote.

    `labels` has row_id, labeler, value, a boolean `decision` column and an increasing `order`
    (the label id) telling which decision is the latest.
    """
    _check_columns(labels)
    is_decision = labels["decision"].astype(bool) & labels["value"].notna()
    vote = majority_vote(labels[~labels["decision"].astype(bool)], quality=quality)["label"]
    decided = labels[is_decision].sort_values("order").drop_duplicates("row_id", keep="last")
    decisions = pd.Series(decided["value"].astype(str).to_numpy(), index=decided["row_id"].to_numpy())
    combined = pd.concat([vote[~vote.index.isin(decisions.index)], decisions]).sort_index()
    return combined.rename("label").rename_axis("row_id")


def disagreements(labels: pd.DataFrame, *, show: Callable[[str], str] = str) -> pd.DataFrame:
    """Return the items whose voting labels differ, with the labels each class got, most split first.

    Output: row_id index; columns labels (text such as "7: ann, bob · 1: cid", each class as
    `show` names it), n_labels, top_share (the share of the largest class).
    """
    voting = labels[labels["value"].notna() & (labels["value"].astype(str) != UNCLEAR)]
    distinct = voting.groupby("row_id")["value"].nunique()
    split = voting[voting["row_id"].isin(distinct[distinct > 1].index)]
    if split.empty:
        return pd.DataFrame(columns=["labels", "n_labels", "top_share"], index=pd.Index([], name="row_id"))
    rows = []
    for row_id, group in split.groupby("row_id", sort=True):
        by_class = group.groupby(group["value"].astype(str))["labeler"].agg(lambda names: ", ".join(sorted(map(str, names))))
        sizes = group["value"].astype(str).value_counts()
        text = " · ".join(f"{show(value)}: {by_class[value]}" for value in sizes.index)
        rows.append((row_id, text, len(group), sizes.iloc[0] / len(group)))
    table = pd.DataFrame(rows, columns=["row_id", "labels", "n_labels", "top_share"]).set_index("row_id")
    return table.sort_values(["top_share", "n_labels"], ascending=[True, False], kind="stable")


def disagreement_scores(labels: pd.DataFrame) -> pd.Series:
    """Return per row_id 1 − the share of its largest class (0 when all voting labels agree)."""
    voting = labels[labels["value"].notna() & (labels["value"].astype(str) != UNCLEAR)]
    if voting.empty:
        return pd.Series(dtype=float, name="disagreement")
    counts = voting.groupby(["row_id", voting["value"].astype(str)]).size()
    top = counts.groupby(level=0).max()
    total = counts.groupby(level=0).sum()
    return (1 - top / total).rename("disagreement").astype(np.float64)
