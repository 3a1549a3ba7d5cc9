"""The shape of a stored predictions frame, shared by every stage that reads a run's predictions.

One row per predicted row, indexed by ``row_id``: the true ``label``, the ``prediction`` and one
``proba_<class>`` column per class. Modeling writes it; baselines, error analysis, fairness and
monitoring read it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

LABEL, PREDICTION, PROBA_PREFIX = "label", "prediction", "proba_"


def class_names(classes: Sequence) -> list[str]:
    """Return the classes as the text used in column names and stored JSON."""
    return [str(c) for c in classes]


def predictions_frame(row_ids: Sequence, y_true: Sequence, y_pred: Sequence, proba: np.ndarray,
                      *, classes: Sequence) -> pd.DataFrame:
    """Return one row per prediction: the label, the prediction and one probability column per class."""
    frame = pd.DataFrame({LABEL: np.asarray(y_true), PREDICTION: np.asarray(y_pred)},
                         index=pd.Index(row_ids, name="row_id"))
    for position, name in enumerate(class_names(classes)):
        frame[f"{PROBA_PREFIX}{name}"] = proba[:, position]
    return frame
