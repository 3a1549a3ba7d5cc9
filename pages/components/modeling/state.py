"""Session state of the modeling stage: the Experiments page's picks, notes, launch record and Train form."""

import uuid
from functools import partial

import streamlit as st

from pages.components.state import leave_note, pop_notes

EXP_DATASET_KEY, EXP_DATASET_WIDGET_KEY = "exp.dataset_id", "exp.dataset"
EXP_MODEL_KEY, EXP_MODEL_WIDGET_KEY = "exp.model_name", "exp.model"
EXP_RUN_KEY, EXP_RUN_WIDGET_KEY = "exp.run_id", "exp.run"
EXP_NOTES_KEY = "exp.notes_left"


# Messages (info, warning, error) left for the Experiments page's next run: (level, message) in, a list out.
leave_experiment_note = partial(leave_note, EXP_NOTES_KEY)
pop_experiment_notes = partial(pop_notes, EXP_NOTES_KEY)


# A launch (Train, Train again) is claimed with the token its button was drawn with, and the
# claim swaps in a new token at once (see pages.components.modeling.launch). The record is one
# dict changed in place: every session-state access may stop the script for a queued rerun, a
# plain dict write cannot, so "the run exists" is noted in the same breath as it is created.
EXP_LAUNCH_KEY = "exp.launch"
EXP_FORM_NOTES_KEY, EXP_FORM_TAGS_KEY = "exp.notes", "exp.tags"


def launch_record() -> dict:
    """Return this tab's launch record: {"token", "pending", "last"}, created on first use."""
    return st.session_state.setdefault(EXP_LAUNCH_KEY, {"token": new_launch_token(), "pending": None, "last": None})


def new_launch_token() -> str:
    return uuid.uuid4().hex


def clear_form_notes() -> None:
    """Empty the Train form's notes and tags (before the form draws), so the next run starts blank."""
    # Set, not dropped: a set value reaches the browser, which would otherwise send its old text back.
    st.session_state[EXP_FORM_NOTES_KEY] = ""
    st.session_state[EXP_FORM_TAGS_KEY] = ""
