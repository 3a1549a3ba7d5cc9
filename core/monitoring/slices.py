"""A saved slice watched over the monitoring windows: its share of requests and its accuracy per window.

The slice's mask comes from `core.errors.slices.slice_mask` on the stream's requests; the window's
overall accuracy is the one the windows table already shows, so the two compare like for like.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.monitoring.windows import Window

SLICE_COLUMNS = ["window", "requests", "in slice", "share of requests", "labels in slice", "slice accuracy",
                 "window accuracy", "slice − window"]


def slice_over_windows(mask: np.ndarray, windows: Sequence[Window], labels: pd.Series, predictions: np.ndarray,
                       window_accuracy: Sequence[float]) -> pd.DataFrame:
    """Return one row per window: requests, those in the slice and their share, and the slice's accuracy.

    `labels` is positional, missing where the label has not arrived; a slice accuracy needs at
    least one arrived label in the window's slice rows, else it is missing (NaN), as is its gap.
    """
    mask = np.asarray(mask, dtype=bool)
    labels, predictions = np.asarray(labels, dtype=object), np.asarray(predictions, dtype=object)
    right = pd.notna(labels) & (labels == predictions)
    known = pd.notna(labels)
    return pd.DataFrame([_window_row(window, mask, known, right, overall)
                         for window, overall in zip(windows, window_accuracy)], columns=SLICE_COLUMNS)


def _window_row(window: Window, mask: np.ndarray, known: np.ndarray, right: np.ndarray, overall: float) -> list:
    inside = window.positions[mask[window.positions]]
    scored = inside[known[inside]]
    accuracy = float(right[scored].mean()) if scored.size else np.nan
    share = inside.size / len(window) if len(window) else np.nan
    overall = float(overall) if overall is not None else np.nan
    return [window.label, len(window), int(inside.size), share, int(scored.size), accuracy, overall, accuracy - overall]
