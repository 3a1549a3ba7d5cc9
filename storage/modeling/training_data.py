"""What a run trains on: a dataset version's rows, its current labels with their snapshot hash, and its split."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from core.data.roles import Roles
from storage.data.datasets import get_dataset, latest_split, load_frame, load_split
from storage.labeling.labels import current_labels
from storage.data.tables import Dataset, Split

NO_TARGET = (
    "The dataset {name} v{version} has no target column, so there is nothing to learn. Choose the target "
    "on the Datasets page (Roles tab)."
)
NO_SPLIT = (
    "The dataset {name} v{version} has no train/dev/test split yet. Make one on the Datasets page (Splits tab); "
    "the test split stays held back until you ask for it."
)


class TrainingSetupError(ValueError):
    """A run cannot start with this data; the message names what is missing and where to add it."""


@dataclass(frozen=True, eq=False)
class TrainingInputs:
    """A dataset version with the labels and split a run uses, and the hashes that identify them."""

    dataset: Dataset
    roles: Roles
    frame: pd.DataFrame
    labels: pd.Series
    labels_hash: str
    split: Split
    assignment: pd.Series


def training_labels(session: Session, dataset: Dataset) -> tuple[pd.Series, str]:
    """Return the labels a run trains on, indexed by row_id, and the hash of that label snapshot.

    They are the Labeling page's current label set: the target column overlaid by the consensus of
    labels made in the app (unlabelled rows absent). Every run records the snapshot hash.
    """
    if not Roles.from_dict(dataset.roles).target:
        raise TrainingSetupError(NO_TARGET.format(name=dataset.name, version=dataset.version))
    snapshot = current_labels(session, dataset.id)
    return snapshot.labels, snapshot.snapshot_hash


def load_training_inputs(session: Session, *, dataset_id: int, frame: pd.DataFrame | None = None,
                         split_id: int | None = None) -> TrainingInputs:
    """Return what a run on this dataset version needs: its latest split, or the split `split_id`.

    `frame` saves reloading rows the caller already holds.
    """
    dataset = get_dataset(session, dataset_id)
    roles = Roles.from_dict(dataset.roles)
    if not roles.target:
        raise TrainingSetupError(NO_TARGET.format(name=dataset.name, version=dataset.version))
    split = latest_split(session, dataset_id) if split_id is None else session.get(Split, split_id)
    if split is None:
        raise TrainingSetupError(NO_SPLIT.format(name=dataset.name, version=dataset.version))
    frame = load_frame(session, dataset_id) if frame is None else frame
    labels, labels_hash = training_labels(session, dataset)
    return TrainingInputs(dataset, roles, frame, labels, labels_hash, split, load_split(split))
