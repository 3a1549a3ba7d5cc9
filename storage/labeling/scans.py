"""Label-error scans: every look for likely label errors, stored when it is made, and what was fixed from it.

The Labeling page lists the newest scan of a version from here (not from the browser tab), so
the list survives a rerun, a page switch and a new tab; the audit report counts what it found.
A fix is a deciding label of source ``label_issue`` — the only source the page's *Accept* buttons
write — on a row the scan flagged, made after the scan. The page only offers a scan's own rows,
and always the newest scan, so those are exactly the fixes made from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlmodel import Session, col, select

from core.labeling.issues import LabelIssues, flagged_table
from core.labeling.issues import flagged_records
from storage.data.datasets import get_dataset
from storage.labeling.tables import Label, LabelErrorScan
from storage.project.projects import log_event

FIX_SOURCE = "label_issue"


def repeated_scan(session: Session, *, dataset_id: int, split_id: int | None, labels_hash: str,
                  settings: Mapping) -> LabelErrorScan | None:
    """Return the version's newest scan when it was made on these labels, split and settings, else None.

    Such a scan would find exactly what that one found (the scan is seeded), so it is not stored again.
    """
    newest = latest_scan(session, dataset_id)
    if newest is None or (newest.split_id, newest.labels_hash, newest.settings) != (split_id, labels_hash,
                                                                                       dict(settings)):
        return None
    return newest


def save_scan(session: Session, *, dataset_id: int, split_id: int | None, labels_hash: str,
              settings: Mapping, issues: LabelIssues, actor: str = "analyst") -> LabelErrorScan:
    """Store a scan just made (its settings, the rows it checked and flagged) and its timeline entry.

    A repeat of the newest scan (same labels, split and settings) stores nothing and returns that scan.
    """
    repeat = repeated_scan(session, dataset_id=dataset_id, split_id=split_id, labels_hash=labels_hash,
                           settings=settings)
    if repeat is not None:
        return repeat
    dataset = get_dataset(session, dataset_id)
    scan = LabelErrorScan(project_id=dataset.project_id, dataset_id=dataset_id, split_id=split_id,
                          labels_hash=labels_hash, settings=dict(settings), n_checked=issues.n_checked,
                          checked=[int(r) for r in issues.probabilities.index],
                          flagged=flagged_records(issues.table), actor=actor)
    session.add(scan)
    session.flush()
    log_event(session, project_id=dataset.project_id, actor=actor,
              action=f"Label errors: {issues.n_flagged:,} flagged of {issues.n_checked:,} checked",
              details={"version": f"{dataset.name} v{dataset.version}", "folds": settings.get("folds"),
                       "seed": settings.get("seed")})
    return scan


def latest_scan(session: Session, dataset_id: int) -> LabelErrorScan | None:
    """Return the version's newest scan, or None when it has never been scanned."""
    return session.exec(select(LabelErrorScan).where(LabelErrorScan.dataset_id == dataset_id)
                        .order_by(col(LabelErrorScan.id).desc()).limit(1)).first()


def scan_fixes(session: Session, scan: LabelErrorScan) -> dict[int, str]:
    """Return row id -> the label it was corrected to, for the scan's flagged rows fixed since it was made."""
    rows = [int(r["row_id"]) for r in scan.flagged]
    if not rows:
        return {}
    fixes = session.exec(select(Label.row_id, Label.value).where(
        Label.dataset_id == scan.dataset_id, Label.source == FIX_SOURCE, col(Label.decision),
        Label.created_at >= scan.created_at, col(Label.row_id).in_(rows)).order_by(col(Label.id))).all()
    return {int(row): str(value) for row, value in fixes}  # the newest fix of a row wins


@dataclass(frozen=True)
class StoredScan:
    """A stored scan as the page and the report read it: when, by whom, what it flagged and what was fixed."""

    made: datetime
    actor: str
    split_id: int | None  # the split whose training rows it checked (None: that split was deleted)
    settings: dict
    labels_hash: str
    n_checked: int
    checked: pd.Index
    table: pd.DataFrame  # row_id index; label, suggested, self_confidence, suggested_confidence; worst first
    fixed: dict[int, str]

    @property
    def n_flagged(self) -> int:
        return len(self.table)


def stored_scan(session: Session, dataset_id: int) -> StoredScan | None:
    """Return the version's newest scan with its fixes, or None when it has never been scanned."""
    scan = latest_scan(session, dataset_id)
    if scan is None:
        return None
    return StoredScan(scan.created_at, scan.actor, scan.split_id, dict(scan.settings), scan.labels_hash, scan.n_checked,
                      pd.Index(scan.checked, dtype="int64"), flagged_table(scan.flagged), scan_fixes(session, scan))
