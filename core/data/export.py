"""A dataset version as a download: its rows with `row_id`, optionally the current labels and the
split beside them, and a JSON sidecar saying exactly which version and label set it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

LABEL_COLUMN = "current_label"
SPLIT_COLUMN = "split"
FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class VersionFacts:
    """What the sidecar says about a dataset version."""

    project: str
    name: str
    version: int
    parent: str | None
    content_hash: str
    roles: dict[str, Any]
    column_kinds: dict[str, str]


def free_name(name: str, taken: set[str]) -> str:
    """Return `name`, or `name.1`, `name.2`, … when the dataset already has a column of that name."""
    candidate, number = name, 0
    while candidate in taken:
        number += 1
        candidate = f"{name}.{number}"
    return candidate


def export_table(frame: pd.DataFrame, *, labels: pd.Series | None = None,
                 split: pd.Series | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the rows indexed by row_id with the label and split columns added (missing where a
    row has none), and the names those columns got ({"label": …, "split": …})."""
    table = frame.copy()
    taken, added = set(map(str, table.columns)), {}
    for role, name, values in (("label", LABEL_COLUMN, labels), ("split", SPLIT_COLUMN, split)):
        if values is not None:
            added[role] = free_name(name, taken)
            table[added[role]] = values.reindex(table.index)
            taken.add(added[role])
    table.index.name = "row_id"
    return table, added


def sidecar(facts: VersionFacts, table: pd.DataFrame, *, added: dict[str, str], file_format: str,
            exported_at: datetime, label_snapshot_hash: str | None, split_strategy: str | None) -> dict[str, Any]:
    """Return the JSON sidecar: which version, which label set and split, and what each column is."""
    return {
        "project": facts.project, "dataset": facts.name, "version": facts.version, "parent": facts.parent,
        "content_hash": facts.content_hash, "label_snapshot_hash": label_snapshot_hash,
        "split_strategy": split_strategy, "roles": facts.roles, "column_kinds": facts.column_kinds,
        "rows": len(table), "columns": ["row_id", *map(str, table.columns)], "added_columns": added,
        "format": file_format,
        "exported_at": exported_at.isoformat(timespec="seconds"),
    }
