"""Profile a dataset: size, missing values, duplicates, class balance and what to focus on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.data.markers import MarkerFinding, find_missing_markers
from core.structure import UNSTRUCTURED_KINDS, data_structure
from core.structure import size_class as data_size_class

AUGMENTATION = {"image": "small shifts, rotations and added noise", "text": "rephrasing and swapping synonyms"}
SIDE_COLUMNS = (
    "{columns} {verb} {what}, which the models here leave out; the advice above is for the other {n} columns."
)
UNKNOWN_TARGET = "The target {target!r} is not a column of this dataset. Pick one of its columns."

ADVICE = {
    ("small", "structured"): (
        "With this few rows every label counts: read through the labels and fix inconsistent "
        "ones before tuning any model.",
        "Split into train, dev and test so that each keeps the class mix of the whole dataset; "
        "a small split can otherwise miss a rare class by chance.",
        "Cleaner labels and better features usually help more here than a bigger model.",
    ),
    ("small", "unstructured"): (
        "With this few examples every label counts: have labelers follow one written guideline "
        "and compare their labels on a shared batch.",
        "People are good at reading images and text, so measure human-level performance and use "
        "it as the bar for the model.",
        "Data augmentation ({augmentation}) stretches a small set further; "
        "keep the class mix equal across train, dev and test.",
    ),
    ("big", "structured"): (
        "With this many rows nobody can check every label by hand: invest in the processes that "
        "produce the data, how it is collected, labelled and versioned.",
        "Look for systematic problems, such as a broken source or a column whose meaning changed, "
        "rather than single wrong labels.",
        "On tabular data, new features built from existing columns are often where gains come from.",
    ),
    ("big", "unstructured"): (
        "With this many examples the work moves to processes: a labeling workflow with clear "
        "guidelines, spot checks, and a record of every data version.",
        "Data augmentation ({augmentation}) is a cheap way to add variety exactly where the model makes "
        "mistakes.",
        "People do well on images and text, so human-level performance is a useful reference for "
        "how good the model can get and where it falls short.",
    ),
}


@dataclass(frozen=True, eq=False)
class DatasetProfile:
    """Summary numbers of a dataset and advice fitting its size and structure."""

    n_rows: int
    n_columns: int
    memory_bytes: int
    missing: pd.Series
    missing_share: pd.Series
    duplicate_rows: int
    constant_columns: tuple[str, ...]
    all_missing_columns: tuple[str, ...]
    class_balance: pd.Series | None
    size_class: Literal["small", "big"]
    structure: Literal["structured", "unstructured"]
    advice: tuple[str, ...]
    # Values such as "?" kept as values (by choice, or stored before markers were checked).
    markers: tuple[MarkerFinding, ...] = ()


def profile_dataset(
    frame: pd.DataFrame, schema: Mapping[str, str], *, target: str | None = None
) -> DatasetProfile:
    """Return the profile of ``frame``; ``schema`` maps columns to kinds from infer_schema."""
    if target is not None and target not in frame.columns:
        raise ValueError(UNKNOWN_TARGET.format(target=target))
    n_rows, n_columns = frame.shape
    missing = frame.isna().sum().astype("int64").rename("missing")
    size_class = data_size_class(n_rows)
    structure = data_structure(schema, target=target)
    advice = data_advice(schema, size_class, structure, target=target)
    return DatasetProfile(
        n_rows=n_rows,
        n_columns=n_columns,
        memory_bytes=int(frame.memory_usage(deep=True, index=True).sum()),
        missing=missing,
        missing_share=(missing / max(n_rows, 1)).rename("missing_share"),
        # Equal on every user column; row_id is an index and never repeats.
        duplicate_rows=int(frame.duplicated().sum()) if n_columns else 0,
        constant_columns=tuple(name for name in frame.columns if _is_constant(frame[name])),
        all_missing_columns=tuple(missing.index[(missing == n_rows) & (n_rows > 0)]),
        class_balance=None if target is None else frame[target].value_counts(dropna=True),
        size_class=size_class,
        structure=structure,
        advice=advice,
        markers=find_missing_markers(frame),
    )


def data_advice(schema: Mapping[str, str], size_class: str, structure: str, *,
                target: str | None = None) -> tuple[str, ...]:
    """Return the advice for the data's size and structure, true of its columns.

    Augmentation is suggested as fits the kind most feature columns are (images are shifted, text
    rephrased); image or text columns in a structured table are named as left out.
    """
    features = {column: kind for column, kind in schema.items() if column != target}
    kinds = [kind for kind in features.values() if kind in UNSTRUCTURED_KINDS]
    dominant = max(sorted(set(kinds)), key=kinds.count) if kinds else "image"
    advice = [sentence.format(augmentation=AUGMENTATION[dominant]) for sentence in ADVICE[(size_class, structure)]]
    side = [column for column, kind in features.items() if kind in UNSTRUCTURED_KINDS]
    if structure == "structured" and side:
        advice.append(_side_columns_note(side, features, len(features) - len(side)))
    return tuple(advice)


def _side_columns_note(side: list[str], features: Mapping[str, str], n_other: int) -> str:
    kinds = {features[column] for column in side}
    what = "free text" if kinds == {"text"} else "images" if kinds == {"image"} else "free text or images"
    names = ", ".join(f"“{column}”" for column in side)
    return SIDE_COLUMNS.format(columns=names, verb="holds" if len(side) == 1 else "hold", what=what, n=n_other)


def _is_constant(column: pd.Series) -> bool:
    # Comparing with one value is cheaper than nunique(), which hashes every value.
    present = column.dropna()
    return len(present) > 0 and bool((present == present.iloc[0]).all())
