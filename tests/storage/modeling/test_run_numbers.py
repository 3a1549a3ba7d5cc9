"""Runs are numbered within their project, never reuse a number, and keep it through export and import."""

import re

from sqlmodel import select

from storage import transfer
from storage.db import make_engine, session_scope
from storage.modeling import registry
from storage.modeling.runs import get_run, list_runs, run_label, take_run_number
from storage.modeling.tables import Run
from storage.project import projects
from tests.storage.experiment_factories import project_with_data, trained_run


def numbers(engine, project_id):
    with session_scope(engine) as s:
        return sorted(run.number for run in list_runs(s, project_id))


def test_runs_are_numbered_per_project_and_a_deleted_newest_number_is_not_reused(engine):
    first, first_data = project_with_data(engine, name="First")
    second, second_data = project_with_data(engine, name="Second")
    trained_run(engine, first_data)
    trained_run(engine, second_data)
    newest, _ = trained_run(engine, first_data)
    assert numbers(engine, first) == [1, 2] and numbers(engine, second) == [1]
    with session_scope(engine) as s:
        s.delete(get_run(s, newest))
    trained_run(engine, first_data)
    assert numbers(engine, first) == [1, 3]


def test_timeline_and_registry_name_runs_by_their_number(engine):
    project_id, dataset_id = project_with_data(engine)
    weak, _ = trained_run(engine, dataset_id, params={"C": 1e-4})
    strong, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        registry.promote(s, project_id=project_id, run_id=weak)
        registry.promote(s, project_id=project_id, run_id=strong)
        history = registry.promotions_frame(s, project_id)
        events = projects.list_events(s, project_id)
    assert list(history["run"]) == ["Run 2", "Run 1"] and list(history["replaced"]) == ["Run 1", ""]
    details = list(events["details"])
    assert any(d.startswith("run: Run 2, model: logistic_regression") for d in details)
    assert details[0].startswith("run: Run 2, alias: champion, gate: passed (2 of 2 checks), replaced: Run 1")


def event_runs(engine, project_id):
    """Return (run named by an event, model the event names) for every training event."""
    with session_scope(engine) as s:
        events = projects.list_events(s, project_id)
    found = [re.match(r"run: (Run \d+), model: (\w+)", d) for d in events["details"]]
    return [match.groups() for match in found if match]


def test_an_imported_timeline_names_the_right_runs_in_a_database_that_holds_other_runs(engine, tmp_path):
    # The exporting database has runs of another project first, so ids and numbers differ.
    _, other_data = project_with_data(engine, name="Other")
    trained_run(engine, other_data)
    trained_run(engine, other_data)
    project_id, dataset_id = project_with_data(engine, name="Study")
    trained_run(engine, dataset_id, "knn")
    trained_run(engine, dataset_id, "logistic_regression")
    data = transfer.export_project(engine, project_id)
    target = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    _, busy_data = project_with_data(target, name="Busy")
    for _ in range(3):
        trained_run(target, busy_data)
    imported = transfer.import_project(target, data).id
    with session_scope(target) as s:
        models = {run_label(run): run.model for run in list_runs(s, imported)}
        next_number = projects.get_project(s, imported).next_run_number
    named = event_runs(target, imported)
    assert {run for run, _ in named} == {"Run 1", "Run 2"}
    assert all(models[run] == model for run, model in named)
    assert next_number == 3
    target.dispose()


def test_numbers_are_unique_within_a_project(engine):
    project_id, dataset_id = project_with_data(engine)
    trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        project = projects.get_project(s, project_id)
        project.next_run_number = 1  # a counter behind the runs still gives a free number
        s.add(project)
    trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        assert sorted(r.number for r in s.exec(select(Run).where(Run.project_id == project_id))) == [1, 2]
        assert projects.get_project(s, project_id).next_run_number == 3


def test_launches_at_once_from_several_sessions_take_different_numbers(engine):
    import threading

    project_id, _ = project_with_data(engine)
    taken, errors = [], []

    def launch():
        try:
            with session_scope(engine) as s:
                taken.append(take_run_number(s, project_id))
        except Exception as error:  # noqa: BLE001 — collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=launch) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(taken) == [1, 2, 3, 4, 5, 6]
