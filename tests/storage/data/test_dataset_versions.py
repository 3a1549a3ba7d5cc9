import pandas as pd
import pytest

from storage.data import datasets
from storage.project import projects
from storage.data.datasets import DatasetError
from storage.db import session_scope
from tests.storage.factories import small_frame


@pytest.fixture
def project_id(engine):
    with session_scope(engine) as s:
        return projects.create_project(s, name="P").id


def test_versions_round_trip_with_lineage_and_hash(engine, project_id):
    frame = small_frame()
    with session_scope(engine) as s:
        first = datasets.add_dataset_version(s, project_id=project_id, name="loans", frame=frame, source="upload:a.csv",
                                             column_kinds={"x": "numeric"}, roles={"target": "y"})
        changed = frame.drop(columns="colour")
        second = datasets.add_dataset_version(s, project_id=project_id, name="loans", frame=changed,
                                              source="derived", parent_id=first.id)
    assert (first.version, second.version) == (1, 2)
    assert second.parent_id == first.id
    assert first.content_hash != second.content_hash
    with session_scope(engine) as s:
        loaded = datasets.load_frame(s, first.id)
        assert datasets.find_same_content(s, project_id, first.content_hash).id == first.id
        assert [d.id for d in datasets.list_datasets(s, project_id)] == [second.id, first.id]
    pd.testing.assert_frame_equal(loaded, frame)
    assert loaded.index.name == "row_id"


def test_roles_are_updated_in_place_and_logged(engine, project_id):
    with session_scope(engine) as s:
        ds = datasets.add_dataset_version(s, project_id=project_id, name="d", frame=small_frame(), source="t")
    with session_scope(engine) as s:
        datasets.update_roles(s, dataset_id=ds.id, roles={"target": "y", "sensitive": ["colour"]})
    with session_scope(engine) as s:
        assert datasets.get_dataset(s, ds.id).roles == {"target": "y", "sensitive": ["colour"]}
        assert projects.list_events(s, project_id)["what"].iloc[0] == "set column roles"


def test_latest_split_round_trips(engine, project_id):
    frame = small_frame()
    assignment = pd.Series(["train"] * 30 + ["dev"] * 10 + ["test"] * 10, index=frame.index, name="split")
    with session_scope(engine) as s:
        ds = datasets.add_dataset_version(s, project_id=project_id, name="d", frame=frame, source="t")
        datasets.save_split(s, dataset_id=ds.id, assignment=assignment.sample(frac=1, random_state=0),
                            strategy="random", seed=1, fractions=(0.6, 0.2, 0.2))
        newest = datasets.save_split(s, dataset_id=ds.id, assignment=assignment, strategy="stratified", seed=2,
                                     fractions=(0.6, 0.2, 0.2))
    with session_scope(engine) as s:
        split = datasets.latest_split(s, ds.id)
    assert split.id == newest.id and split.counts == {"train": 30, "dev": 10, "test": 10}
    pd.testing.assert_series_equal(datasets.load_split(split), assignment, check_names=False)
    with session_scope(engine) as s:
        # Users know a split by its place among its version's splits, never by its database id.
        assert datasets.split_name(s, newest.id) == "split 2 of the version (stratified, seed 2)"
        assert datasets.split_name(s, newest.id + 1) == "split (deleted)"


def test_empty_name_and_missing_version_are_refused(engine, project_id):
    with pytest.raises(DatasetError, match="name is empty"), session_scope(engine) as s:
        datasets.add_dataset_version(s, project_id=project_id, name=" ", frame=small_frame(), source="t")
    with session_scope(engine) as s:
        assert datasets.list_datasets(s, project_id) == []
        with pytest.raises(DatasetError, match="does not exist"):
            datasets.load_frame(s, 999)


def test_ground_truth_is_kept_beside_the_rows_and_loaded_on_demand(engine, project_id):
    truth = {"label_noise": {"flipped_row_ids": list(range(0, 50, 7))}}
    with session_scope(engine) as s:
        planted = datasets.add_dataset_version(s, project_id=project_id, name="d", frame=small_frame(), source="t",
                                               ground_truth=truth)
        plain = datasets.add_dataset_version(s, project_id=project_id, name="e", frame=small_frame(), source="t")
    with session_scope(engine) as s:
        assert (datasets.get_dataset(s, planted.id).has_ground_truth, datasets.get_dataset(s, plain.id).has_ground_truth) == (True, False)
        assert datasets.load_ground_truth(s, planted.id) == truth
        assert datasets.load_ground_truth(s, plain.id) == {}


def test_load_columns_decodes_only_those_and_keeps_row_ids(engine, project_id):
    frame = small_frame().iloc[::-1]
    with session_scope(engine) as s:
        ds = datasets.add_dataset_version(s, project_id=project_id, name="d", frame=frame, source="t")
    with session_scope(engine) as s:
        pd.testing.assert_frame_equal(datasets.load_columns(s, ds.id, ["y"]), frame[["y"]])
