"""The current label set of a dataset, derived from the append-only label history.

The history has one row per label event: row_id, labeler, revision, value (None for an undo),
decision, and an increasing id. A labeler's *effective* label on an item is their latest
revision, when it still has a value. The current label set is the dataset's given labels
(from its target column, when it has one) overlaid by the consensus of the effective labels
(decisions first, then the majority vote); items with no label at all are left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd

from core.labeling.agreement import agreement_report, label_matrix, labeler_quality
from core.labeling.consensus import UNCLEAR, consensus_labels

HISTORY_COLUMNS = ("id", "row_id", "labeler", "revision", "value", "decision")


def effective_labels(history: pd.DataFrame) -> pd.DataFrame:
    """Return each labeler's latest label per item, dropping withdrawn ones; `order` is the label id."""
    if history.empty:
        return history.assign(order=pd.Series(dtype="int64"))
    latest = history.sort_values("revision", kind="stable").drop_duplicates(["row_id", "labeler"], keep="last")
    latest = latest[latest["value"].notna()].assign(order=lambda t: t["id"])
    return latest.sort_values("id", kind="stable").reset_index(drop=True)


def vote_matrix(effective: pd.DataFrame) -> pd.DataFrame:
    """Return the item × labeler matrix of the voting labels (no decisions, no "unclear")."""
    voting = effective[~effective["decision"].astype(bool) & (effective["value"].astype(str) != UNCLEAR)]
    return label_matrix(voting[["row_id", "labeler", "value"]])


def current_label_set(given: pd.Series | None, effective: pd.DataFrame) -> pd.Series:
    """Return the current label per row_id (text): app consensus over the given labels."""
    quality = labeler_quality(vote_matrix(effective)).dropna() if len(effective) else pd.Series(dtype=float)
    consensus = consensus_labels(effective, quality=quality.to_dict()) if len(effective) else pd.Series(dtype=object)
    base = given.dropna().astype(str) if given is not None else pd.Series(dtype=object)
    merged = pd.concat([base[~base.index.isin(consensus.index)], consensus.astype(str)])
    return merged.sort_index().rename("label").rename_axis("row_id")


def typed_like(labels: pd.Series, given: pd.Series | None) -> pd.Series:
    """Return the labels in the given column's type when every label is one of its values (else text)."""
    if given is None:
        return labels
    lookup: Mapping[str, object] = {str(v): v for v in pd.unique(given.dropna())}
    if labels.isin(list(lookup)).all():
        return labels.map(lookup).astype(given.dtype if not isinstance(given.dtype, pd.CategoricalDtype)
                                         else given.dtype)
    return labels


def snapshot_hash(labels: pd.Series, *, dataset_hash: str) -> str:
    """Return the hex SHA-256 naming this label set of this dataset version (order independent)."""
    ordered = labels.sort_index()
    digest = hashlib.sha256(dataset_hash.encode("ascii"))
    digest.update(ordered.index.to_numpy(dtype="int64").tobytes())
    digest.update("\x1f".join(map(str, ordered.to_numpy())).encode("utf-8"))
    return digest.hexdigest()


def agreement_over(effective: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Return agreement per value of a column of the effective labels (e.g. batch, guideline_version).

    Columns: labels, items (with 2+ voting labels), percent_agreement, fleiss_kappa, krippendorff_alpha.
    """
    rows = {}
    for group, part in effective.dropna(subset=[by]).groupby(by, sort=True):
        matrix = vote_matrix(part)
        if matrix.empty:
            continue
        report = agreement_report(matrix)
        rows[group] = {"labels": report.n_labels, "items": report.n_items,
                       "percent_agreement": report.percent_agreement, "fleiss_kappa": report.fleiss_kappa,
                       "krippendorff_alpha": report.krippendorff_alpha}
    columns = ["labels", "items", "percent_agreement", "fleiss_kappa", "krippendorff_alpha"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis(by)
