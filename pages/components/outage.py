"""A database lost in the middle of a page: noted, and shown at the page's top by the frame.

A query can lose the database anywhere: in the page's script after the frame's own check, in a
fragment, in a button's callback. Wherever it happens the outage is noted here and the whole page
reruns; the frame takes the note first thing and draws the "Database unavailable, retrying" view
in place of the page, with its sidebar, rather than a message stuck wherever the query was.
"""

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from storage.db import StorageUnavailable

OUTAGE_KEY = "db.outage"


@dataclass(frozen=True)
class Outage:
    reason: str  # what the database said, password masked
    unsaved: bool  # a write was under way and was rolled back


def rerun_into_view(error: StorageUnavailable) -> None:
    """Note the outage and rerun the page to show it; outside a page run (a script, a test), raise it."""
    if get_script_run_ctx() is None:
        raise error
    st.session_state[OUTAGE_KEY] = Outage(str(error), error.unsaved)
    st.rerun()


def take() -> Outage | None:
    """Return the outage noted since the page last ran (once), or None."""
    return st.session_state.pop(OUTAGE_KEY, None)
