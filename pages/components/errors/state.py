"""Session state of the errors stage: the slice-table options, the ease set per slice, the page's notes."""

from functools import partial

import streamlit as st

from pages.components.state import leave_note, pop_notes

ERR_RUN_KEY, ERR_RUN_WIDGET_KEY = "err.run_id", "err.run"
ERR_OPTIONS_KEY = "err.options"
ERR_EASE_KEY = "err.ease"
ERR_SLICE_KEY, ERR_SLICE_WIDGET_KEY = "err.slice_name", "err.slice"
ERR_NOTES_KEY = "err.notes"


def error_options():
    """Return the slice-table options this tab chose (None until the table is built)."""
    return st.session_state.get(ERR_OPTIONS_KEY)


def set_error_options(options) -> None:
    st.session_state[ERR_OPTIONS_KEY] = options


def slice_ease() -> dict[str, float]:
    """Return the ease of improvement set per slice name (1 where unset)."""
    return st.session_state.setdefault(ERR_EASE_KEY, {})


# Messages left for the Error analysis page's next run: (level, message) in, a list out.
leave_error_note = partial(leave_note, ERR_NOTES_KEY)
pop_error_notes = partial(pop_notes, ERR_NOTES_KEY)
