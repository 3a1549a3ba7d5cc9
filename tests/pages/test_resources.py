"""The loaded-data cache is keyed by which version the rows belong to, never by a hash a row claims."""

import sqlite3

import pandas as pd

from pages.components.resources import dataset_frame
from storage.data import datasets
from storage.db import session_scope
from storage.project import projects
from tests.storage.factories import small_frame


def test_two_versions_claiming_one_hash_each_show_their_own_rows(engine, database_url):
    with session_scope(engine) as s:
        first = projects.create_project(s, name="First")
        second = projects.create_project(s, name="Second")
        mine = datasets.add_dataset_version(s, project_id=first.id, name="d", frame=small_frame(seed=1), source="t")
        other = datasets.add_dataset_version(s, project_id=second.id, name="d", frame=small_frame(seed=2), source="t")
    # A database edited by hand: the second version claims the first one's hash.
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE dataset SET content_hash = ? WHERE id = ?", (mine.content_hash, other.id))
    shown_first = dataset_frame(mine.content_hash, mine.id)
    shown_second = dataset_frame(mine.content_hash, other.id)
    pd.testing.assert_frame_equal(shown_first, small_frame(seed=1))
    pd.testing.assert_frame_equal(shown_second, small_frame(seed=2))
