import threading

import pytest

from storage.data import datasets
from storage.project import projects
from storage.db import session_scope
from storage.tables import project_tables
from storage.project.projects import NAME_EMPTY, NAME_TAKEN, ProjectError
from tests.storage.factories import small_frame


def test_create_list_rename_and_timeline(engine):
    with session_scope(engine) as s:
        first = projects.create_project(s, name="  Loan   study ", actor="ana")
        second = projects.create_project(s, name="Digits")
    assert first.name == "Loan study"
    with session_scope(engine) as s:
        projects.rename_project(s, project_id=first.id, new_name="Loan approval", actor="ana")
    with session_scope(engine) as s:
        listed = projects.list_projects(s)
        events = projects.list_events(s, first.id)
    assert [p.name for p in listed] == ["Loan approval", "Digits"]  # most recent activity first
    assert listed[0].id == first.id and listed[1].id == second.id
    assert list(events["what"]) == ["renamed project", "created project"]
    assert set(events["who"]) == {"ana"}
    assert "from: Loan study" in events["details"].iloc[0]


@pytest.mark.parametrize("name, message", [("", NAME_EMPTY), ("   ", NAME_EMPTY)])
def test_empty_name_is_refused(engine, name, message):
    with pytest.raises(ProjectError) as raised, session_scope(engine) as s:
        projects.create_project(s, name=name)
    assert str(raised.value) == message
    with session_scope(engine) as s:
        assert projects.list_projects(s) == []


def test_taken_name_is_refused_whatever_the_case(engine):
    with session_scope(engine) as s:
        projects.create_project(s, name="Alpha")
        other = projects.create_project(s, name="Beta")
    with pytest.raises(ProjectError) as raised, session_scope(engine) as s:
        projects.create_project(s, name="alpha")
    assert str(raised.value) == NAME_TAKEN.format(name="alpha")
    with pytest.raises(ProjectError), session_scope(engine) as s:
        projects.rename_project(s, project_id=other.id, new_name="ALPHA")
    with session_scope(engine) as s:
        assert sorted(p.name for p in projects.list_projects(s)) == ["Alpha", "Beta"]


def test_delete_cascades_to_every_table_and_spares_other_projects(engine):
    with session_scope(engine) as s:
        doomed = projects.create_project(s, name="Doomed")
        kept = projects.create_project(s, name="Kept")
        for project in (doomed, kept):
            ds = datasets.add_dataset_version(s, project_id=project.id, name="d", frame=small_frame(), source="test")
            datasets.save_split(s, dataset_id=ds.id, assignment=small_frame()["colour"].map(
                {"red": "train", "green": "dev", "blue": "test"}), strategy="random", seed=0, fractions=(0.7, 0.15, 0.15))
    with session_scope(engine) as s:
        before = projects.project_contents(s, doomed.id)
        projects.delete_project(s, project_id=doomed.id)
    assert {"event", "dataset", "dataset_blob", "split"} <= set(before) <= {t.name for t in project_tables()}
    with session_scope(engine) as s:
        assert projects.project_contents(s, doomed.id) == {}
        assert projects.project_contents(s, kept.id) == before
        assert [p.name for p in projects.list_projects(s)] == ["Kept"]


def test_threads_creating_projects_and_datasets_lose_nothing(engine):
    errors = []

    def work(worker: int) -> None:
        try:
            for i in range(5):
                with session_scope(engine) as s:
                    project = projects.create_project(s, name=f"p{worker}-{i}")
                    datasets.add_dataset_version(s, project_id=project.id, name="d", frame=small_frame(20, i), source="t")
        except Exception as error:  # collected so the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(engine) as s:
        listed = projects.list_projects(s)
        assert len(listed) == 30
        assert all(len(datasets.list_datasets(s, p.id)) == 1 for p in listed)


def test_threads_racing_for_one_name_create_it_once(engine):
    outcomes = []

    def work() -> None:
        try:
            with session_scope(engine) as s:
                projects.create_project(s, name="Same")
            outcomes.append("created")
        except ProjectError as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 1
    assert outcomes.count(NAME_TAKEN.format(name="Same")) == 7
