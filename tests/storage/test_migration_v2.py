"""A version-1 database, and a version-1 project export, are lifted to schema 2 with honest records."""

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel, select

from storage import transfer
from storage.db import make_engine, session_scope
from storage.modeling import registry
from storage.modeling.runs import list_runs, take_run_number
from storage.run_removal import archive_run
from storage.modeling.tables import Promotion, Run
from storage.project.tables import Project
from storage.project import projects
from tests.storage.version_1 import insert_v1, make_v1_database, url_of


def fill_v1(path):
    """Make `path` a schema-1 database: a project with three runs, a passed and an overridden champion,
    and a challenger."""
    make_v1_database(path)
    insert_v1(path, "project", id=1, name="Study")
    for run_id in (1, 3, 5):
        insert_v1(path, "run", id=run_id, project_id=1, model="knn", status="finished", config={"model": "knn"}, tags=[])
    # Version 1 stored gate_passed = 1 for the challenger although its one check failed.
    promotions = [(1, 1, "champion", 1, True, ""), (2, 3, "challenger", 1, False, ""),
                  (3, 5, "champion", 0, False, "Pilot starts Monday")]
    for promotion_id, run_id, alias, passed, check, reason in promotions:
        insert_v1(path, "promotion", id=promotion_id, project_id=1, run_id=run_id, alias=alias, gate_passed=passed,
                  override_reason=reason, checks=[{"condition": "target f1 >= 0.9", "passed": check, "message": "."}])
    insert_v1(path, "event", id=1, project_id=1, actor="ann", action="promoted run to challenger",
              details={"run": 3, "alias": "challenger", "gate": "passed"})
    return path


@pytest.fixture
def v1_database(empty_database):
    """The schema-1 database on the test's engine (a SQLite path or a PostgreSQL URL)."""
    return fill_v1(empty_database)


@pytest.fixture
def v1_path(tmp_path):
    """A schema-1 export file (always SQLite) holding the records of `v1_database`."""
    return fill_v1(tmp_path / "v1.db")


def test_a_version_1_database_is_migrated_and_no_challenger_claims_a_passed_gate(v1_database):
    engine = make_engine(url_of(v1_database))
    with session_scope(engine) as s:
        gates = {p.id: p.gate for p in s.exec(select(Promotion))}
        history = registry.promotions_frame(s, 1)
        events = projects.list_events(s, 1)
    assert gates == {1: "passed", 2: "not gated", 3: "overridden"}
    not_gated = "not gated: a challenger needs only a dev evaluation (the gate would fail 1 of 1 check)"
    assert list(history["gate"]) == ["failed 1 of 1 check, overridden", not_gated, "passed (1 of 1 check)"]
    assert "passed" not in events.loc[0, "details"] and "gate: not gated" in events.loc[0, "details"]
    engine.dispose()


def test_version_1_runs_are_numbered_by_id_within_each_project_and_the_counter_goes_on(v1_database):
    insert_v1(v1_database, "project", id=2, name="Other")
    for run_id in (2, 4, 6):
        insert_v1(v1_database, "run", id=run_id, project_id=2, model="knn", status="finished")
    engine = make_engine(url_of(v1_database))
    with session_scope(engine) as s:
        numbered = {run.id: (run.project_id, run.number) for run in s.exec(select(Run))}
        counters = {p.id: p.next_run_number for p in s.exec(select(Project))}
        taken = take_run_number(s, 1)
    assert numbered == {1: (1, 1), 3: (1, 2), 5: (1, 3), 2: (2, 1), 4: (2, 2), 6: (2, 3)}
    assert counters == {1: 4, 2: 4} and taken == 4
    assert "ix_run_project_number" in {i["name"] for i in inspect(engine).get_indexes("run") if i["unique"]}
    engine.dispose()


def test_the_migrated_tables_have_the_columns_of_the_current_schema(v1_database):
    engine = make_engine(url_of(v1_database))
    inspector = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.c.keys()), table.name
    engine.dispose()


def test_a_version_1_export_is_imported_with_its_records_migrated(v1_path, engine):
    imported = transfer.import_project(engine, v1_path.read_bytes())
    with session_scope(engine) as s:
        gates = [p.gate for p in s.exec(select(Promotion).where(Promotion.project_id == imported.id)
                                         .order_by(Promotion.id))]
        numbers = [run.number for run in list_runs(s, imported.id)]
    assert gates == ["passed", "not gated", "overridden"]
    assert numbers == [3, 2, 1] and imported.next_run_number == 4


def test_version_1_runs_come_over_unarchived_and_can_be_archived(v1_path):
    engine = make_engine(f"sqlite:///{v1_path}")
    with session_scope(engine) as s:
        assert {run.id: run.archived for run in s.exec(select(Run))} == {1: False, 3: False, 5: False}
        archive_run(s, project_id=1, run_id=3, archived=True)
    with session_scope(engine) as s:
        assert [run.number for run in list_runs(s, 1) if run.archived] == [2]
    engine.dispose()
