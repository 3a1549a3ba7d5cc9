"""The misclassified dev rows of a run, most confident mistakes first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors.data import PREDICTED_CLASS, TRUE_CLASS, AnalysisData

COLUMNS = ["row_id", TRUE_CLASS, PREDICTED_CLASS, "confidence", "loss", "tags"]


def error_rows(data: AnalysisData, *, true_class: str | None = None, predicted_class: str | None = None,
               mask: np.ndarray | None = None) -> pd.DataFrame:
    """Return the misclassified rows (optionally of one true class, one predicted class, within a mask).

    `confidence` is the probability the model gave its wrong prediction; the table is sorted by it,
    highest first, because a confident mistake points at a label error or a missing feature.
    """
    keep = data.true != data.pred
    if mask is not None:
        keep &= mask
    if true_class is not None:
        keep &= (data.frame[TRUE_CLASS] == true_class).to_numpy()
    if predicted_class is not None:
        keep &= (data.frame[PREDICTED_CLASS] == predicted_class).to_numpy()
    table = pd.DataFrame({
        "row_id": data.frame.index[keep], TRUE_CLASS: data.frame[TRUE_CLASS].to_numpy()[keep].astype(str),
        PREDICTED_CLASS: data.frame[PREDICTED_CLASS].to_numpy()[keep].astype(str),
        "confidence": data.confidence()[keep], "loss": data.loss()[keep],
        "tags": [", ".join(sorted(t)) if isinstance(t, frozenset) else "" for t in data.tags.to_numpy()[keep]],
    })
    return table.sort_values(["confidence", "row_id"], ascending=[False, True], ignore_index=True, kind="stable")
