"""Session state of the scoping stage: the checklist step this tab shows and the notes left beside its fields."""

import streamlit as st

SCOPE_STEP_KEY = "scope.step"
SCOPE_STEP_WIDGET_KEY = "scope.step_pick"
SCOPE_STEP_PARAM = "step"
SCOPE_NOTES_KEY = "scope.notes"


def scope_step(step_keys: list[str]) -> str:
    """Return the checklist step this tab shows: its last choice, else the URL's, else the first step.

    Kept in the URL by hand rather than with `bind="query-params"`: a bound step picker would write
    its displayed label, which carries the step's done mark and so changes as answers are saved.
    """
    chosen = st.session_state.get(SCOPE_STEP_KEY)
    if chosen not in step_keys:
        chosen = st.query_params.get(SCOPE_STEP_PARAM)
    if chosen not in step_keys:
        chosen = step_keys[0]
    st.session_state[SCOPE_STEP_KEY] = chosen
    st.session_state[SCOPE_STEP_WIDGET_KEY] = chosen
    if st.query_params.get(SCOPE_STEP_PARAM) != chosen:
        st.query_params[SCOPE_STEP_PARAM] = chosen
    return chosen


def go_to_scope_step(step_key: str) -> None:
    """on_click of the wizard's previous and next buttons."""
    st.session_state[SCOPE_STEP_KEY] = step_key


def scope_step_picked() -> None:
    """on_change of the step jump list; clicking the current step (which unselects it) keeps it."""
    picked = st.session_state.get(SCOPE_STEP_WIDGET_KEY)
    if picked is not None:
        st.session_state[SCOPE_STEP_KEY] = picked


def leave_scope_note(field_key: str, level: str, message: str) -> None:
    """Keep a message for the next run to show next to the scoping field it is about."""
    st.session_state.setdefault(SCOPE_NOTES_KEY, {})[field_key] = (level, message)


def pop_scope_note(field_key: str) -> tuple[str, str] | None:
    """Return and forget the (level, message) left for a scoping field, if any."""
    return st.session_state.get(SCOPE_NOTES_KEY, {}).pop(field_key, None)
