"""Small labelled frames with a split, for the training, evaluation and artifact tests."""

import numpy as np
import pandas as pd

from core.modeling.preprocessing import plan_features
from core.data.roles import Roles
from core.modeling.training_data import split_training_data

KINDS = {"x1": "numeric", "x2": "numeric", "colour": "categorical", "group": "categorical", "note": "text",
         "y": "categorical"}
ROLES = Roles(target="y", sensitive=("group",))


def labelled_frame(n_rows: int = 300, *, n_classes: int = 2, seed: int = 0) -> pd.DataFrame:
    """Return rows whose class follows x1, x2 and colour, with some missing values and a rare colour."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n_rows), rng.normal(size=n_rows)
    colour = rng.choice(["red", "green", "blue", "violet"], size=n_rows, p=[0.4, 0.35, 0.245, 0.005])
    score = x1 + 0.5 * x2 + (colour == "red") + rng.normal(scale=0.5, size=n_rows)
    edges = np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1])
    frame = pd.DataFrame({
        "x1": np.where(rng.random(n_rows) < 0.05, np.nan, x1), "x2": x2,
        "colour": pd.Series(colour, dtype="category"), "group": rng.choice(["a", "b"], size=n_rows),
        "note": ["free text"] * n_rows, "y": np.digitize(score, edges),
    })
    frame.index = pd.RangeIndex(n_rows, name="row_id")
    return frame


def assignment_for(frame: pd.DataFrame, *, seed: int = 0) -> pd.Series:
    """Return a 60/20/20 train/dev/test assignment, stratified by y."""
    rng = np.random.default_rng(seed)
    labels = pd.Series("train", index=frame.index)
    for _, rows in frame.groupby("y").groups.items():
        shuffled = rng.permutation(np.asarray(rows))
        cut1, cut2 = int(len(shuffled) * 0.6), int(len(shuffled) * 0.8)
        labels[shuffled[cut1:cut2]] = "dev"
        labels[shuffled[cut2:]] = "test"
    return labels


def training_data(n_rows: int = 300, *, n_classes: int = 2, seed: int = 0):
    """Return (frame, plan, TrainingData) ready for train_model."""
    frame = labelled_frame(n_rows, n_classes=n_classes, seed=seed)
    plan = plan_features(KINDS, ROLES)
    return frame, plan, split_training_data(frame, frame["y"], assignment_for(frame, seed=seed), plan=plan)
