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


NOT_A_CLASS = "“{positive}” is not one of the target's two classes ({classes}). Choose one of them."


def positive_last(classes: Sequence, positive: object = None) -> list:
    """Return the classes in the order metrics read them: of two classes, the positive one last.

    Precision, recall, F1 and ROC-AUC of a two-class task are the last class's everywhere (runs,
    baselines, error analysis, fairness). Without a choice the order stays as given — sorted, so the
    larger value (1 of 0/1, "yes" of no/yes) is positive, as before the choice existed. The
    choice is matched as text, so "1" picks the class 1. More than two classes are left as given.

    >>> positive_last(["benign", "malignant"], "benign")
    ['malignant', 'benign']
    >>> positive_last([0, 1], "1"), positive_last([0, 1])
    ([0, 1], [0, 1])
    """
    classes = list(classes)
    if positive is None or len(classes) != 2:
        return classes
    names = class_names(classes)
    if str(positive) not in names:
        raise ValueError(NOT_A_CLASS.format(positive=positive, classes=", ".join(names)))
    chosen = names.index(str(positive))
    return [classes[1 - chosen], classes[chosen]]
