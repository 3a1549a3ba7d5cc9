"""Small vs big and structured vs unstructured: one rule for the Datasets profile and the Scoping checklist.

Up to about ten thousand rows a person can still look at the labels that matter, so every label
counts; beyond that the effort moves to the processes that collect, label and version the data.
A table is unstructured when at least half of its feature columns hold images or free text: one
free-text column among many numbers and categories leaves it structured, as the models learn
from the rest and advice for images and text would not fit it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

SMALL_DATA_MAX_ROWS = 10_000
UNSTRUCTURED_KINDS = frozenset({"image", "text"})

Structure = Literal["structured", "unstructured"]


def size_class(n_rows: int) -> Literal["small", "big"]:
    """Return "small" up to 10,000 rows, else "big"."""
    return "small" if n_rows <= SMALL_DATA_MAX_ROWS else "big"


def data_structure(schema: Mapping[str, str], *, target: str | None = None) -> Structure:
    """Return "unstructured" when at least half of the feature columns hold images or free text.

    >>> data_structure({"comment": "text", "age": "numeric", "income": "numeric"})
    'structured'
    >>> data_structure({"review": "text", "stars": "numeric"})
    'unstructured'
    """
    kinds = [kind for column, kind in schema.items() if column != target]
    unstructured = sum(kind in UNSTRUCTURED_KINDS for kind in kinds)
    return "unstructured" if kinds and unstructured * 2 >= len(kinds) else "structured"
