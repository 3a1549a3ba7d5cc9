"""Cached, process-wide resources: the database engine and loaded dataset frames."""

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from storage.data.datasets import load_frame
from storage import db
from storage.db import Engine, Session, StorageUnavailable, database_url, make_engine, session_scope


@st.cache_resource(show_spinner=False, on_release=lambda engine: engine.dispose())
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """Return the one engine of this server process for the configured database."""
    return _engine_for(database_url())


def database_answers() -> bool:
    """Return whether the configured database can be used again (after it was unavailable)."""
    try:
        return db.database_answers(engine())
    except StorageUnavailable:
        return False


@contextmanager
def db_session() -> Iterator[Session]:
    """Yield a session that commits at the end of the block, or writes nothing on error."""
    with session_scope(engine()) as session:
        yield session


@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def dataset_frame(content_hash: str, dataset_id: int) -> pd.DataFrame:
    """Return a dataset version's rows, cached by its id and content hash. Shared: never modify it in place.

    The id is part of the key because a hash is only a claim of the row that carries it: keyed
    by the hash alone, any version claiming another's hash would be shown that one's rows. The
    hash is part of it because ids can be reused after a delete; it is computed from the rows
    when a version is stored and recomputed when a project is imported.
    """
    with db_session() as session:
        return load_frame(session, dataset_id)
