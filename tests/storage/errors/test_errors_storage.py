
import pytest
from sqlalchemy import text
from sqlmodel import select

from core.errors.slices import Condition, SlicePredicate
from storage import db
from storage.baselines.tables import Baseline
from storage.data import datasets
from storage.db import make_engine, session_scope
from storage.errors.analysis import DATASET_GONE, NO_DEV_PREDICTIONS, load_run_analysis
from storage.errors.slices import MAX_NAME, list_slices, save_slice, slice_predicate
from storage.errors.tables import SliceDefinition, Tag
from storage.errors.tags import row_tags, tag_counts, tag_rows, untag_rows
from storage.modeling.tables import Prediction
from storage.project.tables import Event
from storage.tables import SCHEMA_VERSION
from storage.transfer import export_project, import_project
from tests.storage.experiment_factories import project_with_data, trained_run
from tests.storage.version_1 import insert_v1, make_v1_database, url_of


@pytest.fixture
def trained(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, status = trained_run(engine, dataset_id)
    assert status == "finished"
    return project_id, dataset_id, run_id


def count(engine, model):
    with session_scope(engine) as s:
        return len(s.exec(select(model)).all())


def test_tags_are_stored_per_row_with_who_and_shared_across_runs(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        assert tag_rows(s, dataset_id=dataset_id, row_ids=[3, 5], tag=" blurry ", known_rows=range(300), actor="Ana") == 2
        assert tag_rows(s, dataset_id=dataset_id, row_ids=[5, 7], tag="blurry", known_rows=range(300)) == 1
        tag_rows(s, dataset_id=dataset_id, row_ids=[7], tag="ambiguous", known_rows=range(300))
    with session_scope(engine) as s:
        assert row_tags(s, dataset_id) == {3: ["blurry"], 5: ["blurry"], 7: ["ambiguous", "blurry"]}
        assert tag_counts(s, project_id) == [("blurry", 3), ("ambiguous", 1)]
        assert s.exec(select(Tag).where(Tag.row_id == 3)).one().actor == "Ana"
        dev_rows = list(load_run_analysis(s, project_id=project_id, run_id=run_id).data.frame.index[:2])
        tag_rows(s, dataset_id=dataset_id, row_ids=dev_rows, tag="shared", known_rows=range(300))
    second, _ = trained_run(engine, dataset_id, model="random_forest")
    with session_scope(engine) as s:
        other = load_run_analysis(s, project_id=project_id, run_id=second)
        assert all("shared" in other.data.tags[r] for r in dev_rows)
        assert untag_rows(s, dataset_id=dataset_id, row_ids=[7], tag="blurry") == 1
        assert row_tags(s, dataset_id)[7] == ["ambiguous"]


@pytest.mark.parametrize("tag, rows, message", [
    ("   ", [1], "empty or only spaces"), ("x" * 61, [1], "longer than 60"),
    ("ok", [], "No rows are selected"), ("ok", [1, 9999], "Rows 9999 are not in"),
])
def test_bad_tags_are_refused_and_write_nothing(engine, trained, tag, rows, message):
    _, dataset_id, _ = trained
    events = count(engine, Event)
    with pytest.raises(ValueError, match=message), session_scope(engine) as s:
        tag_rows(s, dataset_id=dataset_id, row_ids=rows, tag=tag, known_rows=range(300))
    assert count(engine, Tag) == 0 and count(engine, Event) == events


def test_saved_slice_reads_back_as_the_same_predicate(engine, trained):
    project_id, dataset_id, _ = trained
    predicate = SlicePredicate((Condition("colour", "==", "red"), Condition("x1", "<", 0.5)))
    with session_scope(engine) as s:
        save_slice(s, project_id=project_id, name="red, low x1", predicate=predicate, known_columns=["colour", "x1"])
    with session_scope(engine) as s:
        (row,) = list_slices(s, project_id)
        assert slice_predicate(row) == predicate and row.name == "red, low x1"


@pytest.mark.parametrize("name, predicate, error", [
    ("  ", SlicePredicate((Condition("colour", "==", "red"),)), "name is empty"),
    ("north", SlicePredicate((Condition("region", "==", "North"),)), "“region”, which this data does not have"),
    ("s" * (MAX_NAME + 1), SlicePredicate((Condition("colour", "==", "red"),)), f"longer than {MAX_NAME}"),
])
def test_bad_slices_are_refused_and_write_nothing(engine, trained, name, predicate, error):
    project_id, _, _ = trained
    with pytest.raises(ValueError, match=error), session_scope(engine) as s:
        save_slice(s, project_id=project_id, name=name, predicate=predicate, known_columns=["colour", "x1"])
    assert count(engine, SliceDefinition) == 0


def test_taken_slice_name_is_refused(engine, trained):
    project_id, _, _ = trained
    predicate = SlicePredicate((Condition("colour", "==", "red"),))
    with session_scope(engine) as s:
        save_slice(s, project_id=project_id, name="reds", predicate=predicate)
    with pytest.raises(ValueError, match="already a slice named"), session_scope(engine) as s:
        save_slice(s, project_id=project_id, name="reds", predicate=predicate)


def test_run_analysis_joins_dev_predictions_to_the_dataset(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        analysis = load_run_analysis(s, project_id=project_id, run_id=run_id)
    assert analysis.dataset.id == dataset_id and analysis.data.n_rows == 60
    assert set(analysis.data.numeric) == {"x1", "x2"} and "note" not in analysis.data.frame.columns
    assert analysis.baseline is None  # no baseline stored yet


def test_run_without_dev_predictions_is_explained(engine, trained):
    project_id, _, run_id = trained
    with session_scope(engine) as s:
        s.delete(s.exec(select(Prediction).where(Prediction.run_id == run_id)).one())
    with pytest.raises(ValueError, match="no stored dev predictions") as raised, session_scope(engine) as s:
        load_run_analysis(s, project_id=project_id, run_id=run_id)
    assert str(raised.value) == NO_DEV_PREDICTIONS.format(run="Run 1")


def test_run_whose_dataset_is_gone_is_explained(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        s.delete(datasets.get_dataset(s, dataset_id))
    with pytest.raises(ValueError) as raised, session_scope(engine) as s:
        load_run_analysis(s, project_id=project_id, run_id=run_id)
    assert str(raised.value) == DATASET_GONE.format(run="Run 1")


def test_hlp_slices_and_primary_baseline_feed_the_lookup(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        s.add(Baseline(project_id=project_id, dataset_id=dataset_id, kind="hlp", name="Human level",
                       metrics={"accuracy": 0.9}, slices={"group": {"a": {"metrics": {"accuracy": 0.7}}}}))
        s.add(Baseline(project_id=project_id, kind="literature", name="Paper", metrics={"accuracy": 0.95},
                       is_primary=True))
    with session_scope(engine) as s:
        lookup = load_run_analysis(s, project_id=project_id, run_id=run_id).baseline
    assert lookup.overall == 0.95 and lookup.per_value == {("group", "a"): 0.7}
    assert lookup.per_value_name == "Human level" and lookup.name == "Paper"


def test_version_1_database_is_migrated(empty_database):
    assert SCHEMA_VERSION == 2 and 1 in db.MIGRATIONS
    path = empty_database
    make_v1_database(path)  # schema 1 exactly; a v1 export is checked in tests/storage/test_migration_v2.py
    insert_v1(path, "project", id=1, name="Old", source="blank")
    engine = make_engine(url_of(path))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == 2
        assert connection.execute(text("SELECT count(*) FROM tag")).scalar_one() == 0
    with session_scope(engine) as s:
        save_slice(s, project_id=1, name="reds", predicate=SlicePredicate((Condition("colour", "==", "red"),)))
    engine.dispose()


def test_tags_and_slices_travel_with_an_export(engine, trained):
    project_id, dataset_id, _ = trained
    with session_scope(engine) as s:
        tag_rows(s, dataset_id=dataset_id, row_ids=[1, 2], tag="odd", known_rows=range(300))
        save_slice(s, project_id=project_id, name="reds", predicate=SlicePredicate((Condition("colour", "==", "red"),)))
    imported = import_project(engine, export_project(engine, project_id))
    with session_scope(engine) as s:
        assert [r.name for r in list_slices(s, imported.id)] == ["reds"]
        assert tag_counts(s, imported.id) == [("odd", 2)]
