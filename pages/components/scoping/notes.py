"""Saving from a scoping widget's callback, with any refusal shown next to that widget.

Callbacks run before the page is drawn, so a message written there would land at the top
of the page. Instead the message is kept under the widget's key and drawn right after it.
"""

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from storage.db import Session

from pages.components.scoping.state import leave_scope_note
from pages.components.feedback import USER_ERRORS
from pages.components.resources import db_session
from pages.components.text import plain

Result = TypeVar("Result")
NOTE_ICONS = {"error": ":material/error:", "info": ":material/info:", "success": ":material/check_circle:"}


def saved_or_noted(field_key: str, action: Callable[[Session], Result]) -> Result | None:
    """Return what `action` gives in one transaction, or None after noting why it was refused."""
    try:
        with db_session() as session:
            return action(session)
    except USER_ERRORS as error:
        leave_scope_note(field_key, "error", plain(str(error)))
        return None


def show_note(note: tuple[str, str] | None) -> None:
    """Draw a note taken with `pop_scope_note`, if there is one."""
    if note is not None:
        level, message = note
        getattr(st, level)(message, icon=NOTE_ICONS[level])  # user text escaped when the note was left
