"""The label downloads: every revision of every label, and the current label set."""

from __future__ import annotations

import pandas as pd

# Downloaded names for label_history's columns; the database id is left out (row order keeps it).
HISTORY_COLUMNS = {
    "row_id": "row_id", "labeler": "labeler", "batch": "batch", "revision": "revision", "value": "label",
    "seconds": "seconds", "guideline_version": "guideline_version", "decision": "decision", "source": "source",
    "created_at": "recorded_at_utc",
}


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """Return the label history as downloaded: one row per revision, oldest first; an undo has no label."""
    table = history[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS)
    table["batch"] = table["batch"].astype("Int64")  # a decision belongs to no batch
    table["guideline_version"] = table["guideline_version"].astype("Int64")
    return table.reset_index(drop=True)


def current_table(labels: pd.Series) -> pd.DataFrame:
    """Return the current label set as downloaded: row_id and label, in row order."""
    return labels.sort_index().rename("label").rename_axis("row_id").reset_index()
