from storage.data import datasets
from storage.project import projects
from storage.scoping import records as scoping
from storage.db import session_scope
from storage.progress import progress_facts
from tests.storage.factories import small_frame


def test_facts_count_rows_and_derive_target_and_readiness(engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="P")
        datasets.add_dataset_version(s, project_id=project.id, name="a", frame=small_frame(), source="t",
                                     roles={"target": "y"})
        datasets.add_dataset_version(s, project_id=project.id, name="b", frame=small_frame(), source="t")
    with session_scope(engine) as s:
        facts = progress_facts(s, project.id)
    assert facts["dataset"] == 2 and facts["dataset_with_target"] == 1
    assert "scope_ready" not in facts
    with session_scope(engine) as s:
        scoping.apply_worked_example(s, project_id=project.id, scenario="breast_cancer")
    with session_scope(engine) as s:
        assert progress_facts(s, project.id)["scope_ready"] == 1
