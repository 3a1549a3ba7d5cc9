"""A picker of the project's dataset versions that remembers this tab's choice across pages."""

import streamlit as st

from pages.components import state
from storage.data.tables import Dataset


def pick_dataset_version(versions: list[Dataset]) -> Dataset:
    """Draw the version picker and return the chosen version (the newest the first time)."""
    by_id = {d.id: d for d in versions}
    state.settle_dataset(list(by_id))
    st.selectbox("Dataset version", list(by_id), key=state.DATASET_WIDGET_KEY, on_change=state.dataset_switched,
                 format_func=lambda i: f"{by_id[i].name} v{by_id[i].version} · {by_id[i].n_rows:,} rows")
    return by_id[st.session_state[state.DATASET_KEY]]
