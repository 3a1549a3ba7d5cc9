"""AppTest of the Monitoring page: empty states, windows, the heatmap, alerts, rules, retraining, bad input."""

import shutil
import time

import numpy as np
import pytest
from sklearn.metrics import accuracy_score
from sqlmodel import select

from core.errors.slices import Condition, SlicePredicate, slice_mask, tag_predicate
from storage.db import make_engine, session_scope
from storage.errors.slices import save_slice
from storage.deployment.tables import Deployment
from storage.modeling.registry import aliases
from storage.modeling.tables import Run
from storage.data.tables import Dataset
from storage.monitoring.sources import monitored_data
from storage.monitoring.settings import save_retrain_policy
from storage.monitoring.tables import Alert, AlertRule
from tests.conftest import copy_rows
from tests.pages.conftest import read, texts
from tests.storage.monitoring_factories import add_targets, empty_project, gappy_project, replayed_project

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

MONITORING_PAGE = "pages/9_monitoring.py"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A database holding a loan project with a finished shadow replay and targets, made once per module."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    engine = make_engine(f"sqlite:///{path}")
    project_id, _, champion, deployment_id = replayed_project(engine)
    add_targets(engine, project_id, "accuracy >= 0.9", "p95_latency_ms <= 10000")
    engine.dispose()
    return path, project_id, champion, deployment_id


@pytest.fixture
def replayed(seeded, database_url):
    """A fresh copy of the seeded database for this test (a file copy on SQLite, a row copy on PostgreSQL)."""
    if database_url.startswith("sqlite:///"):
        shutil.copy(seeded[0], database_url.removeprefix("sqlite:///"))
        return seeded[1:]
    source, target = make_engine(f"sqlite:///{seeded[0]}"), make_engine(database_url)
    copy_rows(source, target)
    source.dispose()
    target.dispose()
    return seeded[1:]


def table_with(at, *columns):
    """The first table on the page holding all these columns (tables without selection have no key)."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))


def open_page(app):
    return app.run().switch_page(MONITORING_PAGE).run()


def test_without_a_project_the_page_says_to_open_one(app):
    at = open_page(app)
    assert not at.exception and "No project is open" in texts(at.info)


def test_without_a_deployment_the_page_links_to_deployment(app, engine):
    empty_project(engine)
    at = open_page(app)
    assert not at.exception
    assert "no deployment yet" in texts(at.info)
    assert any(link.label == "Go to Deployment" for link in at.get("page_link"))


def test_a_replay_without_a_log_yet_is_explained(app, replayed, engine):
    project_id, champion, deployment_id = replayed
    with session_scope(engine) as s:
        s.add(Deployment(project_id=project_id, number=2, case="replacing", mode="canary", champion=f"run:{champion}",
                         champion_run_id=champion, stream={"kind": "scenario"}))
    at = open_page(app)
    assert not at.exception and "Deployment 2 has no prediction log yet" in texts(at.info)


def windows_accuracy(engine, deployment_id):
    """Each of the 10 chunks' realised accuracy, recomputed with scikit-learn on the arrived labels."""
    with session_scope(engine) as s:
        data = monitored_data(s, s.get(Deployment, deployment_id))
    scores = []
    for positions in np.array_split(np.arange(len(data.stream)), 10):
        known = data.labels.iloc[positions].notna().to_numpy()
        scores.append(accuracy_score(data.labels.iloc[positions][known].astype(int),
                                     data.predictions[positions][known].astype(int)))
    return scores


def test_windows_heatmap_and_alerts_from_the_targets(app, replayed, engine):
    project_id, _, deployment_id = replayed
    at = open_page(app)
    assert not at.exception
    windows = table_with(at, "window", "labels arrived")
    assert list(windows["window"]) == [f"Chunk {n}" for n in range(1, 11)]
    # The champion's split is stratified over a year of months: the reference holds late months too.
    assert "was trained on a stratified split" in texts(at.warning) and "“month”" in texts(at.warning)
    expected = windows_accuracy(engine, deployment_id)
    assert windows["accuracy"].to_numpy() == pytest.approx(expected)
    heatmap = at.get("plotly_chart")[0].proto.spec
    assert '"type":"heatmap"' in heatmap.replace(" ", "") and "income" in heatmap and "Chunk 10" in heatmap
    alerts = read(engine, lambda s: s.exec(select(Alert, AlertRule).where(Alert.rule_id == AlertRule.id)).all())
    below = [n for n, score in enumerate(expected, start=1) if score < 0.9]
    assert sorted(a.window for a, r in alerts if r.metric == "accuracy") == below
    assert not [a for a, r in alerts if r.metric == "p95_latency_ms"]  # 10 s is never reached
    at = at.run()  # a second look raises nothing again
    assert len(read(engine, lambda s: s.exec(select(Alert)).all())) == len(alerts)
    badge = [link.label for link in at.get("page_link") if link.label.startswith("Monitoring")]
    assert badge == [f"Monitoring :red-badge[{len(alerts)} open]"]


def test_a_heatmap_click_shows_both_distributions_and_teaching_mode_the_planted_truth(app, replayed, engine):
    at = open_page(app)
    at.session_state["mon.heatmap"] = {"selection": {"points": [{"x": "Chunk 9", "y": "income"}],
                                                     "point_indices": [0], "box": [], "lasso": []}}
    at = at.run()
    assert not at.exception
    distribution = at.get("plotly_chart")[1].proto.spec
    assert "income: reference vs Chunk 9" in distribution and '"name":"reference"' in distribution.replace(" ", "")
    assert "wasserstein" in texts(at.caption)
    at = at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    shown = texts(at.markdown)
    assert "Data drift from 2024-09-01: income, credit_score (income x1.25; credit_score -30 points)." in shown
    assert "Concept drift from 2024-10-01: a stricter policy" in shown and "Columns flagged:" in shown


def test_acknowledging_an_alert_needs_a_note_and_stores_who_and_why(app, replayed, engine):
    at = open_page(app)
    opened = read(engine, lambda s: s.exec(select(Alert).where(Alert.status == "open")).all())
    at.text_input(key="mon.ack_note").input("   ")
    at = at.button(key="FormSubmitter:mon.ack-Acknowledge").click().run()
    assert "Say in a few words" in texts(at.error)
    at.selectbox(key="mon.ack_alert").set_value(opened[-1].id)
    at.text_input(key="mon.ack_note").input("known: the new sales channel")
    at = at.button(key="FormSubmitter:mon.ack-Acknowledge").click().run()
    stored = read(engine, lambda s: s.get(Alert, opened[-1].id))
    assert (stored.status, stored.note, stored.acknowledged_by) == ("acknowledged", "known: the new sales channel",
                                                                   "analyst")
    assert f"Acknowledged the alert of {stored.window_label}" in texts(at.success)
    assert at.metric[0].value == str(len(opened) - 1)


def test_a_user_rule_is_added_and_checked_and_a_bad_threshold_is_refused(app, replayed, engine):
    at = open_page(app)
    at.selectbox(key="mon.rule_metric").set_value("domain_auc")
    at.selectbox(key="mon.rule_comparator").set_value("<=")
    at.text_input(key="mon.rule_threshold").input("half")
    at = at.button(key="FormSubmitter:mon.rule-Add rule").click().run()
    assert "“half” is not a number" in texts(at.error)
    at.selectbox(key="mon.rule_metric").set_value("domain_auc")
    at.selectbox(key="mon.rule_comparator").set_value("<=")
    at.text_input(key="mon.rule_threshold").input("0.55")
    at = at.button(key="FormSubmitter:mon.rule-Add rule").click().run()
    rule = read(engine, lambda s: s.exec(select(AlertRule).where(AlertRule.source == "user")).one())
    alerts = read(engine, lambda s: s.exec(select(Alert).where(Alert.rule_id == rule.id)).all())
    auc = table_with(at, "window", "domain classifier AUC")
    assert (rule.metric, rule.comparator, rule.threshold) == ("domain_auc", "<=", 0.55)
    assert sorted(a.window for a in alerts) == [n for n, v in enumerate(auc["domain classifier AUC"], 1) if v > 0.55]


def wait_for_run(engine, run_id, *, timeout=300):  # the shared test machine can be slow
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = read(engine, lambda s: s.get(Run, run_id))
        if run.status != "running":
            return run
        time.sleep(0.3)
    raise AssertionError("retraining still running")


def test_retraining_from_an_alert_makes_a_challenger_whose_canary_can_start_here(app, replayed, engine):
    project_id, champion, deployment_id = replayed
    at = open_page(app)
    at.multiselect(key="mon.retrain_windows").set_value(["Chunk 7", "Chunk 8"])
    at = at.button(key="FormSubmitter:mon.retrain-Retrain").click().run()
    assert not at.exception
    run = read(engine, lambda s: s.exec(select(Run).where(Run.trigger == "alert")).one())
    assert "is training on" in texts(at.success) and run.parent_run_id == champion
    run = wait_for_run(engine, run.id)
    dataset = read(engine, lambda s: s.get(Dataset, run.dataset_id))
    assert run.status == "finished" and dataset.parent_id is not None and dataset.version == 2
    # The job hands the finished run over as challenger in its next transaction: wait for it.
    deadline = time.monotonic() + 60
    while "challenger" not in read(engine, lambda s: aliases(s, project_id)) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert read(engine, lambda s: aliases(s, project_id)["challenger"].id) == run.id
    at = at.run()
    at = at.button(key=f"mon.canary.{run.id}").click().run()
    assert not at.exception and "a canary of" in texts(at.success)
    canary = read(engine, lambda s: s.exec(select(Deployment).where(Deployment.challenger_run_id == run.id)).one())
    assert canary.mode == "canary" and canary.champion_run_id == champion
    deadline = time.monotonic() + 120  # let the replay end before the database goes
    while read(engine, lambda s: s.get(Deployment, canary.id).status) == "running" and time.monotonic() < deadline:
        time.sleep(0.3)


def test_a_month_without_rows_and_a_column_never_filled_are_explained(app, engine):
    gappy_project(engine)
    at = open_page(app)
    assert not at.exception
    at.selectbox(key="mon.by").set_value("month")
    at = at.button(key="FormSubmitter:mon.settings-Save settings").click().run()
    assert not at.exception
    windows = table_with(at, "window", "labels arrived")
    assert list(windows["window"]) == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert list(windows["requests"]) == [70, 70, 0, 60]
    assert "1 of 4 windows have no rows (2025-03)" in texts(at.warning)
    assert "x2: All 70 current values are missing" in texts(at.caption)


def test_the_automatic_policy_retrains_without_a_click_and_starts_a_shadow_of_the_result(app, replayed, engine):
    project_id, champion, _ = replayed
    with session_scope(engine) as s:
        save_retrain_policy(s, project_id=project_id, enabled=True, alert_kinds=["performance"], max_runs=1,
                            period_days=7, rollout="shadow", recent_windows=2)
    at = open_page(app)
    assert not at.exception and "The automatic retraining policy started" in texts(at.info)
    run = read(engine, lambda s: s.exec(select(Run).where(Run.trigger == "retrain policy")).one())
    assert run.parent_run_id == champion and wait_for_run(engine, run.id).status == "finished"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        shadow = read(engine, lambda s: s.exec(select(Deployment).where(Deployment.challenger_run_id == run.id)).first())
        if shadow is not None and shadow.status != "running":
            break
        time.sleep(0.5)
    assert (shadow.mode, shadow.status, shadow.actor) == ("shadow", "completed", "retrain policy")
    assert read(engine, lambda s: aliases(s, project_id)["challenger"].id) == run.id
    at = at.run()  # a second look raises no new alert, so nothing retrains again
    assert len(read(engine, lambda s: s.exec(select(Run).where(Run.trigger == "retrain policy")).all())) == 1


def test_saved_slices_are_watched_per_window_and_without_one_the_tab_points_at_error_analysis(app, replayed, engine):
    project_id, _, deployment_id = replayed
    at = open_page(app)
    assert not at.exception
    assert "No slice is saved yet" in texts(at.info)
    assert any(link.label == "Go to Error analysis" for link in at.get("page_link"))
    self_employed = SlicePredicate((Condition("employment_type", "==", "self_employed"),))
    with session_scope(engine) as s:
        save_slice(s, project_id=project_id, name="self-employed", predicate=self_employed)
        save_slice(s, project_id=project_id, name="by employer", predicate=SlicePredicate(
            (Condition("employer", "==", "Acme"),)))
        save_slice(s, project_id=project_id, name="blurry", predicate=tag_predicate("blurry"))
    at = open_page(app)
    assert not at.exception and "No slice is saved yet" not in texts(at.info)
    assert '**self-employed** · `employment_type == "self_employed"`' in texts(at.markdown)
    assert "reads the column “employer”, which this data does not have" in texts(at.warning)
    assert "“blurry” reads error tags, which exist only on the Error analysis page, so monitoring cannot place" \
        in texts(at.warning)
    shown = table_with(at, "share of requests", "slice accuracy")
    expected = slice_windows_by_hand(engine, deployment_id, self_employed)
    assert list(shown["window"]) == [f"Chunk {n}" for n in range(1, 11)]
    assert shown["share of requests"].to_numpy() == pytest.approx([e[0] for e in expected])
    assert shown["slice accuracy"].to_numpy() == pytest.approx([e[1] for e in expected])
    assert shown["window accuracy"].to_numpy() == pytest.approx(windows_accuracy(engine, deployment_id))
    assert shown["in slice"].sum() > 0 and shown["labels in slice"].sum() > 0


def slice_windows_by_hand(engine, deployment_id, predicate):
    """Each chunk's share of slice requests and the slice's accuracy with scikit-learn on its arrived labels."""
    with session_scope(engine) as s:
        data = monitored_data(s, s.get(Deployment, deployment_id))
    inside = (data.rows["employment_type"] == "self_employed").to_numpy()
    assert inside.tolist() == slice_mask(data.rows, predicate).tolist()
    numbers = []
    for positions in np.array_split(np.arange(len(data.stream)), 10):
        rows = positions[inside[positions]]
        known = rows[data.labels.iloc[rows].notna().to_numpy()]
        numbers.append((rows.size / positions.size, accuracy_score(data.labels.iloc[known].astype(int),
                                                                    data.predictions[known].astype(int))))
    return numbers
