"""Multivariate drift: how well a classifier tells the current rows from the reference rows.

NannyML's domain classifier: an ROC-AUC near 0.5 means the two samples look alike; towards 1
the current rows differ in some combination of columns, even when no single column drifts.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

MAX_ROWS_PER_SIDE = 1_000  # the AUC of this many rows a side varies by about ±0.03: enough to see drift, quick per window
FOLDS = 3
MIN_ROWS_PER_SIDE = FOLDS  # each fold needs a row of both samples


def domain_classifier_auc(
    reference: pd.DataFrame, current: pd.DataFrame, kinds: Mapping[str, str], seed: int = 0
) -> float:
    """Return the cross-validated ROC-AUC of a classifier telling current rows from reference rows.

    Up to MAX_ROWS_PER_SIDE rows of each side are drawn (seeded); numbers are used as they are
    (missing kept: the model handles them), categories as codes over both sides. NaN when either
    side has fewer than MIN_ROWS_PER_SIDE rows or no column is usable.
    """
    columns = [name for name, kind in kinds.items() if kind in ("numeric", "categorical", "image")]
    rng = np.random.default_rng(seed)
    ref, cur = _sample(reference[columns], rng), _sample(current[columns], rng)
    if not columns or min(len(ref), len(cur)) < MIN_ROWS_PER_SIDE:
        return float("nan")
    features, categorical = _encode(pd.concat([ref, cur], ignore_index=True), kinds)
    is_current = np.r_[np.zeros(len(ref)), np.ones(len(cur))]
    model = HistGradientBoostingClassifier(
        max_iter=25, max_leaf_nodes=8, categorical_features=categorical or None, random_state=seed)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    # One thread: on small samples OpenMP's start-up across busy cores costs more than the fit (40× measured).
    with threadpool_limits(1):
        scores = cross_val_predict(model, features, is_current, cv=folds, method="predict_proba")[:, 1]
    return float(roc_auc_score(is_current, scores))


def _sample(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    if len(frame) <= MAX_ROWS_PER_SIDE:
        return frame
    return frame.iloc[np.sort(rng.choice(len(frame), MAX_ROWS_PER_SIDE, replace=False))]


def _encode(frame: pd.DataFrame, kinds: Mapping[str, str]) -> tuple[np.ndarray, list[int]]:
    encoded, categorical = [], []
    for position, name in enumerate(frame.columns):
        if kinds[name] == "categorical":
            codes, levels = pd.factorize(frame[name].astype("string"), sort=True)
            # rare levels beyond what the model takes (255) share one code
            encoded.append(np.where(codes < 0, np.nan, np.minimum(codes, 250)).astype(float))
            categorical.append(position)
        else:
            encoded.append(pd.to_numeric(frame[name], errors="coerce").to_numpy(float, na_value=np.nan))
    return np.column_stack(encoded), categorical
