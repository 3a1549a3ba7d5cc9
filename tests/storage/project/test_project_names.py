"""Project names: unique ignoring case, enforced by the database (schema 2), on create, rename and import."""

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage import transfer
from storage.db import make_engine, session_scope
from storage.project import projects
from storage.project.migrations import RENAME_REASON
from storage.project.projects import NAME_TAKEN, ProjectError
from storage.tables import SCHEMA_VERSION
from storage.transfer import ImportRefused
from tests.storage.version_1 import insert_v1, make_v1_database, url_of


def names(engine):
    with session_scope(engine) as s:
        return sorted(p.name for p in projects.list_projects(s))


@pytest.fixture
def without_app_check(monkeypatch):
    """Two sessions passing the app's check at the same moment: only the database can refuse the second."""
    monkeypatch.setattr(projects, "_ensure_name_free", lambda *args, **kwargs: None)


def test_the_database_refuses_a_name_differing_only_in_case(engine, without_app_check):
    with session_scope(engine) as s:
        projects.create_project(s, name="Name")
    with pytest.raises(ProjectError) as raised, session_scope(engine) as s:
        projects.create_project(s, name="NAME")
    assert str(raised.value) == NAME_TAKEN.format(name="NAME")
    assert names(engine) == ["Name"]


def test_a_rename_to_a_name_differing_only_in_case_is_refused_by_the_database(engine, without_app_check):
    with session_scope(engine) as s:
        projects.create_project(s, name="Name")
        other = projects.create_project(s, name="Other")
    with pytest.raises(ProjectError, match="already exists"), session_scope(engine) as s:
        projects.rename_project(s, project_id=other.id, new_name="nAmE")
    assert names(engine) == ["Name", "Other"]


def test_a_version_1_database_holding_names_differing_in_case_is_migrated(empty_database):
    path = empty_database
    make_v1_database(path)  # schema 1 exactly: no index on lower(name)
    for project_id, name in enumerate(("Study", "STUDY", "study", "Other"), start=1):
        insert_v1(path, "project", id=project_id, name=name, source="blank")
    engine = make_engine(url_of(path))
    try:
        assert names(engine) == ["Other", "STUDY (2)", "Study", "study (3)"]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == SCHEMA_VERSION == 2
        with session_scope(engine) as s:
            renamed = next(p for p in projects.list_projects(s) if p.name == "STUDY (2)")
            event = projects.list_events(s, renamed.id).iloc[0]
        assert event["what"] == "renamed project" and RENAME_REASON in event["details"]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE project SET name = 'other' WHERE name = 'Study'"))
    finally:
        engine.dispose()


def test_a_version_1_export_imports_and_is_migrated(engine, tmp_path):
    path = tmp_path / "old.workbench"
    make_v1_database(path)
    insert_v1(path, "project", id=1, name="Old", source="blank")
    assert transfer.import_project(engine, path.read_bytes()).name == "Old"


def export_named(engine, tmp_path, name):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Source")
    path = tmp_path / "named.workbench"
    path.write_bytes(transfer.export_project(engine, project.id))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE project SET name = ?", (name,))
    with session_scope(engine) as s:
        projects.delete_project(s, project_id=project.id)
    return path.read_bytes()


@pytest.mark.parametrize("name, phrase", [
    ("x" * 5083, "its name has 5,083 characters, more than the 80"),
    ("   ", "its name is empty"),
])
def test_an_import_whose_name_breaks_the_rules_is_refused(engine, tmp_path, name, phrase):
    data = export_named(engine, tmp_path, name)
    with pytest.raises(ImportRefused, match=phrase):
        transfer.import_project(engine, data)
    assert names(engine) == []


def test_an_imported_name_is_tidied_and_made_free_ignoring_case(engine, tmp_path):
    data = export_named(engine, tmp_path, "  loan   STUDY ")
    with session_scope(engine) as s:
        projects.create_project(s, name="Loan study")
    assert transfer.import_project(engine, data).name == "loan STUDY (imported)"
    long_name = export_named(engine, tmp_path, "y" * 80)
    assert transfer.import_project(engine, long_name).name == "y" * 80
    again = transfer.import_project(engine, long_name).name
    assert again == "y" * 69 + " (imported)" and len(again) == 80


def test_a_name_taken_during_the_import_is_refused_in_words(engine, tmp_path, monkeypatch):
    data = export_named(engine, tmp_path, "Race")
    with session_scope(engine) as s:
        projects.create_project(s, name="RACE")
    monkeypatch.setattr(transfer, "_free_name", lambda session, name: name)  # lost the race to the other session
    with pytest.raises(ImportRefused, match="was created while this file was being imported"):
        transfer.import_project(engine, data)
    assert names(engine) == ["RACE"]
