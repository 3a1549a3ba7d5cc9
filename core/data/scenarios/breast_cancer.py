"""Breast cancer: scikit-learn's bundled Wisconsin diagnostic data, small and structured."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.data.roles import Roles
from core.data.scenarios.base import (
    Scenario,
    ScenarioSpec,
    check_params,
    effect_streams,
    label_noise_param,
    label_noise_truth,
    row_index,
    rows_to_flip,
    seed_param,
)

NAME = "breast_cancer"
TITLE = "Breast cancer diagnosis"
TARGET = "diagnosis"
# scikit-learn codes malignant as 0 and benign as 1; the names are what users see.
CLASSES = ("malignant", "benign")
POSITIVE_CLASS = "malignant"

PARAMS = (seed_param(), label_noise_param(0.0))


def breast_cancer(*, seed: int = 0, label_noise: float = 0.0) -> Scenario:
    """Return the breast-cancer scenario: 569 tumours, 30 measurements and a diagnosis."""
    params = check_params(NAME, PARAMS, dict(seed=seed, label_noise=label_noise))
    # Imported here: scikit-learn takes over a second to import.
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    n_rows = len(data.target)
    columns = [name.replace(" ", "_") for name in data.feature_names]
    frame = pd.DataFrame(data.data, columns=columns, index=row_index(n_rows))
    codes = data.target.astype(np.int64)
    (noise_rng,) = effect_streams(params["seed"], 1)
    flipped = rows_to_flip(n_rows, params["label_noise"], noise_rng)
    original = codes[flipped].copy()
    codes[flipped] = 1 - original
    frame[TARGET] = pd.Categorical.from_codes(codes, categories=list(CLASSES))
    return Scenario(
        name=NAME, title=TITLE, frame=frame, roles=Roles(target=TARGET),
        ground_truth={
            "task": "binary_classification", "target": TARGET,
            "classes": list(CLASSES), "positive_label": POSITIVE_CLASS,
            "label_noise": label_noise_truth(
                params["label_noise"], flipped, np.asarray(CLASSES, dtype=object)[original]
            ),
        },
        description=(
            f"{n_rows} breast tumours, each described by 30 measurements of its cell nuclei "
            "and diagnosed malignant or benign. Small structured data, where every label "
            "counts and a balanced split keeps the rarer malignant cases in dev and test."
        ),
    )


SPEC = ScenarioSpec(
    name=NAME, title=TITLE,
    summary=(
        "569 tumours with 30 measurements: small data where label quality and balanced "
        "splits matter."
    ),
    generator=breast_cancer, params=PARAMS,
)
