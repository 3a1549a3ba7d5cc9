"""Saved slices (Error analysis) watched on a deployment's windows: share of requests and accuracy per window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlmodel import Session

from core.errors.slices import SliceError, check_readable, slice_mask
from core.monitoring.slices import slice_over_windows
from storage.errors.slices import list_slices, slice_predicate
from storage.monitoring.watch import DeploymentMonitoring

@dataclass(frozen=True)
class WatchedSlice:
    """One saved slice over the windows: its name, its predicate as text and one row per window."""

    name: str
    text: str
    table: pd.DataFrame


@dataclass(frozen=True)
class WatchedSlices:
    """Every saved slice the stream can evaluate, and why any other is left out (empty `saved`: none saved)."""

    saved: int
    watched: list[WatchedSlice]
    refused: list[str]


def watch_slices(session: Session, monitoring: DeploymentMonitoring) -> WatchedSlices:
    """Return each saved slice of the project over the deployment's windows; a slice it cannot read is refused."""
    data = monitoring.data
    rows = list_slices(session, data.deployment.project_id)
    watched, refused = [], []
    # The windows table has no accuracy column when no label has arrived in any window.
    overall = monitoring.table.get("accuracy", pd.Series(np.nan, index=monitoring.table.index)).tolist()
    for row in rows:
        try:
            predicate = slice_predicate(row)
            check_readable(predicate, name=row.name, columns=data.rows.columns, place="monitoring")
            mask = slice_mask(data.rows.reset_index(drop=True), predicate, name=row.name)
        except SliceError as error:
            refused.append(str(error))
            continue
        table = slice_over_windows(mask, monitoring.windows, data.labels, data.predictions, overall)
        watched.append(WatchedSlice(row.name, predicate.text(), table))
    return WatchedSlices(len(rows), watched, refused)
