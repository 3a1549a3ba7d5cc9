"""The report gathered from storage: an empty project, and a loan project with several stages done."""

import pytest
from sqlmodel import select

from core.deployment.plans import RolloutSettings
from core.modeling.evaluation import slice_table
from core.report.reveal import NOT_MONITORED
from core.scoping.targets import evaluate_targets
from storage.db import make_engine, session_scope
from storage.data.tables import Dataset
from storage.errors.analysis import DATASET_GONE
from storage.fairness.tables import Audit
from storage.modeling.registry import promote
from storage.modeling.tables import Run
from storage.report.gather import gather_report
from storage.report.monitoring import MONITORING_PAGE, NOTHING_DEPLOYED, monitoring_facts
from storage.scoping.records import list_targets
from tests.storage.deployment.test_deployments import FAST, prepare, run_deployment
from tests.storage.deployment_factories import loan_project, make_champion, train
from tests.storage.report_factories import CHANGED_GOOD, FIXED_FLIPS, PAYLOAD, TAG, empty_project, reported_project


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('report') / 'report.db'}")
    ids = reported_project(engine)
    with session_scope(engine) as s:
        report = gather_report(s, ids["project_id"])
    yield engine, ids, report
    engine.dispose()


def facts(report, key):
    return {f.label: f.value for f in report.section(key).facts}


def test_an_empty_project_says_what_is_missing_in_every_section(engine):
    with session_scope(engine) as s:
        report = gather_report(s, empty_project(engine))
    assert report.project == f"Empty {PAYLOAD}"
    for section in report.sections[:-1]:
        assert section.status == "not done" and section.missing, section.key
    assert report.section("monitoring").missing == NOTHING_DEPLOYED
    assert report.section("timeline").status == "done"  # creating the project is its first event
    assert report.reveal is None


def test_targets_are_the_champions_dev_metrics_and_measured_latency(stored):
    engine, ids, report = stored
    with session_scope(engine) as s:
        run, targets = s.get(Run, ids["run_id"]), list_targets(s, ids["project_id"])
        expected = evaluate_targets({**run.metrics["dev"], "p95_latency_ms": run.timings["latency_p95_ms"]}, targets)
    table = report.section("scoping").tables[0].frame
    assert table["status"].tolist() == [r.status for r in expected] == ["met", "not met", "met", "met"]
    assert table["measured"].tolist() == [r.value for r in expected]


def test_label_fixes_champion_and_audit_are_reported_as_stored(stored):
    engine, ids, report = stored
    labels = facts(report, "labels")
    assert labels["Labels changed: label errors accepted"] == str(FIXED_FLIPS)
    assert labels["Labels changed: review corrections"] == str(CHANGED_GOOD)
    model = facts(report, "model")
    assert model["Champion"] == "Run 1 · logistic_regression" and model["Test-split looks"] == "1"
    with session_scope(engine) as s:
        audit = s.exec(select(Audit)).one()
        run = s.get(Run, ids["run_id"])
    comparison = report.section("model").tables[0].frame
    assert comparison["accuracy"].iloc[0] == run.metrics["dev"]["accuracy"]
    assert comparison["kind"].tolist() == ["champion", "Dummy", "Simple model"]
    per_slice = report.section("model").tables[1]
    assert per_slice.title == "Dev split: the champion per slice"
    assert per_slice.frame.equals(slice_table(run.metrics["dev"]).reset_index())
    assert {"sex=F", "sex=M", "region=North"} <= set(per_slice.frame["slice"])
    fairness = facts(report, "fairness")
    assert (fairness["Decision"], fairness["Reviewer"], fairness["Stale"]) == ("approve with conditions", "Pat Owner", "no")
    assert fairness["Comments"] == audit.comments == f"Re-audit monthly {PAYLOAD}"


def test_reveal_scores_the_known_answers(stored):
    engine, ids, report = stored
    items = {item.effect: item for item in report.reveal.items}
    n_flipped = ids["truth"]["label_noise"]["n_flipped"]
    assert items["Flipped labels"].score == (f"{FIXED_FLIPS} of {n_flipped} flipped labels found ({FIXED_FLIPS} set "
                                             f"back to the true label); {CHANGED_GOOD} changed labels were not flipped")
    assert items["Hard slice"].score == f"found: tag “{TAG}”"
    with session_scope(engine) as s:
        flagged = s.exec(select(Audit)).one().results["sex"]["flagged"]  # what the stored audit itself flagged
    assert items["Biased group"].found == f"sex audited; flagged: {', '.join(flagged) or 'none'}"
    assert items["Biased group"].score == ("found: the group is flagged" if "F" in flagged else "not found")
    assert items["Data drift"].score == items["Policy change"].score == NOT_MONITORED


def test_a_new_champion_marks_the_audit_stale_and_a_finished_replay_is_monitored(stored):
    engine, ids, _ = stored
    newer = train(engine, ids["dataset_id"], "random_forest", params={"n_estimators": 10})
    prepared = prepare(engine, ids["project_id"], ids["run_id"], newer, settings=RolloutSettings(mode="shadow", **FAST))
    assert run_deployment(engine, ids["project_id"], prepared)[1] == "completed"
    with session_scope(engine) as s:
        promote(s, project_id=ids["project_id"], run_id=newer, override_reason="a stronger model")
    with session_scope(engine) as s:
        report = gather_report(s, ids["project_id"])
        assert monitoring_facts(s, ids["project_id"]).monitored
    fairness = report.section("fairness")
    assert fairness.status == "partly" and facts(report, "fairness")["Stale"] == "yes: Run 1 is no longer the champion"
    rollouts = report.section("deployment").tables[0].frame
    assert rollouts[["deployment", "mode", "running side", "candidate", "status", "requests"]].values.tolist() == [
        ["Deployment 1", "shadow", "Run 1", "Run 2", "completed", 3_000]]
    monitoring = report.section("monitoring")  # no page has checked it yet: nothing raised
    assert (monitoring.status, monitoring.page, facts(report, "monitoring")["Open alerts"]) == ("done", MONITORING_PAGE, "0")
    assert facts(report, "model")["Champion"] == "Run 2 · random_forest"


def test_a_champion_whose_dataset_was_deleted_is_explained_as_error_analysis_explains_it(engine):
    project_id, dataset_id = loan_project(engine, n_rows=1_000)
    make_champion(engine, project_id, train(engine, dataset_id))
    with session_scope(engine) as s:
        s.delete(s.get(Dataset, dataset_id))
    with session_scope(engine) as s:
        report = gather_report(s, project_id)
    assert report.section("slices").missing == DATASET_GONE.format(run="Run 1")
    assert facts(report, "model")["Trained on"] == "a deleted version"
    assert report.section("data").status == "not done" and report.reveal is None
