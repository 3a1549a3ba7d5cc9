"""Labels: recording, undo, decisions, reviews, and the current label set other stages train on.

Labels are append-only. A labeler's label on an item has revisions 1, 2, …; an undo writes
a revision without a value, a correction a revision with the new value, and the unique
(dataset, row, labeler, revision) key makes a second tab's copy of the same click lose
instead of counting twice.

For later stages, the one call to know is::

    labels, snapshot_hash = current_labels(session, dataset_id)

`labels` is a Series indexed by row_id with the label of every labeled row (the dataset's
given target values overlaid by the consensus of labels made in the app; unlabeled rows are
absent), typed like the target column when every label is one of its values, else text.
`snapshot_hash` names exactly that label set of that dataset version: store it with a run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd
from sqlalchemy import insert, update
from sqlmodel import Session, col, func, select

from core.labeling.consensus import UNCLEAR
from core.labeling.label_set import current_label_set, effective_labels, snapshot_hash, typed_like
from core.data.roles import Roles
from storage.data.datasets import get_dataset, load_columns
from storage.labeling.batches import (
    LabelingError,
    current_guideline,
    ensure_labeler,
    label_classes,
    save_guideline,
)
from storage.labeling.tables import Assignment, Label, LabelBatch, LabelResolution, Labeler
from storage.fields import utc_now
from storage.project.projects import log_event
from storage.db import insert_ignoring_conflicts

ASSIGNMENT_GONE = "This item is no longer assigned to you (its batch was removed). Pick a batch again."
ALREADY_LABELED = (
    "Row {row_id} was already labeled by {labeler} a moment ago (in another tab?). Nothing was "
    "counted twice; the next item is shown."
)
NOT_A_CLASS = "“{value}” is not one of the label classes ({classes}). Pick one of them, or add it to the guideline."
ROW_GONE = "Row {row_id} does not exist in this dataset version. Check the row id; nothing was saved."
NOTHING_TO_UNDO = "There is no label of yours in this batch to undo."
NEGATIVE_SECONDS = "Time spent cannot be negative; got {seconds}."


class LabelSnapshot(NamedTuple):
    """The current label set of a dataset version and the hash that names it."""

    labels: pd.Series
    snapshot_hash: str


def _check_value(session: Session, dataset_id: int, value: str, classes: list[str] | None = None) -> str:
    classes = classes if classes is not None else label_classes(session, dataset_id=dataset_id)
    value = str(value).strip()
    if value != UNCLEAR and value not in classes:
        raise LabelingError(NOT_A_CLASS.format(value=value, classes=", ".join(classes)))
    return value


def _append(session: Session, *, dataset_id: int, project_id: int, row_id: int, labeler: Labeler, **fields) -> Label:
    """Insert the next revision of (row, labeler); raise LabelingError if another tab wrote it first."""
    revision = 1 + (session.exec(select(func.max(Label.revision)).where(
        Label.dataset_id == dataset_id, Label.row_id == row_id, Label.labeler_id == labeler.id)).one() or 0)
    values = dict(project_id=project_id, dataset_id=dataset_id, row_id=row_id, labeler_id=labeler.id,
                  revision=revision, created_at=utc_now(), **fields)
    inserted = session.execute(insert_ignoring_conflicts(session, Label).values(**values))
    if inserted.rowcount == 0:
        raise LabelingError(ALREADY_LABELED.format(row_id=row_id, labeler=labeler.name))
    return session.exec(select(Label).where(Label.dataset_id == dataset_id, Label.row_id == row_id,
                                            Label.labeler_id == labeler.id, Label.revision == revision)).one()


def record_label(session: Session, *, assignment_id: int, value: str, seconds: float, actor: str = "analyst") -> Label:
    """Return the new label completing an assignment; refuse a taken item or an unknown class."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise LabelingError(ASSIGNMENT_GONE)
    labeler = session.get(Labeler, assignment.labeler_id)
    if assignment.label_id is not None:
        raise LabelingError(ALREADY_LABELED.format(row_id=assignment.row_id, labeler=labeler.name))
    if seconds < 0:
        raise LabelingError(NEGATIVE_SECONDS.format(seconds=seconds))
    batch = session.get(LabelBatch, assignment.batch_id)
    label = _append(session, dataset_id=batch.dataset_id, project_id=batch.project_id, row_id=assignment.row_id,
                    labeler=labeler, batch_id=batch.id, value=_check_value(session, batch.dataset_id, value),
                    seconds=round(float(seconds), 2), guideline_version=_guideline_version(session, batch.project_id))
    _claim(session, assignment, expected=None, new=label.id)
    log_event(session, project_id=batch.project_id, actor=actor, action="labeled item",
              details={"batch": batch.number, "row": assignment.row_id, "label": label.value})
    return label


def _claim(session: Session, assignment: Assignment, *, expected: int | None, new: int | None) -> None:
    """Point the assignment at its new label only if it still points where this tab saw it.

    The conditional update is atomic: of two tabs completing the same item, one updates a row
    and the other none, and its transaction (with the label it inserted) is rolled back.
    """
    where = col(Assignment.label_id).is_(None) if expected is None else Assignment.label_id == expected
    done = session.execute(update(Assignment).where(Assignment.id == assignment.id, where)
                           .values(label_id=new, skipped=False))
    if done.rowcount != 1:
        labeler = session.get(Labeler, assignment.labeler_id)
        raise LabelingError(ALREADY_LABELED.format(row_id=assignment.row_id, labeler=labeler.name))
    session.refresh(assignment)


def _guideline_version(session: Session, project_id: int) -> int | None:
    guideline = current_guideline(session, project_id)
    return guideline.version if guideline else None


def skip_assignment(session: Session, *, assignment_id: int) -> Assignment:
    """Return the assignment put at the back of the labeler's queue."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise LabelingError(ASSIGNMENT_GONE)
    assignment.skipped = True
    session.add(assignment)
    return assignment


def next_assignment(session: Session, *, batch_id: int, labeler_id: int) -> Assignment | None:
    """Return the labeler's next open item in the batch: unskipped ones first, in queue order."""
    return session.exec(select(Assignment).where(
        Assignment.batch_id == batch_id, Assignment.labeler_id == labeler_id, col(Assignment.label_id).is_(None))
        .order_by(col(Assignment.skipped), col(Assignment.position)).limit(1)).first()


def open_assignments(session: Session, *, batch_id: int, labeler_id: int) -> list[Assignment]:
    """Return all the labeler's open items in the batch, in queue order."""
    return list(session.exec(select(Assignment).where(
        Assignment.batch_id == batch_id, Assignment.labeler_id == labeler_id, col(Assignment.label_id).is_(None))
        .order_by(col(Assignment.skipped), col(Assignment.position))))


def queue_counts(session: Session, *, batch_id: int, labeler_id: int) -> tuple[int, int]:
    """Return (items labeled, items in the queue) of the labeler in the batch."""
    labeled = func.count(Assignment.label_id)  # counts the non-null ones
    done, total = session.exec(select(labeled, func.count()).select_from(Assignment).where(
        Assignment.batch_id == batch_id, Assignment.labeler_id == labeler_id)).one()
    return done, total


def undo_last_label(session: Session, *, batch_id: int, labeler_id: int, actor: str = "analyst") -> int:
    """Return the row whose latest label by this labeler in the batch was withdrawn; it is open again."""
    assignment = session.exec(select(Assignment).join(Label, col(Label.id) == Assignment.label_id).where(
        Assignment.batch_id == batch_id, Assignment.labeler_id == labeler_id)
        .order_by(col(Label.id).desc()).limit(1)).first()
    if assignment is None:
        raise LabelingError(NOTHING_TO_UNDO)
    batch, labeler = session.get(LabelBatch, batch_id), session.get(Labeler, labeler_id)
    _append(session, dataset_id=batch.dataset_id, project_id=batch.project_id, row_id=assignment.row_id,
            labeler=labeler, batch_id=batch_id, value=None, source="undo",
            guideline_version=_guideline_version(session, batch.project_id))
    _claim(session, assignment, expected=assignment.label_id, new=None)
    log_event(session, project_id=batch.project_id, actor=actor, action="undid label",
              details={"batch": batch.number, "row": assignment.row_id})
    return assignment.row_id


def record_labels(session: Session, *, batch_id: int, labeler_id: int, values: dict[int, str],
                  seconds: dict[int, float] | None = None, actor: str = "analyst") -> int:
    """Return how many labels were stored for the labeler's open items (grid mode); all or nothing."""
    open_items = {a.row_id: a for a in open_assignments(session, batch_id=batch_id, labeler_id=labeler_id)}
    unknown = [row for row in values if row not in open_items]
    if unknown:
        raise LabelingError(ROW_GONE.format(row_id=unknown[0]) if not _is_row(session, batch_id, unknown[0])
                            else ALREADY_LABELED.format(row_id=unknown[0], labeler=session.get(Labeler, labeler_id).name))
    for row_id, value in values.items():
        record_label(session, assignment_id=open_items[row_id].id, value=value,
                     seconds=(seconds or {}).get(row_id, 0.0), actor=actor)
    return len(values)


def _is_row(session: Session, batch_id: int, row_id: int) -> bool:
    batch = session.get(LabelBatch, batch_id)
    return row_id in row_ids(session, batch.dataset_id)


def row_ids(session: Session, dataset_id: int) -> pd.Index:
    """Return the row ids of a dataset version, reading only that column."""
    return load_columns(session, dataset_id, []).index


def record_decision(session: Session, *, dataset_id: int, row_id: int, value: str, source: str,
                    actor: str = "analyst") -> Label:
    """Return a deciding label by `actor` (it overrides the vote); the earlier labels are kept."""
    [label] = _decide(session, dataset_id=dataset_id, values={row_id: value}, source=source, actor=actor)
    log_event(session, project_id=label.project_id, actor=actor, action=f"decided label ({source})",
              details={"row": row_id, "label": label.value})
    return label


def record_decisions(session: Session, *, dataset_id: int, values: Mapping[int, str], source: str,
                     actor: str = "analyst") -> list[Label]:
    """Return deciding labels for many rows at once, all or none (one timeline entry for the lot)."""
    made = _decide(session, dataset_id=dataset_id, values=values, source=source, actor=actor)
    if made:
        log_event(session, project_id=made[0].project_id, actor=actor, action=f"decided labels ({source})",
                  details={"rows": len(made), "first rows": [l.row_id for l in made[:10]]})
    return made


def _decide(session: Session, *, dataset_id: int, values: Mapping[int, str], source: str, actor: str) -> list[Label]:
    known = row_ids(session, dataset_id)
    gone = [row for row in values if row not in known]
    if gone:
        raise LabelingError(ROW_GONE.format(row_id=gone[0]))
    dataset = get_dataset(session, dataset_id)
    labeler = ensure_labeler(session, project_id=dataset.project_id, name=actor)
    version, classes = _guideline_version(session, dataset.project_id), label_classes(session, dataset_id=dataset_id)
    checked = {int(row): _check_value(session, dataset_id, value, classes) for row, value in values.items()}
    return [_append(session, dataset_id=dataset_id, project_id=dataset.project_id, row_id=row, labeler=labeler,
                    value=value, decision=True, source=source, guideline_version=version)
            for row, value in checked.items()]


def resolve_disagreement(session: Session, *, dataset_id: int, row_id: int, value: str, note: str = "",
                         rule: str = "", actor: str = "analyst") -> LabelResolution:
    """Return the recorded resolution; a rule, when given, becomes a new guideline version."""
    label = record_decision(session, dataset_id=dataset_id, row_id=row_id, value=value, source="resolution",
                            actor=actor)
    version = None
    if rule.strip():
        current = current_guideline(session, label.project_id)
        text = f"{current.text}\n- {rule.strip()}".strip() if current else f"- {rule.strip()}"
        classes = current.classes if current else label_classes(session, dataset_id=dataset_id)
        version = save_guideline(session, project_id=label.project_id, text=text, classes=classes, actor=actor,
                                 created_from={"row_id": row_id, "decision": label.value}).version
    resolution = LabelResolution(project_id=label.project_id, dataset_id=dataset_id, row_id=row_id,
                                 label_id=label.id, note=note.strip(), guideline_version=version, actor=actor)
    session.add(resolution)
    session.flush()
    return resolution


def label_history(session: Session, dataset_id: int) -> pd.DataFrame:
    """Return every label event of the dataset version with the labeler's name and batch number."""
    rows = session.exec(
        select(Label.id, Label.row_id, Labeler.name, LabelBatch.number, Label.revision, Label.value, Label.seconds,
               Label.guideline_version, Label.decision, Label.source, Label.created_at)
        .join(Labeler, col(Labeler.id) == Label.labeler_id)
        .outerjoin(LabelBatch, col(LabelBatch.id) == Label.batch_id)
        .where(Label.dataset_id == dataset_id).order_by(col(Label.id))).all()
    return pd.DataFrame(rows, columns=["id", "row_id", "labeler", "batch", "revision", "value", "seconds",
                                       "guideline_version", "decision", "source", "created_at"])


def current_labels(session: Session, dataset_id: int) -> LabelSnapshot:
    """Return the current label set of a dataset version and its snapshot hash (see the module doc)."""
    dataset = get_dataset(session, dataset_id)
    target = Roles.from_dict(dataset.roles).target
    given = load_columns(session, dataset_id, [target])[target] if target else None
    effective = effective_labels(label_history(session, dataset_id))
    if effective.empty and given is not None:
        # Nothing labeled in the app: the given labels as they are, without a round trip through
        # text (the hash reads values as text, so it is the same either way).
        labels = given.dropna().sort_index().rename("label")
        return LabelSnapshot(labels, snapshot_hash(labels, dataset_hash=dataset.content_hash))
    labels = current_label_set(given, effective)
    return LabelSnapshot(typed_like(labels, given), snapshot_hash(labels, dataset_hash=dataset.content_hash))


def labeler_ids(session: Session, project_id: int) -> dict[str, int]:
    """Return the project's labelers as name -> id."""
    return dict(session.exec(select(Labeler.name, Labeler.id).where(Labeler.project_id == project_id)).all())


def store_simulated_labels(session: Session, *, batch_id: int, labeler_id: int, labels: pd.DataFrame,
                           actor: str = "analyst") -> int:
    """Return how many simulated labels (row_id index; value, seconds) were stored for open items."""
    batch = session.get(LabelBatch, batch_id)
    items = {a.row_id: a for a in open_assignments(session, batch_id=batch_id, labeler_id=labeler_id)}
    labels = labels[labels.index.isin(list(items))]
    if labels.empty:
        return 0
    version = _guideline_version(session, batch.project_id)
    base = {r: 1 + n for r, n in session.exec(select(Label.row_id, func.max(Label.revision)).where(
        Label.dataset_id == batch.dataset_id, Label.labeler_id == labeler_id,
        col(Label.row_id).in_([int(r) for r in labels.index])).group_by(Label.row_id)).all()}
    now = utc_now()
    session.execute(insert(Label), [
        dict(project_id=batch.project_id, dataset_id=batch.dataset_id, row_id=int(row), labeler_id=labeler_id,
             batch_id=batch_id, revision=base.get(int(row), 1), value=str(r.value), seconds=float(r.seconds),
             guideline_version=version, decision=False, source="simulated", created_at=now)
        for row, r in labels.iterrows()])
    _close_assignments(session, batch_id=batch_id, labeler_id=labeler_id, rows=[int(r) for r in labels.index])
    log_event(session, project_id=batch.project_id, actor=actor, action="simulated labels",
              details={"batch": batch.number, "labeler_id": labeler_id, "labels": len(labels)})
    return len(labels)


def _close_assignments(session: Session, *, batch_id: int, labeler_id: int, rows: list[int]) -> None:
    latest = dict(session.exec(select(Label.row_id, func.max(Label.id)).where(
        Label.batch_id == batch_id, Label.labeler_id == labeler_id, col(Label.row_id).in_(rows))
        .group_by(Label.row_id)).all())
    for assignment in open_assignments(session, batch_id=batch_id, labeler_id=labeler_id):
        if assignment.row_id in latest:
            assignment.label_id = latest[assignment.row_id]
            session.add(assignment)
    session.flush()
