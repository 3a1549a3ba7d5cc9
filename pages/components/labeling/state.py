"""Session state of the labeling stage: the Labeling page's section and batch, the time on an item, the card's note."""

import streamlit as st

from pages.components.state import keep_choice, settle_choice

LABEL_VIEW_KEY = "lab.view_choice"
LABEL_VIEW_WIDGET_KEY = "lab.view"
LABEL_BATCH_KEY = "lab.batch_choice"
LABEL_BATCH_WIDGET_KEY = "lab.batch"
LABEL_SHOWN_KEY = "lab.shown"
LABEL_NOTE_KEY = "lab.note"


def labeling_view(views: list[str]) -> str:
    """Return the Labeling page's section this tab shows: its last choice, else the first."""
    return settle_choice(LABEL_VIEW_KEY, LABEL_VIEW_WIDGET_KEY, views)


def labeling_view_picked() -> None:
    """on_change of the section picker; clicking the current section (which unselects it) keeps it."""
    picked = st.session_state.get(LABEL_VIEW_WIDGET_KEY)
    if picked is not None:
        st.session_state[LABEL_VIEW_KEY] = picked


def labeling_batch(batch_ids: list[int]) -> int | None:
    """Return the batch this tab labels: its choice if still there, else the newest."""
    return settle_choice(LABEL_BATCH_KEY, LABEL_BATCH_WIDGET_KEY, batch_ids)


def labeling_batch_picked() -> None:
    keep_choice(LABEL_BATCH_KEY, LABEL_BATCH_WIDGET_KEY)


def mark_item_shown(item_key: object, now: float) -> None:
    """Remember when an item was first shown, so the seconds spent on it can be recorded."""
    shown = st.session_state.get(LABEL_SHOWN_KEY)
    if shown is None or shown[0] != item_key:
        st.session_state[LABEL_SHOWN_KEY] = (item_key, now)


def seconds_on_item(item_key: object, now: float) -> float:
    """Return the seconds since the item was first shown (0 when another item was shown last)."""
    shown = st.session_state.get(LABEL_SHOWN_KEY)
    return max(now - shown[1], 0.0) if shown and shown[0] == item_key else 0.0


def leave_labeling_note(level: str, message: str) -> None:
    """Keep a message (from a button callback) for the labeling card to show on this run."""
    st.session_state[LABEL_NOTE_KEY] = (level, message)


def pop_labeling_note() -> tuple[str, str] | None:
    return st.session_state.pop(LABEL_NOTE_KEY, None)
