"""A mitigated rule saved as a run: its thresholds, shared model, dev metrics, and promotion like any run."""

import pytest
from sklearn.metrics import accuracy_score

from core.fairness.audit import AuditSettings
from core.fairness.mitigation import mitigate
from storage.db import session_scope
from storage.fairness import audits
from storage.fairness.mitigated import save_mitigated_run
from storage.fairness.tables import Audit, AuditError
from storage.modeling import registry
from storage.modeling.runs import load_predictions, load_run_model
from storage.modeling.tables import ModelArtifact
from tests.storage.experiment_factories import project_with_data, trained_run
from sqlmodel import select


@pytest.fixture
def mitigated(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        data = audits.load_audit_data(s, project_id=project_id, run_id=run_id)
        result = mitigate(data.predictions, data.sensitive, ["group"], classes=data.classes)
        new = save_mitigated_run(s, project_id=project_id, run_id=run_id, mitigation=result.to_dict(), actor="ana")
    return project_id, run_id, new.id, result


def test_the_new_run_applies_the_thresholds_and_scores_them(engine, mitigated):
    project_id, run_id, new_id, result = mitigated
    with session_scope(engine) as s:
        run, parent = audits.get_run(s, new_id), audits.get_run(s, run_id)
        predictions = load_predictions(s, run_id=new_id)
        artifacts = {a.run_id: a.sha256 for a in s.exec(select(ModelArtifact)).all()}
        assert load_run_model(s, new_id) is not None
    assert (run.parent_run_id, run.trigger, run.status) == (run_id, "fairness mitigation", "finished")
    assert run.config["group_thresholds"]["columns"] == ["group"] and run.config["model"] == parent.config["model"]
    assert artifacts[new_id] == artifacts[run_id]
    assert predictions["prediction"].equals(result.decisions.rename("prediction"))
    assert run.metrics["dev"]["accuracy"] == pytest.approx(accuracy_score(predictions["label"], predictions["prediction"]))
    assert "accuracy[group=a]" in run.metrics["dev"]


def test_it_is_promoted_like_any_run_and_does_not_make_the_parent_audit_stale(engine, mitigated):
    project_id, run_id, new_id, result = mitigated
    with session_scope(engine) as s:
        registry.promote(s, project_id=project_id, run_id=new_id, alias="challenger")
        assert registry.aliases(s, project_id)["challenger"].id == new_id
    with session_scope(engine) as s:
        data = audits.load_audit_data(s, project_id=project_id, run_id=run_id)
        audit_id = audits.save_audit(s, data=data, settings=AuditSettings(attributes=(("group",),)), results={},
                                     parity={}).id
    with session_scope(engine) as s:   # a second mitigated rule of the audited run, saved after the audit
        save_mitigated_run(s, project_id=project_id, run_id=run_id, mitigation=result.to_dict())
    with session_scope(engine) as s:
        assert audits.stale_reasons(s, s.get(Audit, audit_id)) == []


def test_a_mitigated_run_is_not_mitigated_again(engine, mitigated):
    project_id, _, new_id, result = mitigated
    with session_scope(engine) as s, pytest.raises(AuditError, match="already applies per-group thresholds"):
        save_mitigated_run(s, project_id=project_id, run_id=new_id, mitigation=result.to_dict())
