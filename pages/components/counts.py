"""The counts behind the numbers: the minimum a user sets, and tables whose thin rows are greyed.

A score from 3 items looks as certain as one from 3,000 unless the page says otherwise: every
table of slices or pairs shows its n, and rows below the minimum are greyed and flagged.
"""

import pandas as pd
import streamlit as st

from core.slicing import MIN_SLICE_ROWS

GREY = "color: #9e9e9e"


def minimum_rows(key: str, *, default: int = MIN_SLICE_ROWS, label: str = "Minimum rows behind a score") -> int:
    """Return the minimum the user set (default 30 rows); scores resting on fewer are flagged."""
    return int(st.number_input(label, 1, 1_000_000, default, key=key,
                               help="A slice (or interval) resting on fewer rows than this is greyed and flagged: "
                                    "from a handful of rows a score swings widely."))


def greyed(table: pd.DataFrame, *, note: str = "note"):
    """Return the table styled with every row that carries a note in grey."""
    if note not in table.columns:
        return table
    return table.style.apply(lambda row: [GREY if row[note] else ""] * len(row), axis=1)
