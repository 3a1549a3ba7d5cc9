"""Audits in storage: what they read, saving and signing, immutability, staleness, and the schema step."""


import pytest
from sqlalchemy import text, update
from sqlmodel import select

from core.data.roles import Roles
from core.fairness.audit import AuditSettings, audit_to_dict, run_audit
from core.fairness.guidance import recommend_parity
from storage import transfer
from storage.data import datasets
from storage.db import make_engine, session_scope
from storage.fairness import audits
from storage.fairness.tables import Audit, AuditError, AuditLocked
from storage.modeling import registry
from core.modeling.training import TrainingConfig
from storage.modeling.execution import evaluate_on_test, execute_run, launch_run, prepare_run
from storage.progress import progress_facts
from storage.project import projects
from storage.scoping.records import save_answer
from tests.storage.experiment_factories import project_with_data, trained_run
from tests.storage.version_1 import make_v1_database, url_of

SETTINGS = AuditSettings(attributes=(("group",),), n_resamples=20)
CONFIRM = ("ethics.concerns", "ethics.failure_modes")


@pytest.fixture
def trained(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, status = trained_run(engine, dataset_id)
    assert status == "finished"
    return project_id, dataset_id, run_id


def saved_audit(engine, project_id, run_id, split="dev"):
    with session_scope(engine) as s:
        data = audits.load_audit_data(s, project_id=project_id, run_id=run_id, split=split)
        results = audit_to_dict(run_audit(data.predictions, data.sensitive, classes=data.classes, settings=SETTINGS))
        return audits.save_audit(s, data=data, settings=SETTINGS, results=results,
                                 parity=recommend_parity("representation").to_dict(), actor="ana").id


def sign(engine, project_id, audit_id, **overrides):
    values = dict(reviewer="Product Owner", decision="approve", comments="", confirmed=CONFIRM) | overrides
    with session_scope(engine) as s:
        return audits.sign_audit(s, project_id=project_id, audit_id=audit_id, **values)


def test_audit_reads_dev_predictions_and_the_sensitive_column_by_row_id(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        data = audits.load_audit_data(s, project_id=project_id, run_id=run_id)
        frame = datasets.load_frame(s, dataset_id)
    assert data.split == "dev" and len(data.predictions) == 60 and data.classes == [0, 1]
    assert data.sensitive["group"].equals(frame.loc[data.predictions.index, "group"])


def test_test_split_only_after_its_logged_look(engine, trained):
    project_id, _, run_id = trained
    with session_scope(engine) as s, pytest.raises(AuditError, match="not been looked at on the test split"):
        audits.load_audit_data(s, project_id=project_id, run_id=run_id, split="test")
    with session_scope(engine) as s:
        evaluate_on_test(s, project_id=project_id, run_id=run_id)
    with session_scope(engine) as s:
        assert audits.audit_splits(s, audits.get_run(s, run_id)) == ["dev", "test"]
        assert len(audits.load_audit_data(s, project_id=project_id, run_id=run_id, split="test").predictions) == 60


def test_dataset_without_sensitive_columns_says_where_to_mark_them(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        datasets.update_roles(s, dataset_id=dataset_id, roles=Roles(target="y").to_dict())
    with session_scope(engine) as s, pytest.raises(AuditError, match="no sensitive columns.*Roles tab"):
        audits.load_audit_data(s, project_id=project_id, run_id=run_id)


def test_save_and_sign_record_everything_once(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        save_answer(s, project_id=project_id, item_key="ethics.concerns", value="Group b may be harmed", status="done")
    first, second = saved_audit(engine, project_id, run_id), saved_audit(engine, project_id, run_id)
    assert first != second                                   # a later audit never overwrites an earlier one
    sign(engine, project_id, first, decision="approve with conditions", comments="Re-audit after retraining")
    with session_scope(engine) as s:
        audit, run = s.get(Audit, first), audits.get_run(s, run_id)
        assert (audit.run_id, audit.dataset_hash, audit.labels_hash, audit.split) == (run_id, run.dataset_hash,
                                                                                      run.labels_hash, "dev")
        assert audit.settings["attributes"] == [["group"]] and audit.settings["positive"] == "1"
        assert audit.parity["metric"] == "selection_rate" and set(audit.results) == {"group"}
        assert audit.checklist[0]["answer"] == "Group b may be harmed"
        assert (audit.reviewer, audit.decision, audit.comments) == ("Product Owner", "approve with conditions",
                                                                    "Re-audit after retraining")
        assert audit.signed_at is not None and s.get(Audit, second).signed_at is None
        assert audits.latest_signed_audit(s, project_id).id == first
        assert progress_facts(s, project_id)["signed_audit"] == 1
        assert projects.list_events(s, project_id)["what"].str.contains("signed fairness audit").any()


def test_a_signed_audit_cannot_change_by_any_orm_path(engine, trained):
    project_id, _, run_id = trained
    audit_id = saved_audit(engine, project_id, run_id)
    sign(engine, project_id, audit_id)
    with pytest.raises(AuditLocked, match="already signed by Product Owner"):
        sign(engine, project_id, audit_id, reviewer="Someone else", decision="reject")
    for change in (lambda a: setattr(a, "decision", "reject"), lambda a: setattr(a, "comments", "edited"),
                   lambda a: setattr(a, "results", {})):
        with pytest.raises(AuditLocked, match="is signed and can no longer change"), session_scope(engine) as s:
            change(s.get(Audit, audit_id))
            s.flush()
    with pytest.raises(AuditLocked), session_scope(engine) as s:
        s.exec(update(Audit).where(Audit.id == audit_id).values(decision="reject"))
    with pytest.raises(AuditLocked), session_scope(engine) as s:
        s.delete(s.get(Audit, audit_id))
    with session_scope(engine) as s:
        audit = s.get(Audit, audit_id)
        assert (audit.decision, audit.comments, set(audit.results)) == ("approve", "", {"group"})


def test_an_unsigned_audit_takes_only_its_sign_off(engine, trained):
    project_id, _, run_id = trained
    audit_id = saved_audit(engine, project_id, run_id)
    with pytest.raises(AuditLocked, match="content cannot change"), session_scope(engine) as s:
        s.get(Audit, audit_id).settings = {"seed": 99}
    with session_scope(engine) as s:
        assert s.get(Audit, audit_id).settings["seed"] == 0


@pytest.mark.parametrize("overrides, message", [
    (dict(decision="maybe"), "approve, approve with conditions, reject"),
    (dict(reviewer="  "), "reviewer's name"),
    (dict(decision="approve with conditions", comments=""), "needs the conditions"),
    (dict(confirmed=("ethics.concerns",)), "How could the system go wrong"),
    (dict(comments="x" * 2001), "longer than 2000"),
])
def test_bad_sign_off_is_refused_and_nothing_stored(engine, trained, overrides, message):
    project_id, _, run_id = trained
    audit_id = saved_audit(engine, project_id, run_id)
    with pytest.raises(AuditError, match=message):
        sign(engine, project_id, audit_id, **overrides)
    with session_scope(engine) as s:
        assert s.get(Audit, audit_id).signed_at is None
        assert progress_facts(s, project_id).get("signed_audit") == 0


def test_audit_is_stale_after_retraining_and_a_champion_change(engine, trained):
    project_id, dataset_id, run_id = trained
    with session_scope(engine) as s:
        registry.promote(s, project_id=project_id, run_id=run_id, override_reason="first model, no targets yet")
    audit_id = saved_audit(engine, project_id, run_id)
    with session_scope(engine) as s:
        assert audits.stale_reasons(s, s.get(Audit, audit_id)) == []
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig("logistic_regression", random_state=1))
        child = launch_run(s, prepared=prepared, parent_run_id=run_id, trigger="re-run").id
    execute_run(engine, run_id=child, prepared=prepared)
    with session_scope(engine) as s:
        registry.promote(s, project_id=project_id, run_id=child, override_reason="retrained model is better")
    with session_scope(engine) as s:
        assert audits.stale_reasons(s, s.get(Audit, audit_id)) == [
            "Run 1 was retrained since as Run 2", "Run 1 is no longer the champion"]


def test_project_delete_export_and_import_cover_audits(engine, trained, tmp_path):
    project_id, _, run_id = trained
    sign(engine, project_id, saved_audit(engine, project_id, run_id))
    data = transfer.export_project(engine, project_id)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    imported = transfer.import_project(other, data)
    with session_scope(other) as s:
        audit = audits.latest_signed_audit(s, imported.id)
        assert audit.decision == "approve" and audits.get_run(s, audit.run_id).project_id == imported.id
    with session_scope(engine) as s:
        projects.delete_project(s, project_id=project_id)
    with session_scope(engine) as s:
        assert s.exec(select(Audit)).all() == []


def test_a_version_1_database_is_migrated_with_the_audit_table(empty_database):
    path = empty_database
    make_v1_database(path)  # the tables exactly as schema 1 had them (a v1 export is checked in test_migration_v2)
    engine = make_engine(url_of(path))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version FROM schema_info")).scalar_one() == 2
        assert connection.execute(text("SELECT count(*) FROM audit")).scalar_one() == 0
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    assert saved_audit(engine, project_id, run_id) > 0
    engine.dispose()
