"""What surrounds the labeling itself: the pool of items, simulated labelers at work, spot-check reviews."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlmodel import Session, col, select

from core.labeling.label_set import effective_labels
from core.labeling.simulated_labelers import LabelerProfile, simulate_labels
from storage.labeling.batches import assigned_rows, label_classes
from storage.labeling.batches import LabelingError
from storage.labeling.labels import label_history, open_assignments, record_decision, store_simulated_labels
from storage.labeling.tables import Assignment, Label, LabelBatch, Labeler, Review
from storage.fields import utc_now
from storage.project.projects import log_event
from storage.db import insert_ignoring_conflicts

ALREADY_REVIEWED = "That label was already reviewed (perhaps in another tab). Nothing was changed."
BAD_VERDICT = "A review is either accepted or corrected; got “{verdict}”."
NO_TRUTH = (
    "Simulated labelers copy a known label with their set skill, and {n} of their items have none. "
    "Simulate on a dataset whose target column is filled in (the demo scenarios are)."
)


def unlabeled_pool(session: Session, *, dataset_id: int, row_ids: pd.Index, given: pd.Series | None) -> pd.Index:
    """Return the rows a new batch may take: never in a batch, and without a given label when some lack one.

    When every row has a given label (the demo scenarios), batches re-label them, which is how
    agreement and human-level performance get measured.
    """
    pool = row_ids.difference(assigned_rows(session, dataset_id))
    if given is not None and given.isna().any():
        pool = pool.intersection(given.index[given.isna()])
    return pool.rename("row_id")


def simulated_labelers(session: Session, project_id: int) -> dict[int, LabelerProfile]:
    """Return the project's simulated labelers as id -> profile."""
    rows = session.exec(select(Labeler).where(Labeler.project_id == project_id)).all()
    return {l.id: LabelerProfile.from_dict(l.simulated) for l in rows if l.simulated}


def simulate_batch(session: Session, *, batch_id: int, truth: pd.Series, actor: str = "analyst") -> int:
    """Return how many labels the batch's simulated labelers made on their open items (seeded per labeler)."""
    batch = session.get(LabelBatch, batch_id)
    classes = label_classes(session, dataset_id=batch.dataset_id)
    stored = 0
    for labeler_id, profile in simulated_labelers(session, batch.project_id).items():
        rows = pd.Index([a.row_id for a in open_assignments(session, batch_id=batch_id, labeler_id=labeler_id)])
        known = truth.reindex(rows)
        if known.isna().any():
            raise ValueError(NO_TRUTH.format(n=int(known.isna().sum())))
        labels = simulate_labels(known, classes, profile, random_state=batch.number * 1000 + labeler_id)
        stored += store_simulated_labels(session, batch_id=batch_id, labeler_id=labeler_id, labels=labels, actor=actor)
    return stored


def simulated_work_left(session: Session, batch_id: int) -> int:
    """Return how many open items of the batch belong to simulated labelers."""
    batch = session.get(LabelBatch, batch_id)
    ids = list(simulated_labelers(session, batch.project_id))
    return len(session.exec(select(Assignment.id).where(Assignment.batch_id == batch_id,
                                                        col(Assignment.labeler_id).in_(ids),
                                                        col(Assignment.label_id).is_(None))).all())


def review_queue(session: Session, *, dataset_id: int, random_state: int = 0) -> pd.DataFrame:
    """Return the labels still to spot-check, in a seeded random order, and how many were reviewed.

    Only labelers' own labels (not decisions) that are still in effect are reviewed.
    """
    current = effective_labels(label_history(session, dataset_id))
    current = current[~current["decision"].astype(bool)] if len(current) else current
    reviewed = reviewed_label_ids(session, dataset_id)
    todo = current[~current["id"].isin(reviewed["label_id"])] if len(current) else current
    order = np.random.default_rng(random_state).permutation(len(todo))
    return todo.iloc[order].reset_index(drop=True)


def review_rate(session: Session, dataset_id: int) -> tuple[int, int]:
    """Return (reviewed labels, labels in effect) for the dataset version."""
    current = effective_labels(label_history(session, dataset_id))
    current = current[~current["decision"].astype(bool)] if len(current) else current
    reviewed = reviewed_label_ids(session, dataset_id)
    return int(current["id"].isin(reviewed["label_id"]).sum()) if len(current) else 0, len(current)


def review_label(session: Session, *, label_id: int, verdict: str, correction: str | None = None,
                 note: str = "", actor: str = "analyst") -> Review:
    """Return the review of one label; a correction is stored as a deciding label."""
    if verdict not in ("accepted", "corrected"):
        raise LabelingError(BAD_VERDICT.format(verdict=verdict))
    label = session.get(Label, label_id)
    if session.exec(select(Review.id).where(Review.label_id == label_id)).first() is not None:
        raise LabelingError(ALREADY_REVIEWED)
    fix = None
    if verdict == "corrected":
        fix = record_decision(session, dataset_id=label.dataset_id, row_id=label.row_id, value=correction or "",
                              source="review", actor=actor)
    inserted = session.execute(insert_ignoring_conflicts(session, Review).values(
        project_id=label.project_id, label_id=label_id, reviewer=actor, verdict=verdict, note=note.strip(),
        correction_id=fix.id if fix else None, created_at=utc_now()))
    if inserted.rowcount == 0:
        raise LabelingError(ALREADY_REVIEWED)
    log_event(session, project_id=label.project_id, actor=actor, action="reviewed label",
              details={"row": label.row_id, "verdict": verdict})
    return session.exec(select(Review).where(Review.label_id == label_id)).one()


def reviewed_label_ids(session: Session, dataset_id: int) -> pd.DataFrame:
    """Return the reviews of the dataset version's labels: label_id, verdict, reviewer."""
    rows = session.exec(select(Review.label_id, Review.verdict, Review.reviewer)
                        .join(Label, col(Label.id) == Review.label_id).where(Label.dataset_id == dataset_id)).all()
    return pd.DataFrame(rows, columns=["label_id", "verdict", "reviewer"])
