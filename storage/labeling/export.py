"""Label downloads: a dataset version's full label history and its current label set, as CSV."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from core.exports import ExportFile, csv_bytes, export_file
from core.labeling.export import current_table, history_table
from storage.data.datasets import get_dataset
from storage.labeling.labels import current_labels, label_history
from storage.project.projects import get_project


def label_history_download(session: Session, dataset_id: int, *, at: datetime | None = None) -> ExportFile:
    """Return every label revision of the version (labeler, batch, seconds, guideline version) as CSV."""
    table = history_table(label_history(session, dataset_id))
    return _file(session, dataset_id, "label-history", csv_bytes(table, index=False), at)


def current_labels_download(session: Session, dataset_id: int, *, at: datetime | None = None) -> ExportFile:
    """Return the version's current label set (row_id, label), as training sees it, as CSV."""
    table = current_table(current_labels(session, dataset_id).labels)
    return _file(session, dataset_id, "current-labels", csv_bytes(table, index=False), at)


def _file(session: Session, dataset_id: int, what: str, data: bytes, at: datetime | None) -> ExportFile:
    dataset = get_dataset(session, dataset_id)
    project = get_project(session, dataset.project_id).name
    return export_file(project, dataset.name, at or datetime.now(UTC), "csv", data,
                       detail=f"v{dataset.version}-{what}")
