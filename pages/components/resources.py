"""Cached, process-wide resources: the database engine and loaded dataset frames.

Every query of a page goes through here, so this is where a lost database becomes the page's
"Database unavailable, retrying" view (`pages.components.outage`) instead of a traceback.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from pages.components import outage
from storage.data.datasets import load_frame
from storage import db
from storage.db import DBAPIError, Engine, Session, StorageUnavailable, database_url, make_engine, session_scope


@st.cache_resource(show_spinner=False, on_release=lambda engine: engine.dispose())
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """Return the one engine of this server process for the configured database."""
    with outage_shown():
        return _engine_for(database_url())


def database_answers() -> bool:
    """Return whether the configured database can be used again (after it was unavailable)."""
    try:
        return db.database_answers(_engine_for(database_url()))
    except StorageUnavailable:
        return False


@contextmanager
def outage_shown() -> Iterator[None]:
    """Run the block; a database lost in it reruns the page into the "unavailable, retrying" view.

    Other errors, a refused statement included, pass through unchanged.
    """
    try:
        yield
    except StorageUnavailable as error:
        outage.rerun_into_view(error)
        raise
    except DBAPIError as error:  # a query made on the engine directly, outside `session_scope`
        if not db.is_unavailable(error):
            raise
        outage.rerun_into_view(db.unavailable(_engine_for(database_url()), error))
        raise


@contextmanager
def db_session() -> Iterator[Session]:
    """Yield a session that commits at the end of the block, or writes nothing on error."""
    with outage_shown(), session_scope(engine()) as session:
        yield session


def dataset_frame(content_hash: str, dataset_id: int) -> pd.DataFrame:
    """Return a dataset version's rows (see `_stored_frame`). Shared: never modify it in place."""
    with outage_shown():
        return _stored_frame(content_hash, dataset_id)


@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def _stored_frame(content_hash: str, dataset_id: int) -> pd.DataFrame:
    """Return a dataset version's rows, cached by its id and content hash. Shared: never modify it in place.

    The id is part of the key because a hash is only a claim of the row that carries it: keyed
    by the hash alone, any version claiming another's hash would be shown that one's rows. The
    hash is part of it because ids can be reused after a delete; it is computed from the rows
    when a version is stored and recomputed when a project is imported.
    """
    with session_scope(_engine_for(database_url())) as session:
        return load_frame(session, dataset_id)
