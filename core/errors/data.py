"""What error analysis reads from a run: its dev rows with features, labels, predictions and tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors.scoring import SliceCounts, class_codes, mask_counts, row_loss
from core.predictions import LABEL, PREDICTION, PROBA_PREFIX, class_names

TRUE_CLASS, PREDICTED_CLASS = "true class", "predicted class"
NO_DEV_ROWS = "The run's stored dev predictions match no row of its dataset version. Train the run again."


def with_class_column(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """Return the rows with their label as the "true class" column, so class slices select them too."""
    return frame.assign(**{TRUE_CLASS: frame[target].astype(str)}) if target in frame.columns else frame


# eq=False: frames make field-wise equality ambiguous.
@dataclass(frozen=True, eq=False)
class AnalysisData:
    """A run's dev rows: features (with the true and predicted class as columns), class codes, probabilities."""

    frame: pd.DataFrame
    classes: tuple
    true: np.ndarray
    pred: np.ndarray
    proba: np.ndarray
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    tags: pd.Series

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def counts(self, mask: np.ndarray) -> SliceCounts:
        return mask_counts(mask, self.true, self.pred, self.n_classes)

    def loss(self) -> np.ndarray:
        return row_loss(self.proba, self.true)

    def confidence(self) -> np.ndarray:
        """Return the probability the model gave its own prediction."""
        return self.proba[np.arange(self.n_rows), np.clip(self.pred, 0, None)]


def analysis_data(predictions: pd.DataFrame, frame: pd.DataFrame, *, classes: Sequence, numeric: Sequence[str],
                  categorical: Sequence[str], tags: Mapping[int, Sequence[str]] | None = None) -> AnalysisData:
    """Return the dev rows of `predictions` joined to their features in `frame` (both indexed by row_id)."""
    rows = predictions.index.intersection(frame.index)
    if rows.empty:
        raise ValueError(NO_DEV_ROWS)
    predictions = predictions.loc[rows]
    features = [c for c in (*numeric, *categorical) if c in frame.columns]
    joined = frame.loc[rows, features].copy()
    names = class_names(classes)
    joined[TRUE_CLASS] = pd.Categorical(predictions[LABEL].astype(str), categories=names)
    joined[PREDICTED_CLASS] = pd.Categorical(predictions[PREDICTION].astype(str), categories=names)
    proba = predictions[[f"{PROBA_PREFIX}{c}" for c in names]].to_numpy(dtype=float)
    held = pd.Series({r: frozenset(t) for r, t in (tags or {}).items()}, dtype=object)
    return AnalysisData(joined, tuple(classes), class_codes(predictions[LABEL], classes),
                        class_codes(predictions[PREDICTION], classes), proba,
                        tuple(c for c in numeric if c in frame.columns),
                        tuple(c for c in categorical if c in frame.columns), held.reindex(rows))
