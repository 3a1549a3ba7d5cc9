"""The rows a run trains and is evaluated on: features and labels of each split, checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types

from core.modeling.preprocessing import FeaturePlan, feature_frame
from core.slicing import slice_frame

NO_ROWS_IN_SPLIT = (
    "The {split} split has no labelled rows. Make a split that gives {split} some rows on the Datasets page, "
    "or label rows of that split."
)
ONE_CLASS_TRAIN = (
    "The training split has only one class (“{value}”) among its {count} labelled rows; a classifier needs "
    "at least two. Make a stratified split on the Datasets page, or label rows of another class."
)
UNSEEN_CLASS = (
    "The {split} split has the class “{value}”, which no training row has, so no model could predict it. "
    "Make a stratified split on the Datasets page so every class is in the training split."
)


@dataclass(frozen=True, eq=False)
class TrainingData:
    """Features and labels of the train split and of the split a run is evaluated on (dev)."""

    train_X: pd.DataFrame
    train_y: pd.Series
    dev_X: pd.DataFrame
    dev_y: pd.Series
    # Columns the dev metrics are also computed per value of (sensitive ones, those slice targets name).
    dev_groups: pd.DataFrame | None = None

    @property
    def classes(self) -> list:
        return sorted(pd.unique(self.train_y))


def plain_labels(labels: pd.Series) -> pd.Series:
    """Return labels as plain values (categories and string dtypes unwrapped) for scikit-learn."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.astype(labels.cat.categories.dtype)
    if types.is_string_dtype(labels.dtype) and labels.dtype != object:
        labels = labels.astype(object)
    return labels


def labelled_rows(frame: pd.DataFrame, labels: pd.Series, assignment: pd.Series, *, plan: FeaturePlan,
                  split: str) -> tuple[pd.DataFrame, pd.Series]:
    """Return the features and labels of one split's rows that have a label; raise ValueError when none do."""
    features = feature_frame(frame, plan)  # names missing columns
    aligned_split, aligned_labels = _aligned(frame, labels, assignment)
    return _rows_of(features, aligned_split, aligned_labels, split)


def _aligned(frame: pd.DataFrame, labels: pd.Series, assignment: pd.Series) -> tuple[np.ndarray, pd.Series]:
    # Boolean masks over the frame's own order: several times faster than selecting by row_id labels.
    return assignment.reindex(frame.index).to_numpy(), labels.reindex(frame.index)


def _rows_of(features: pd.DataFrame, aligned_split: np.ndarray, aligned_labels: pd.Series,
             split: str) -> tuple[pd.DataFrame, pd.Series]:
    chosen = (aligned_split == split) & aligned_labels.notna().to_numpy()
    if not chosen.any():
        raise ValueError(NO_ROWS_IN_SPLIT.format(split=split))
    return features[chosen], plain_labels(aligned_labels[chosen])


def split_training_data(frame: pd.DataFrame, labels: pd.Series, assignment: pd.Series, *,
                        plan: FeaturePlan, group_columns: Sequence[str] = ()) -> TrainingData:
    """Return the train and dev rows; raise ValueError for a one-class train split or a dev class unseen in train."""
    features = feature_frame(frame, plan)
    aligned_split, aligned_labels = _aligned(frame, labels, assignment)
    train_X, train_y = _rows_of(features, aligned_split, aligned_labels, "train")
    if train_y.nunique() < 2:
        raise ValueError(ONE_CLASS_TRAIN.format(value=train_y.iloc[0], count=len(train_y)))
    dev_X, dev_y = _rows_of(features, aligned_split, aligned_labels, "dev")
    check_known_classes(dev_y, train_y, split="dev")
    # Slice names (numeric bins) from all rows, so a slice names the same rows in dev, test and baselines.
    groups = slice_frame(frame[list(group_columns)]).loc[dev_y.index] if group_columns else None
    return TrainingData(train_X, train_y, dev_X, dev_y, groups)


def check_known_classes(labels: pd.Series, known: pd.Series | list, *, split: str) -> None:
    """Raise ValueError when `labels` hold a class that `known` lacks."""
    unseen = sorted(set(pd.unique(labels)) - set(pd.unique(pd.Series(known))), key=str)
    if unseen:
        raise ValueError(UNSEEN_CLASS.format(split=split, value=unseen[0]))


def sample_rows(features: pd.DataFrame, labels: pd.Series, n_rows: int, *,
                random_state: int) -> tuple[pd.DataFrame, pd.Series]:
    """Return at most `n_rows` rows drawn without replacement (all rows, in order, when there are fewer)."""
    if len(labels) <= n_rows:
        return features, labels
    chosen = np.sort(np.random.default_rng(random_state).choice(len(labels), size=n_rows, replace=False))
    return features.iloc[chosen], labels.iloc[chosen]
