"""Human-level performance (HLP): how well people do the task, measured from overlap labels.

Each labeler is scored on every item they labeled against a reference: the majority vote of
the *other* labelers of that item, or the true label where the dataset has one. When the
others' votes tie, each tied class gets an equal share of the item, so the labeler earns what
matching one of them at random would earn; dropping such items instead would leave out the
hard ones and flatter HLP. A labeler's scores (accuracy, balanced accuracy, F1, each class's
recall) are computed with those shares as weights and then averaged over labelers, each
labeler counting once. The 95% interval of accuracy comes from resampling items (bootstrap).
"Unclear" and missing labels neither vote nor get scored.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from core.baselines.metrics import BaselineScores, Scores, classification_scores, group_values, sorted_classes
from core.labeling.consensus import UNCLEAR

Reference = Literal["others", "truth"]
REQUIRED = ("row_id", "labeler", "value")
N_BOOTSTRAP = 1000
# Below this, people disagree on more than one item in ten: a sign of unclear instructions.
LOW_HLP = 0.9

COLUMNS_MISSING = "The labels need the columns row_id, labeler and value; they lack {missing}."
UNKNOWN_REFERENCE = "“{reference}” is not a reference for HLP. Use “others” or “truth”."
NO_TRUTH = "Scoring against the true labels needs them; this dataset has none. Score against the other labelers."
NO_OVERLAP = (
    "No item has labels from two or more labelers, so no labeler can be compared with the others. "
    "Plan a labeling batch with overlap (a share of items given to several labelers) on the Labeling "
    "page, and label it."
)
LOW_HLP_AGAINST = {
    "others": "Labelers match the vote of the other labelers on only {accuracy:.0%} of the items they share "
              "(accuracy against that vote, averaged over labelers; {items} items). Low agreement",
    "truth": "Labelers' labels match the true labels on only {accuracy:.0%} of the items they labeled "
             "(accuracy against the truth, averaged over labelers; {items} items). Low accuracy",
}
LOW_HLP_ADVICE = (
    " usually means ambiguous instructions or ambiguous items rather than careless labelers: look at where they "
    "disagree, and make the guideline say how to decide."
)
NO_TRUTH_OVERLAP = "None of the labeled items has a true label. Label items of this dataset version first."


@dataclass(frozen=True)
class HumanLevel:
    """HLP overall, per class and per slice, and how each labeler fared."""

    scores: BaselineScores
    labelers: pd.DataFrame  # labeler index; columns items, accuracy
    reference: Reference
    n_judgments: int


def judgments(labels: pd.DataFrame, *, reference: Reference = "others", truth: pd.Series | None = None) -> pd.DataFrame:
    """Return one row per (labeler, item, reference class): the label, the reference and its weight.

    >>> labels = pd.DataFrame({"row_id": [1, 1, 1], "labeler": ["a", "b", "c"], "value": ["x", "x", "y"]})
    >>> judgments(labels).query("labeler == 'c'")[["value", "reference", "weight"]].to_dict("records")
    [{'value': 'y', 'reference': 'x', 'weight': 1.0}]
    """
    voting = _voting_labels(labels)
    if reference not in get_args(Reference):
        raise ValueError(UNKNOWN_REFERENCE.format(reference=reference))
    if reference == "truth":
        return _against_truth(voting, truth)
    table = _against_others(voting)
    if table.empty:
        raise ValueError(NO_OVERLAP)
    return table


def _voting_labels(labels: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REQUIRED if c not in labels.columns]
    if missing:
        raise ValueError(COLUMNS_MISSING.format(missing=", ".join(missing)))
    voting = labels.loc[labels["value"].notna(), list(REQUIRED)].copy()
    voting["value"] = voting["value"].astype(str)
    voting["labeler"] = voting["labeler"].astype(str)
    # A labeler who labeled an item twice counts with the latest label.
    return voting[voting["value"] != UNCLEAR].drop_duplicates(["row_id", "labeler"], keep="last")


def _against_truth(voting: pd.DataFrame, truth: pd.Series | None) -> pd.DataFrame:
    if truth is None:
        raise ValueError(NO_TRUTH)
    known = truth.dropna().astype(object).map(str)
    table = voting[voting["row_id"].isin(known.index)].copy()
    if table.empty:
        raise ValueError(NO_TRUTH_OVERLAP)
    table["reference"] = known.reindex(table["row_id"]).to_numpy()
    table["weight"] = 1.0
    return table.reset_index(drop=True)


def _against_others(voting: pd.DataFrame) -> pd.DataFrame:
    counts = voting.groupby(["row_id", "value"]).size().rename("votes").reset_index()
    pairs = voting.merge(counts, on="row_id", suffixes=("", "_other"))
    # The others' votes for each class: everyone's votes less the labeler's own one.
    pairs["votes"] -= (pairs["value"] == pairs["value_other"]).astype(int)
    pairs = pairs[pairs["votes"] > 0]
    top = pairs.groupby(["row_id", "labeler"])["votes"].transform("max")
    tied = pairs[pairs["votes"] == top].copy()
    tied["weight"] = 1.0 / tied.groupby(["row_id", "labeler"])["votes"].transform("size")
    tied = tied.rename(columns={"value_other": "reference"})
    return tied[["row_id", "labeler", "value", "reference", "weight"]].reset_index(drop=True)


def human_level_performance(
    labels: pd.DataFrame, *, reference: Reference = "others", truth: pd.Series | None = None,
    classes: Sequence | None = None, groups: pd.DataFrame | None = None, n_bootstrap: int = N_BOOTSTRAP,
    random_state: int = 0,
) -> HumanLevel:
    """Return HLP overall, per class and per value of each column of `groups` (indexed by row_id)."""
    table = judgments(labels, reference=reference, truth=truth)
    classes = [str(c) for c in classes] if classes is not None else sorted_classes(table["reference"])
    item_ids = np.sort(table["row_id"].unique())
    counts = _bootstrap_counts(len(item_ids), n_bootstrap, random_state)
    table["item"] = np.searchsorted(item_ids, table["row_id"].to_numpy())
    overall = _group_scores(table, classes, counts, class_intervals=True)
    slices = {}
    for column in ([] if groups is None else groups.columns):
        values = group_values(groups[column]).reindex(table["row_id"]).to_numpy()
        present = sorted(pd.unique(values[pd.notna(values)]))
        slices[str(column)] = {value: _group_scores(table[values == value], classes, counts) for value in present}
    per_labeler = table.groupby("labeler").apply(_labeler_row, include_groups=False)
    return HumanLevel(BaselineScores(overall, slices), per_labeler, reference, len(table))


def _labeler_row(rows: pd.DataFrame) -> pd.Series:
    correct = (rows["value"] == rows["reference"]) * rows["weight"]
    return pd.Series({"items": rows["row_id"].nunique(), "accuracy": correct.sum() / rows["weight"].sum()})


def _group_scores(table: pd.DataFrame, classes: list[str], counts: np.ndarray, *, class_intervals=False) -> Scores:
    per_labeler = [classification_scores(rows["reference"], rows["value"], classes=classes, sample_weight=rows["weight"])
                   for _, rows in table.groupby("labeler")]
    metrics = _mean(s.metrics for s in per_labeler)
    recall = _mean(s.class_recall for s in per_labeler)
    intervals = {"accuracy": _interval(table, counts)}
    if class_intervals:
        intervals.update({f"recall[{c}]": _interval(table[table["reference"] == c], counts) for c in recall})
    class_n = table.groupby("reference")["weight"].sum()
    return Scores(float(table["row_id"].nunique()), metrics, recall,
                  {str(c): float(n) for c, n in class_n.items()}, intervals)


def _mean(dicts) -> dict[str, float]:
    frame = pd.DataFrame(list(dicts))
    return {str(k): float(v) for k, v in frame.mean(skipna=True).items()}


def _bootstrap_counts(n_items: int, n_bootstrap: int, random_state: int) -> np.ndarray:
    """Return how often each item is drawn in each bootstrap sample (n_bootstrap × n_items)."""
    rng = np.random.default_rng(random_state)
    return rng.multinomial(n_items, np.full(n_items, 1.0 / n_items), size=n_bootstrap)


def _interval(table: pd.DataFrame, counts: np.ndarray) -> tuple[float, float]:
    """Return the 2.5% and 97.5% quantiles of the mean over labelers of their weighted accuracy."""
    labelers = pd.Index(table["labeler"].unique())
    position = labelers.get_indexer(table["labeler"])
    right = np.zeros((len(labelers), counts.shape[1]))
    total = np.zeros_like(right)
    correct = (table["value"] == table["reference"]).to_numpy() * table["weight"].to_numpy()
    np.add.at(right, (position, table["item"].to_numpy()), correct)
    np.add.at(total, (position, table["item"].to_numpy()), table["weight"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a sample where no labeler drew an item
        accuracy = (counts @ right.T) / (counts @ total.T)  # a labeler drawing no item gives NaN
        means = np.nanmean(accuracy, axis=1)
    means = means[np.isfinite(means)]
    low, high = np.percentile(means, [2.5, 97.5]) if len(means) else (np.nan, np.nan)
    return float(low), float(high)


def low_hlp_message(accuracy: float, *, reference: Reference, items: float) -> str:
    """Return the warning for a low human-level score, saying what it measures against which reference.

    >>> low_hlp_message(0.81, reference="truth", items=120)[:60]
    "Labelers' labels match the true labels on only 81% of the it"
    """
    if reference not in get_args(Reference):
        raise ValueError(UNKNOWN_REFERENCE.format(reference=reference))
    count = f"{items:,.0f}" if float(items).is_integer() else f"{items:,.1f}"
    return LOW_HLP_AGAINST[reference].format(accuracy=accuracy, items=count) + LOW_HLP_ADVICE
