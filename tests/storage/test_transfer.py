import sqlite3

import pandas as pd
import pytest

from storage.data import datasets
from storage.project import projects
from storage import transfer
from storage.db import session_scope
from storage.tables import SCHEMA_VERSION
from storage.transfer import ImportRefused
from tests.storage.factories import small_frame


@pytest.fixture
def exported(engine):
    """A project with two dataset versions, a split and events, exported to bytes."""
    frame = small_frame()
    with session_scope(engine) as s:
        projects.create_project(s, name="Other")
        project = projects.create_project(s, name="Study", description="loans", source="scenario:loan_approval")
        first = datasets.add_dataset_version(s, project_id=project.id, name="d", frame=frame, source="t",
                                             roles={"target": "y"}, ground_truth={"flipped": [1, 2]})
        second = datasets.add_dataset_version(s, project_id=project.id, name="d", frame=frame.head(40),
                                              source="derived", parent_id=first.id)
        datasets.save_split(s, dataset_id=second.id, assignment=pd.Series(["train"] * 40, index=frame.index[:40]),
                            strategy="random", seed=0, fractions=(1.0,))
    return project.id, transfer.export_project(engine, project.id)


def snapshot(engine, project_id):
    """What a user would compare: project fields, versions with lineage, rows, splits, events."""
    with session_scope(engine) as s:
        project = projects.get_project(s, project_id)
        versions = sorted(datasets.list_datasets(s, project_id), key=lambda d: d.version)
        by_id = {d.id: d.version for d in versions}
        return {
            "project": (project.description, project.source),
            "versions": [(d.name, d.version, by_id.get(d.parent_id), d.content_hash, d.roles,
                          datasets.load_ground_truth(s, d.id))
                         for d in versions],
            "frames": [datasets.load_frame(s, d.id) for d in versions],
            "splits": [datasets.load_split(sp).to_dict() if (sp := datasets.latest_split(s, d.id)) else None
                       for d in versions],
            "events": list(projects.list_events(s, project_id)["what"]),
        }


def test_export_holds_that_project_alone(exported, tmp_path):
    _, data = exported
    path = tmp_path / "x.db"
    path.write_bytes(data)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM project").fetchall() == [("Study",)]
        assert connection.execute("SELECT count(*) FROM dataset_blob").fetchone() == (2,)


def test_round_trip_into_another_database_is_equal(exported, engine, tmp_path):
    from storage.db import make_engine
    project_id, data = exported
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    imported = transfer.import_project(other, data)
    assert imported.name == "Study"
    original, copy = snapshot(engine, project_id), snapshot(other, imported.id)
    assert copy["events"][0] == "imported project"
    copy["events"] = copy["events"][1:]
    for key in ("project", "versions", "splits", "events"):
        assert copy[key] == original[key]
    for left, right in zip(copy["frames"], original["frames"]):
        pd.testing.assert_frame_equal(left, right)


def test_import_into_the_same_database_gets_a_free_name(exported, engine):
    _, data = exported
    assert transfer.import_project(engine, data).name == "Study (imported)"
    assert transfer.import_project(engine, data).name == "Study (imported 2)"


def count_projects(engine):
    with session_scope(engine) as s:
        return len(projects.list_projects(s))


def rewrite(data, tmp_path, *statements):
    path = tmp_path / "edited.db"
    path.write_bytes(data)
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    return path.read_bytes()


@pytest.mark.parametrize("case, expected", [
    ("png", "not a SQLite database"),
    ("truncated", "damaged"),
    ("foreign", "no schema version"),
    ("newer", "newer version"),
    ("two_projects", "holds 2 projects"),
    ("trigger", "triggers or views"),
    ("missing_table", "table split is missing"),
])
def test_bad_files_are_refused_and_write_nothing(exported, engine, tmp_path, case, expected):
    _, data = exported
    bad = {
        "png": lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "truncated": lambda: data[: len(data) // 3],
        "foreign": lambda: rewrite(data, tmp_path, "DROP TABLE schema_info"),
        "newer": lambda: rewrite(data, tmp_path, f"UPDATE schema_info SET version = {SCHEMA_VERSION + 1}"),
        "two_projects": lambda: rewrite(data, tmp_path, "INSERT INTO project (name, description, source, created_at,"
                                        " last_activity) SELECT 'X', '', '', created_at, last_activity FROM project"),
        "trigger": lambda: rewrite(data, tmp_path, "CREATE TRIGGER t AFTER INSERT ON event BEGIN SELECT 1; END"),
        "missing_table": lambda: rewrite(data, tmp_path, "DROP TABLE split"),
    }[case]()
    before = count_projects(engine)
    with pytest.raises(ImportRefused, match=expected):
        transfer.import_project(engine, bad)
    assert count_projects(engine) == before
