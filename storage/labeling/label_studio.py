"""Label Studio JSON out and in: a dataset version's labels as tasks, and an export read into a new batch.

The format is read and written by `core.labeling.label_studio`; this module reads the labels and
rows it needs and stores an import: the file's annotators become labelers, its annotations the
labels of a new numbered batch (strategy "imported"), all in the caller's one transaction, so a
refused file stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from core.exports import ExportFile, export_file, json_bytes
from core.labeling.label_set import effective_labels
from core.labeling.label_studio import (
    IMPORTED_STRATEGY,
    LabelStudioError,
    ParsedImport,
    check_rows_and_classes,
    export_tasks,
    parse_export,
)
from storage.data.datasets import get_dataset, load_frame
from storage.fields import utc_now
from storage.labeling.batches import (
    MAX_LABELER_NAME,
    current_guideline,
    ensure_labeler,
    label_classes,
    save_guideline,
)
from storage.labeling.labels import label_history, row_ids
from storage.labeling.tables import Assignment, Label, LabelBatch
from storage.project.projects import get_project, log_event

NOTHING_LABELED = ("Dataset {name} v{version} has no labels made in the app to export yet. Label items on the "
                   "Label section first.")
NAME_TOO_LONG = ("The annotator “{name}” has a name longer than {cap} characters, the longest a labeler's name "
                 "can be. Shorten the annotator's first and last name in Label Studio, then export again.")


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored, and what it left out."""

    batch_number: int
    labels: int
    labelers: list[str]
    tasks: int
    cancelled: int
    without_annotations: int


def label_studio_download(session: Session, dataset_id: int, *, at: datetime | None = None) -> ExportFile:
    """Return the version's labeled items as Label Studio tasks, each labeler's current label an annotation."""
    dataset = get_dataset(session, dataset_id)
    effective = effective_labels(label_history(session, dataset_id))
    if effective.empty:
        raise LabelStudioError(NOTHING_LABELED.format(name=dataset.name, version=dataset.version))
    tasks = export_tasks(load_frame(session, dataset_id), effective)
    project = get_project(session, dataset.project_id).name
    return export_file(project, dataset.name, at or datetime.now(UTC), "json", json_bytes(tasks),
                       detail=f"v{dataset.version}-label-studio")


def import_label_studio(session: Session, *, dataset_id: int, data: bytes, actor: str = "analyst") -> ImportSummary:
    """Return what was stored from a Label Studio JSON export; refuse it whole, naming the problem."""
    dataset = get_dataset(session, dataset_id)
    parsed = parse_export(data, default_annotator=actor)
    check_rows_and_classes(parsed, row_ids=row_ids(session, dataset_id),
                           classes=label_classes(session, dataset_id=dataset_id), name=dataset.name,
                           version=dataset.version)
    labelers = _labelers(session, dataset.project_id, parsed.annotations["annotator"])
    if current_guideline(session, dataset.project_id) is None:
        # As for a planned batch: labels record the guideline they were made under, so this starts version 1.
        save_guideline(session, project_id=dataset.project_id, text="", created_from={"reason": "first batch"},
                       classes=label_classes(session, dataset_id=dataset_id), actor=actor)
    batch = _new_batch(session, dataset, parsed, actor)
    _store_labels(session, batch, parsed.annotations.assign(labeler_id=parsed.annotations["annotator"].map(labelers)))
    _close_assignments(session, batch)
    log_event(session, project_id=dataset.project_id, actor=actor, action="imported Label Studio labels",
              details={"batch": batch.number, "labels": len(parsed.annotations), "labelers": list(labelers),
                       "cancelled": parsed.cancelled})
    return ImportSummary(batch.number, len(parsed.annotations), list(labelers), parsed.tasks, parsed.cancelled,
                         parsed.without_annotations)


def _labelers(session: Session, project_id: int, annotators: pd.Series) -> dict[str, int]:
    names = list(dict.fromkeys(annotators))
    too_long = [n for n in names if len(" ".join(n.split())) > MAX_LABELER_NAME]
    if too_long:
        raise LabelStudioError(NAME_TOO_LONG.format(name=too_long[0], cap=MAX_LABELER_NAME))
    return {name: ensure_labeler(session, project_id=project_id, name=name).id for name in names}


def _new_batch(session: Session, dataset, parsed: ParsedImport, actor: str) -> LabelBatch:
    annotations = parsed.annotations
    per_row = annotations.groupby("row_id")["annotator"].nunique()
    latest = session.exec(select(func.max(LabelBatch.number)).where(LabelBatch.dataset_id == dataset.id)).one()
    batch = LabelBatch(project_id=dataset.project_id, dataset_id=dataset.id, number=(latest or 0) + 1,
                       strategy=IMPORTED_STRATEGY, size=len(per_row), overlap=float((per_row >= 2).mean()),
                       actor=actor, params={"source": "Label Studio JSON export",
                                            "labelers": list(dict.fromkeys(annotations["annotator"])),
                                            "tasks": parsed.tasks, "cancelled": parsed.cancelled})
    session.add(batch)
    session.flush()
    return batch


def _store_labels(session: Session, batch: LabelBatch, annotations: pd.DataFrame) -> None:
    """Insert the labels in file order; a second annotation by the same person on a row is a later revision."""
    rows = [int(r) for r in annotations["row_id"].unique()]
    base = {(r, l): n for r, l, n in session.exec(select(Label.row_id, Label.labeler_id, func.max(Label.revision))
                                                  .where(Label.dataset_id == batch.dataset_id,
                                                         col(Label.row_id).in_(rows))
                                                  .group_by(Label.row_id, Label.labeler_id)).all()}
    annotations = annotations.assign(revision=annotations.groupby(["row_id", "labeler_id"]).cumcount() + 1)
    guideline, now = current_guideline(session, batch.project_id), utc_now()
    session.execute(insert(Label), [
        dict(project_id=batch.project_id, dataset_id=batch.dataset_id, row_id=int(a.row_id),
             labeler_id=int(a.labeler_id), batch_id=batch.id,
             revision=base.get((int(a.row_id), int(a.labeler_id)), 0) + int(a.revision), value=a.value,
             seconds=float(a.seconds), guideline_version=guideline.version if guideline else None,
             decision=bool(a.decision), source="label-studio", created_at=now)
        for a in annotations.itertuples(index=False)])


def _close_assignments(session: Session, batch: LabelBatch) -> None:
    """Give every (row, labeler) of the batch an assignment completed by its latest imported label."""
    latest = session.exec(select(Label.row_id, Label.labeler_id, func.max(Label.id)).where(Label.batch_id == batch.id)
                          .group_by(Label.row_id, Label.labeler_id).order_by(func.min(Label.id))).all()
    session.execute(insert(Assignment), [
        {"project_id": batch.project_id, "batch_id": batch.id, "row_id": row, "labeler_id": labeler,
         "position": position, "skipped": False, "label_id": label}
        for position, (row, labeler, label) in enumerate(latest)])
