"""How consistently labelers label: percent agreement, Cohen's κ per pair, Fleiss' κ, Krippendorff's α.

Every measure reads a *label matrix*: one row per item, one column per labeler, the label as
text, and NaN/None where that labeler did not label the item. Only items with at least two
labels carry information about agreement; the others are ignored.

- percent agreement: over items with 2+ labels, the share of agreeing pairs of labels;
- Cohen's κ: for two labelers on the items both labeled, agreement corrected for chance
  (each labeler's own class frequencies), as `sklearn.metrics.cohen_kappa_score`;
- Fleiss' κ: several labelers, every item labeled the same number of times (here the items
  with the most common number of labels, at least 2), as `statsmodels`' `fleiss_kappa`;
- Krippendorff's α (nominal): any number of labelers, missing labels allowed, from the
  coincidence matrix of the pairable values, as the `krippendorff` package.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from core.slicing import count_note

NOT_A_MATRIX = "The label matrix needs one column per labeler; got {n} column(s)."
# Below this many shared items a pair's κ swings widely (κ = −0.5 from 3 items is common): flagged.
MIN_SHARED_ITEMS = 20


@dataclass(frozen=True)
class AgreementReport:
    """Agreement measures over one label matrix; NaN where a measure has too little data."""

    n_items: int  # items with at least two labels
    n_labels: int
    percent_agreement: float
    fleiss_kappa: float
    fleiss_items: int
    krippendorff_alpha: float
    pairwise_kappa: pd.DataFrame  # labeler × labeler, NaN where fewer than 2 shared items
    shared_items: pd.DataFrame  # labeler × labeler: items both labeled (the n behind each κ)


def label_matrix(labels: pd.DataFrame, *, item: str = "row_id", labeler: str = "labeler",
                 value: str = "value") -> pd.DataFrame:
    """Return the item × labeler matrix of a long table with one label per (item, labeler)."""
    matrix = labels.pivot(index=item, columns=labeler, values=value)
    return matrix.astype(object).where(matrix.notna(), None)


def _codes(matrix: pd.DataFrame) -> tuple[np.ndarray, list]:
    """Return the labels as class codes (-1 for missing) and the sorted classes."""
    present = matrix.notna().to_numpy()
    given = [str(v) for v in matrix.to_numpy(dtype=object)[present]]
    classes = sorted(set(given))
    lookup = {c: i for i, c in enumerate(classes)}
    codes = np.full(matrix.shape, -1, dtype=np.int64)
    codes[present] = [lookup[v] for v in given]
    return codes, classes


def _pairable(codes: np.ndarray) -> np.ndarray:
    return codes[(codes >= 0).sum(axis=1) >= 2]


def class_counts(codes: np.ndarray, n_classes: int) -> np.ndarray:
    """Return items × classes: how many labelers gave each class to each item."""
    counts = np.zeros((len(codes), n_classes), dtype=np.int64)
    rows, columns = np.nonzero(codes >= 0)
    np.add.at(counts, (rows, codes[rows, columns]), 1)
    return counts


def percent_agreement(matrix: pd.DataFrame) -> float:
    """Return the share of agreeing label pairs over items labeled at least twice (NaN if none).

    >>> percent_agreement(pd.DataFrame({"a": ["x", "x", "y"], "b": ["x", "y", None]}))
    0.5
    """
    codes, classes = _codes(matrix)
    counts = class_counts(_pairable(codes), len(classes))
    if not len(counts):
        return float("nan")
    n = counts.sum(axis=1)
    agreeing = (counts * (counts - 1)).sum(axis=1)
    return float(np.mean(agreeing / (n * (n - 1))))


def cohen_kappa(first: pd.Series, second: pd.Series) -> float:
    """Return Cohen's κ of two labelers over the items both labeled (NaN under two such items)."""
    both = first.notna() & second.notna()
    a, b = first[both].astype(str).to_numpy(), second[both].astype(str).to_numpy()
    if len(a) < 2:
        return float("nan")
    classes, codes = np.unique(np.concatenate([a, b]), return_inverse=True)
    k = len(classes)
    confusion = np.bincount(codes[: len(a)] * k + codes[len(a):], minlength=k * k).reshape(k, k)
    observed = np.trace(confusion) / len(a)
    expected = float(confusion.sum(axis=1) @ confusion.sum(axis=0)) / len(a) ** 2
    if expected == 1:
        return 1.0 if observed == 1 else float("nan")
    return float((observed - expected) / (1 - expected))


def pairwise_kappa(matrix: pd.DataFrame) -> pd.DataFrame:
    """Return the labeler × labeler matrix of Cohen's κ (1 on the diagonal)."""
    names = list(matrix.columns)
    table = pd.DataFrame(np.nan, index=names, columns=names)
    for a, b in combinations(names, 2):
        table.loc[a, b] = table.loc[b, a] = cohen_kappa(matrix[a], matrix[b])
    for name in names:
        table.loc[name, name] = 1.0
    return table


def shared_items(matrix: pd.DataFrame) -> pd.DataFrame:
    """Return the labeler × labeler count of items both labeled (each labeler's own count on the diagonal)."""
    labeled = matrix.notna().to_numpy(dtype=np.int64)
    return pd.DataFrame(labeled.T @ labeled, index=matrix.columns, columns=matrix.columns)


def kappa_pairs(report: AgreementReport, *, min_items: int = MIN_SHARED_ITEMS) -> pd.DataFrame:
    """Return one row per pair of labelers: their shared items, Cohen's κ and a flag when too few items."""
    names = list(report.pairwise_kappa.index)
    rows = [{"labeler A": a, "labeler B": b, "shared items": int(report.shared_items.loc[a, b]),
             "kappa": report.pairwise_kappa.loc[a, b],
             "note": count_note(int(report.shared_items.loc[a, b]), min_items, unit="shared items")}
            for a, b in combinations(names, 2)]
    return pd.DataFrame(rows, columns=["labeler A", "labeler B", "shared items", "kappa", "note"])


def fleiss_kappa(matrix: pd.DataFrame) -> tuple[float, int]:
    """Return Fleiss' κ and the number of items it used: those with the most common label count ≥ 2."""
    codes, classes = _codes(matrix)
    counts = class_counts(_pairable(codes), len(classes))
    if not len(counts):
        return float("nan"), 0
    per_item = counts.sum(axis=1)
    values, frequency = np.unique(per_item, return_counts=True)
    raters = values[np.argmax(frequency)]  # the most common count; ties go to the smaller
    table = counts[per_item == raters]
    return fleiss_kappa_from_counts(table), len(table)


def fleiss_kappa_from_counts(table: np.ndarray) -> float:
    """Return Fleiss' κ of an items × classes count table with the same total in every row."""
    table = np.asarray(table, dtype=float)
    n_items, raters = len(table), table[0].sum()
    share = table.sum(axis=0) / (n_items * raters)
    per_item = ((table * table).sum(axis=1) - raters) / (raters * (raters - 1))
    observed, expected = per_item.mean(), (share * share).sum()
    if expected == 1:
        return float("nan")
    return float((observed - expected) / (1 - expected))


def krippendorff_alpha(matrix: pd.DataFrame) -> float:
    """Return Krippendorff's α for nominal labels; missing labels allowed (NaN without disagreement data)."""
    codes, classes = _codes(matrix)
    counts = class_counts(_pairable(codes), len(classes)).astype(float)
    if not len(counts):
        return float("nan")
    per_item = counts.sum(axis=1, keepdims=True)
    # Coincidence matrix: each ordered pair of labels within an item, weighted 1 / (m_u - 1).
    coincidence = (counts / (per_item - 1)).T @ counts
    coincidence[np.diag_indices_from(coincidence)] -= (counts / (per_item - 1)).sum(axis=0)
    marginals = coincidence.sum(axis=0)
    total = marginals.sum()
    observed = total - np.trace(coincidence)
    expected = (total * total - (marginals * marginals).sum()) / (total - 1)
    if expected == 0:
        return float("nan")
    return float(1 - observed / expected)


def agreement_report(matrix: pd.DataFrame) -> AgreementReport:
    """Return every agreement measure over the label matrix."""
    if matrix.shape[1] < 1:
        raise ValueError(NOT_A_MATRIX.format(n=matrix.shape[1]))
    fleiss, fleiss_items = fleiss_kappa(matrix)
    multi = int((matrix.notna().sum(axis=1) >= 2).sum())
    return AgreementReport(
        n_items=multi, n_labels=int(matrix.notna().to_numpy().sum()), percent_agreement=percent_agreement(matrix),
        fleiss_kappa=fleiss, fleiss_items=fleiss_items, krippendorff_alpha=krippendorff_alpha(matrix),
        pairwise_kappa=pairwise_kappa(matrix), shared_items=shared_items(matrix),
    )


def labeler_confusion(matrix: pd.DataFrame) -> pd.DataFrame:
    """Return class × class counts of how often two labelers of one item chose each pair of classes.

    Symmetric: every unordered pair of labels on an item counts once in each direction, so the
    diagonal holds agreements and cell (a, b) the times one labeler said a where another said b.
    """
    codes, classes = _codes(matrix)
    counts = class_counts(_pairable(codes), len(classes))
    pairs = counts.T @ counts - np.diag(counts.sum(axis=0))
    return pd.DataFrame(pairs, index=classes, columns=classes)


def most_confused(confusion: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """Return the class pairs mixed up most often, with the count of mix-ups, largest first."""
    rows = [(a, b, int(confusion.loc[a, b])) for a, b in combinations(confusion.index, 2) if confusion.loc[a, b]]
    table = pd.DataFrame(rows, columns=["class", "mixed up with", "times"])
    return table.sort_values("times", ascending=False, kind="stable").head(top).reset_index(drop=True)


def labeler_quality(matrix: pd.DataFrame) -> pd.Series:
    """Return per labeler the share of their labels that agree with other labelers of the same items.

    Each pair (this labeler, another labeler) on a shared item counts once; NaN for a labeler
    who shares no item with anyone.
    """
    present = matrix.notna()
    quality = {}
    for name in matrix.columns:
        agree = total = 0
        for other in matrix.columns.drop(name):
            both = present[name] & present[other]
            total += int(both.sum())
            agree += int((matrix.loc[both, name].astype(str) == matrix.loc[both, other].astype(str)).sum())
        quality[name] = agree / total if total else float("nan")
    return pd.Series(quality, name="agreement with others", dtype=float)
