"""Archiving and deleting runs: reversible hiding, and a delete refused while any record points at the run."""

import pytest
from sqlmodel import select

from storage.db import session_scope
from storage.deployment.tables import Deployment
from storage.fairness.tables import Audit
from storage.modeling.execution import evaluate_on_test
from storage.modeling.registry import promote
from storage.modeling.runs import RunError, list_runs
from storage.modeling.tables import ModelArtifact, Prediction, Run
from storage.project.projects import list_events
from storage.run_removal import archive_run, delete_run, run_holders
from tests.storage.experiment_factories import project_with_data, trained_run


@pytest.fixture
def two_runs(engine):
    project_id, dataset_id = project_with_data(engine)
    first, _ = trained_run(engine, dataset_id)
    second, _ = trained_run(engine, dataset_id, "knn")
    return project_id, first, second


def test_a_free_run_is_deleted_with_its_model_and_predictions_in_one_go(engine, two_runs):
    project_id, first, second = two_runs
    with session_scope(engine) as s:
        assert delete_run(s, project_id=project_id, run_id=second) == "Run 2"
    with session_scope(engine) as s:
        assert [r.id for r in list_runs(s, project_id)] == [first]
        assert s.exec(select(ModelArtifact).where(ModelArtifact.run_id == second)).all() == []
        assert s.exec(select(Prediction).where(Prediction.run_id == second)).all() == []
        assert len(s.exec(select(Prediction).where(Prediction.run_id == first)).all()) == 1
        assert "deleted run" in set(list_events(s, project_id)["what"])


def test_a_delete_names_every_record_that_holds_the_run_and_removes_nothing(engine, two_runs):
    project_id, first, _ = two_runs
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=first, override_reason="pilot")
        evaluate_on_test(s, project_id=project_id, run_id=first)
        s.add(Deployment(project_id=project_id, number=1, case="replacing", mode="canary", champion="legacy_rule",
                         challenger_run_id=first))
        run = s.get(Run, first)
        s.add(Audit(project_id=project_id, number=1, run_id=first, dataset_hash=run.dataset_hash, labels_hash=run.labels_hash,
                    split="dev"))
    with session_scope(engine) as s:
        holders = run_holders(s, s.get(Run, first))
    assert holders == ["it is the champion", "Deployment 1 replayed it", "Audit 1 audited it",
                       "the promotion history records it (1 promotion)",
                       "the project's count of test-split looks includes its 1 look"]
    with pytest.raises(RunError, match=r"^Run 1 cannot be deleted: it is the champion; Deployment 1 replayed it; "
                                       r".*Archive it instead"):
        with session_scope(engine) as s:
            delete_run(s, project_id=project_id, run_id=first)
    with session_scope(engine) as s:
        assert s.get(Run, first) is not None
        assert s.exec(select(ModelArtifact).where(ModelArtifact.run_id == first)).first() is not None


def test_archiving_hides_a_run_reversibly_but_not_an_alias_holder(engine, two_runs):
    project_id, first, second = two_runs
    with session_scope(engine) as s:
        archive_run(s, project_id=project_id, run_id=second, archived=True)
    with session_scope(engine) as s:
        assert s.get(Run, second).archived
        archive_run(s, project_id=project_id, run_id=second, archived=False)
        promote(s, project_id=project_id, run_id=first, alias="challenger")
    with session_scope(engine) as s:
        assert not s.get(Run, second).archived
        assert {"archived run", "restored run"} <= set(list_events(s, project_id)["what"])
    with pytest.raises(RunError, match="Run 1 cannot be archived: it is the challenger. Give the alias to another run"):
        with session_scope(engine) as s:
            archive_run(s, project_id=project_id, run_id=first, archived=True)


def test_a_run_still_training_is_neither_archived_nor_deleted(engine, two_runs):
    project_id, first, _ = two_runs
    with session_scope(engine) as s:
        s.get(Run, first).status = "running"
    for act in (lambda s: delete_run(s, project_id=project_id, run_id=first),
                lambda s: archive_run(s, project_id=project_id, run_id=first, archived=True)):
        with pytest.raises(RunError, match="Run 1 is still training. Cancel it first"):
            with session_scope(engine) as s:
                act(s)
