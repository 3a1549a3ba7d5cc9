"""Downloads read across stages: a dataset version with its current labels and split.

It sits at the top of the layer because it reads the data stage's rows and split and the
labeling stage's current label set, and labeling already reads data (a stage module here
would close a cycle). The bytes are built by `core.exports` and `core.data.export`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlmodel import Session

from core.data.export import FORMATS, VersionFacts, export_table, sidecar
from core.exports import ExportFile, csv_bytes, export_file, json_bytes, parquet_bytes
from storage.data.datasets import get_dataset, latest_split, load_frame, load_split
from storage.data.tables import Dataset
from storage.labeling.labels import current_labels
from storage.project.projects import get_project

NO_LABELS = ("Dataset {name} v{version} has no labels to add: choose its target on the Roles tab, "
             "or label rows on the Labeling page.")
NO_SPLIT = "Dataset {name} v{version} has no split to add: make one on the Splits tab."
BAD_FORMAT = "Unknown download format {file_format!r}: choose one of {formats}."


class ExportError(ValueError):
    """A download could not be built; the message names the problem and the fix."""


def dataset_download(session: Session, dataset_id: int, *, file_format: str, with_labels: bool,
                     with_split: bool, at: datetime | None = None) -> tuple[ExportFile, ExportFile]:
    """Return a dataset version as CSV or Parquet (row_id, optionally labels and split) and its JSON sidecar."""
    if file_format not in FORMATS:
        raise ExportError(BAD_FORMAT.format(file_format=file_format, formats=", ".join(FORMATS)))
    dataset, at = get_dataset(session, dataset_id), at or datetime.now(UTC)
    snapshot = current_labels(session, dataset_id)
    labels = _requested_labels(dataset, snapshot.labels) if with_labels else None
    split = latest_split(session, dataset_id) if with_split else None
    if with_split and split is None:
        raise ExportError(NO_SPLIT.format(name=dataset.name, version=dataset.version))
    table, added = export_table(load_frame(session, dataset_id), labels=labels,
                                split=load_split(split) if split else None)
    facts = _facts(session, dataset)
    document = sidecar(facts, table, added=added, file_format=file_format, exported_at=at,
                       label_snapshot_hash=snapshot.snapshot_hash if len(snapshot.labels) else None,
                       split_strategy=split.strategy if split else None)
    detail = f"v{dataset.version}"
    data = csv_bytes(table) if file_format == "csv" else parquet_bytes(table)
    return (export_file(facts.project, dataset.name, at, file_format, data, detail=detail),
            export_file(facts.project, dataset.name, at, "json", json_bytes(document), detail=detail))


def _requested_labels(dataset: Dataset, labels: pd.Series) -> pd.Series:
    if labels.empty:
        raise ExportError(NO_LABELS.format(name=dataset.name, version=dataset.version))
    return labels


def _facts(session: Session, dataset: Dataset) -> VersionFacts:
    parent = get_dataset(session, dataset.parent_id) if dataset.parent_id else None
    return VersionFacts(
        project=get_project(session, dataset.project_id).name, name=dataset.name, version=dataset.version,
        parent=f"{parent.name} v{parent.version}" if parent else None, content_hash=dataset.content_hash,
        roles=dataset.roles, column_kinds=dataset.column_kinds)
