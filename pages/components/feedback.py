"""Turns refused actions into messages a user can act on, never a traceback."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from pages.components.resources import db_session, outage_shown
from pages.components.text import plain
from storage.db import SchemaVersionError, Session, StorageUnavailable

# Domain errors carry a message that names the problem and the fix; ValueError covers the
# checks in core/, which raise it with such messages too.
USER_ERRORS = (ValueError, StorageUnavailable, SchemaVersionError)
Result = TypeVar("Result")


@contextmanager
def reported_errors() -> Iterator[None]:
    """Run the block; show a refused action's message as an error instead of raising it.

    A database lost in the block is no refusal: the page shows it as an outage and retries.
    """
    try:
        with outage_shown():
            yield
    except USER_ERRORS as error:
        # Messages name the user's own columns, classes and projects: shown as typed, never as Markdown.
        st.error(plain(error), icon=":material/error:")


def attempt(action: Callable[[Session], Result]) -> Result | None:
    """Return what `action` gives in one transaction, or None after showing why it was refused.

    A refused action rolls its transaction back, so it writes nothing.
    """
    with reported_errors(), db_session() as session:
        return action(session)
    return None
