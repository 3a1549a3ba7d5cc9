"""A run's model as a download: the text that goes beside its skops file.

The text says how to load the file with the same trusted-type list the app uses (skops refuses
any other type, so the file cannot run code when loaded), which columns the model reads and how,
and the classes it predicts in the order of `predict_proba`'s columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.modeling.artifacts import TRUSTED_TYPES

USE = {"numeric": "read as a number", "categorical": "read as a category"}


@dataclass(frozen=True)
class ModelFacts:
    """What the text beside a model file says."""

    project: str
    run: str
    model: str
    file_name: str
    sha256: str
    dataset: str
    dataset_hash: str
    labels_hash: str
    inputs: tuple[tuple[str, str, str], ...]  # (column, kind in the dataset, how the model reads it)
    classes: tuple[str, ...]
    versions: dict[str, str]


def model_inputs(features: dict, column_kinds: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    """Return (column, kind, use) for every column the model reads, in the order it expects them."""
    return tuple((column, column_kinds.get(column, use), USE[use])
                 for use in ("numeric", "categorical") for column in features.get(use, []))


def model_readme(facts: ModelFacts) -> str:
    """Return the plain text that goes beside the model file."""
    trusted = ",\n".join(f"    {name!r}" for name in TRUSTED_TYPES)
    columns = [f'"{column}"' for column, _, _ in facts.inputs]
    return "\n".join([
        f"{facts.run} of project {facts.project}: {facts.model}",
        f"File: {facts.file_name} (SHA-256 {facts.sha256})",
        f"Trained on: {facts.dataset} (content hash {facts.dataset_hash}), label snapshot {facts.labels_hash}",
        "Made with: " + ", ".join(f"{name} {version}" for name, version in facts.versions.items()),
        "", "Load it in Python with skops, trusting only these types (any other type is refused):", "",
        "import pandas as pd", "import skops.io as sio", "", "TRUSTED = [", trusted, "]",
        f'model = sio.load("{facts.file_name}", trusted=TRUSTED)',
        f"rows = pd.DataFrame(...)  # the columns below: {', '.join(columns)}",
        "model.predict(rows)        # one class per row",
        "model.predict_proba(rows)  # one column per class, in the order below",
        "", "Input: a pandas DataFrame with these columns (other columns are ignored):",
        *[f"- {column}: {kind}, {use}" for column, kind, use in facts.inputs],
        "", "Classes, in the order of predict_proba's columns:",
        *[f"{position}. {name}" for position, name in enumerate(facts.classes, start=1)], "",
    ])
