"""Digits: scikit-learn's bundled 8x8 handwritten digits, for image labelling.

Pixels are integer columns ``pixel_0`` .. ``pixel_63`` (row-major, values 0-16), the
form the schema inference recognises as an image.
"""

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

NAME = "digits"
TITLE = "Handwritten digits"
TARGET = "digit"
IMAGE_SHAPE = (8, 8)
PIXEL_COLUMNS = tuple(f"pixel_{i}" for i in range(IMAGE_SHAPE[0] * IMAGE_SHAPE[1]))
# Pairs people (and models) mix up most often on these images.
CONFUSION_PAIRS = ((1, 7), (3, 8), (4, 9))
N_CLASSES = 10

PARAMS = (seed_param(), label_noise_param(0.05))


def digits(*, seed: int = 0, label_noise: float = 0.05) -> Scenario:
    """Return the digits scenario: 1,797 images of 8x8 pixels with their digit."""
    params = check_params(NAME, PARAMS, dict(seed=seed, label_noise=label_noise))
    # Imported here: scikit-learn takes over a second to import.
    from sklearn.datasets import load_digits

    data = load_digits()
    n_rows = len(data.target)
    pixels = data.data.astype(np.int64)
    frame = pd.DataFrame(pixels, columns=list(PIXEL_COLUMNS), index=row_index(n_rows))
    labels = data.target.astype(np.int64)
    noise_rng, confusion_rng = effect_streams(params["seed"], 2)
    flipped = rows_to_flip(n_rows, params["label_noise"], noise_rng)
    original = labels[flipped].copy()
    labels[flipped] = confused_labels(original, confusion_rng)
    frame[TARGET] = labels
    noise = label_noise_truth(params["label_noise"], flipped, original)
    noise["confusion_pairs"] = [list(pair) for pair in CONFUSION_PAIRS]
    return Scenario(
        name=NAME, title=TITLE, frame=frame, roles=Roles(target=TARGET),
        ground_truth={
            "task": "multiclass_classification", "target": TARGET,
            "classes": list(range(N_CLASSES)),
            "image": {
                "columns": f"{PIXEL_COLUMNS[0]}..{PIXEL_COLUMNS[-1]}",
                "shape": list(IMAGE_SHAPE),
                "max_value": 16,
            },
            "label_noise": noise,
        },
        description=(
            f"{n_rows:,} handwritten digits scanned as 8x8 grey images, each labelled 0-9. "
            "Unstructured data that people label quickly but not always consistently, "
            "which makes it the place to practise labelling, agreement between labellers "
            "and human-level performance."
        ),
    )


def confused_labels(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return a wrong digit for each label: its usual confusion, else a random other digit."""
    partner = np.full(N_CLASSES, -1)
    for a, b in CONFUSION_PAIRS:
        partner[a], partner[b] = b, a
    # Shifting by 1..9 modulo 10 picks uniformly among the other nine digits.
    other = (labels + rng.integers(1, N_CLASSES, len(labels))) % N_CLASSES
    return np.where(partner[labels] >= 0, partner[labels], other)


SPEC = ScenarioSpec(
    name=NAME, title=TITLE,
    summary=(
        "8x8 handwritten digits (1,797 images): labelling, agreement and human-level "
        "performance."
    ),
    generator=digits, params=PARAMS,
)
