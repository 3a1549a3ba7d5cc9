"""AppTest of the Deployment page: empty state, shadow, canary rollback and promotion, blue-green, automation."""

import time

import pytest
from sqlmodel import select

from storage.baselines.tables import Baseline
from storage.db import session_scope
from storage.deployment.tables import Deployment
from storage.modeling.registry import aliases, promote
from tests.pages.conftest import read, texts
from tests.storage.deployment_factories import loan_project, make_champion, train

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

DEPLOYMENT_PAGE = "pages/8_deployment.py"


@pytest.fixture
def loans(engine):
    """A loan project with a logistic champion, a forest challenger and a measured human-level accuracy."""
    project_id, dataset_id = loan_project(engine, n_rows=2_000)
    champion = train(engine, dataset_id)
    make_champion(engine, project_id, champion)
    challenger = train(engine, dataset_id, "random_forest", params={"n_estimators": 20})
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=challenger, alias="challenger")
        s.add(Baseline(project_id=project_id, dataset_id=dataset_id, kind="hlp", name="Human-level",
                       metrics={"accuracy": 0.9}))
    return project_id, champion, challenger


def open_page(app):
    return app.run().switch_page(DEPLOYMENT_PAGE).run()


def wait_for_replays(at, engine, *, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = read(engine, lambda s: s.exec(select(Deployment)).all())
        if rows and all(r.status != "running" for r in rows):
            return at.run()
        time.sleep(0.2)
    raise AssertionError("replay still running")


def start(at, *, mode, case="replacing", ramp=None, **numbers):
    at.radio(key="dep.case").set_value(case).run()
    at.radio(key=f"dep.mode.{case}").set_value(mode).run()
    if ramp is not None:
        at.text_input(key=f"dep.ramp.{case}").input(ramp)
    for key, value in {"dep.n_requests": 3_000, "dep.step": 500, "dep.min_labels": 30, "dep.batch": 250,
                       **numbers}.items():
        at.number_input(key=key).set_value(value)
    at.button(key="FormSubmitter:" + f"dep.plan.{case}.{mode}-Start the replay").click().run()
    return at


def latest(engine):
    return read(engine, lambda s: s.exec(select(Deployment).order_by(Deployment.id.desc())).first())


def test_without_a_champion_the_page_says_so_and_links_to_experiments(app, engine):
    loan_project(engine, n_rows=1_000)
    at = open_page(app)
    assert not at.exception
    assert "no champion model yet" in texts(at.info)
    assert any(link.label == "Go to Experiments" for link in at.get("page_link"))


def test_shadow_shows_agreement_and_the_rows_where_the_sides_disagree(app, engine, loans):
    project_id, champion, challenger = loans
    at = wait_for_replays(start(open_page(app), mode="shadow"), engine)
    assert not at.exception
    row = latest(engine)
    assert (row.status, row.mode, row.challenger_run_id) == ("completed", "shadow", challenger)
    assert "Started Deployment 1: shadow of Run 2" in texts(at.success) or row.summary["requests"] == 3_000
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Requests replayed"] == "3,000" and metrics["Served by the candidate"] == "0"
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("Shadow agreement" in spec for spec in titles)
    assert int(metrics["Disagreements with a label"].replace(",", "")) >= int(metrics["Challenger right"].replace(",", ""))


def test_a_degraded_challenger_canary_rolls_back_at_its_first_step(app, engine, loans):
    project_id, champion, _ = loans
    at = open_page(app)
    at.radio(key="dep.case").set_value("replacing").run()
    at.button(key="dep.preset").click().run()
    assert "trained on shifted labels, is now the challenger" in texts(at.success)
    at = wait_for_replays(start(at, mode="canary"), engine)
    row = latest(engine)
    assert row.status == "rolled_back" and row.share == 0.0
    timeline = at.dataframe[-1].value
    # Step 1 may first wait for labels (50 canary requests, 30 labels needed); it never passes.
    assert list(timeline["event"])[:2] == ["started", "step started"] and "step passed" not in set(timeline["event"])
    assert list(timeline["event"])[-2:] == ["analysis failed", "rolled back"]
    assert "at: step 1" in timeline["details"].iloc[-2] and "more than the margin 0.020" in timeline["details"].iloc[-2]
    assert read(engine, lambda s: aliases(s, project_id)["champion"].id) == champion


def test_a_sound_challenger_canary_reaches_all_traffic_and_goes_through_the_gate(app, engine, loans):
    project_id, champion, challenger = loans
    at = open_page(app)
    at.radio(key="dep.case").set_value("replacing").run()
    at = wait_for_replays(start(at, mode="canary", **{"dep.n_requests": 5_000, "dep.step": 1_000}),
                         engine)
    row = latest(engine)
    events = list(at.dataframe[-1].value["event"])
    assert events[:3] == ["started", "step started", "step passed"] and "completed" in events
    assert events.count("step passed") == 4 and row.share == 100.0
    if events[-1] == "promotion blocked by the gate":  # the forest does not beat the champion's F1
        assert row.status == "completed"
        at.text_input(key=f"dep.reason.{row.id}").input("The canary held up on live traffic").run()
        at.button(key=f"dep.promote.{row.id}").click().run()
    assert read(engine, lambda s: aliases(s, project_id)["champion"].id) == challenger


def test_blue_green_switches_and_rolls_back_at_once(app, engine, loans):
    project_id, champion, challenger = loans
    at = open_page(app)
    at.radio(key="dep.case").set_value("replacing").run()
    at = wait_for_replays(start(at, mode="blue_green", **{"dep.margin": 0.1}), engine)
    row = latest(engine)
    events = list(at.dataframe[-1].value["event"])
    assert events[:3] == ["started", "check passed", "switched"] and row.share == 100.0
    at.button(key=f"dep.rollback.{row.id}").click().run()
    assert not at.exception
    row = latest(engine)
    assert row.status == "rolled_back" and row.share == 0.0
    assert list(at.dataframe[-1].value["event"])[-1] == "rolled back by hand"
    assert read(engine, lambda s: aliases(s, project_id)["champion"].id) == champion


def test_automation_chart_marks_the_chosen_threshold_and_the_replay_uses_it(app, engine, loans):
    at = open_page(app)
    at.radio(key="dep.level").set_value("partial_automation")
    at.slider(key="dep.threshold").set_value(0.7)
    at.button(key="FormSubmitter:dep.automation-Use this setting for the next replay").click().run()
    assert "The next replay uses: Partial automation" in texts(at.success)
    spec = next(c.proto.spec for c in at.get("plotly_chart") if "confidence threshold" in c.proto.spec)
    assert "chosen: 0.70" in spec
    assert {m.label for m in at.metric} >= {"Automated", "Error rate", "Cost per case", "Cheapest threshold"}
    at = wait_for_replays(start(at, mode="shadow"), engine)
    row = latest(engine)
    assert row.automation["level"] == "partial_automation" and row.automation["threshold"] == 0.7
    assert row.automation["human_accuracy"] == 0.9 and row.summary["to_human"] > 0


@pytest.mark.parametrize("ramp, message", [("10, 50, 40, 100", "50% is followed by 40%"),
                                           ("10, 50, 120", "120% is not")])
def test_a_bad_ramp_plan_is_refused_and_nothing_starts(app, engine, loans, ramp, message):
    at = open_page(app)
    at.radio(key="dep.case").set_value("replacing").run()
    at = start(at, mode="canary", ramp=ramp)
    assert message in texts(at.error)
    assert read(engine, lambda s: s.exec(select(Deployment)).all()) == []


def test_a_replay_goes_on_after_the_page_is_left_and_cancel_stops_it(app, engine, loans):
    at = open_page(app)
    at = start(at, mode="shadow", **{"dep.n_requests": 1_000_000, "dep.batch": 100})
    row = latest(engine)
    assert row.status == "running"
    at = at.switch_page("pages/5_experiments.py").run()  # leaving the page does not stop the replay
    time.sleep(1.0)
    assert latest(engine).status == "running"
    at = at.switch_page(DEPLOYMENT_PAGE).run()
    assert any("Deployment 1" in str(p.proto.text) for p in at.get("progress"))
    at.button(key=f"dep.cancel.{row.id}").click().run()
    at = wait_for_replays(at, engine)
    assert latest(engine).status == "cancelled"
    assert not at.exception
