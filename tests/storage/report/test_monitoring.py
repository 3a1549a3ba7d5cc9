"""What the report reads from monitoring: nothing deployed, no finished replay, and a checked loan replay."""

import shutil

import pytest
from sqlmodel import select

from storage.db import make_engine, session_scope
from storage.deployment.tables import Deployment
from storage.monitoring.alerts import acknowledge
from storage.monitoring.rules import alert_kind, list_rules
from storage.monitoring.tables import Alert
from storage.monitoring.watch import check_deployment, watch_deployment
from storage.report import monitoring as report_monitoring
from storage.report.monitoring import ALERT_COLUMNS, monitoring_facts
from tests.storage.monitoring_factories import empty_project, replayed_project

PLANTED = {"income", "credit_score"}  # loan_approval's drifted columns, from month 9
POLICY_MONTH = "2024-10"  # the planted policy change starts a month after the drift


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """A loan replay from month 6 (3,000 requests in 10 chunks), checked by monitoring once."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    engine = make_engine(f"sqlite:///{path}")
    project_id, _, _, deployment_id = replayed_project(engine)
    with session_scope(engine) as s:
        watched = watch_deployment(s, project_id=project_id, deployment_id=deployment_id)
        check_deployment(s, monitoring=watched)
    engine.dispose()
    return path, project_id, deployment_id, watched


@pytest.fixture
def checked(seed, tmp_path):
    path = tmp_path / "test.db"
    shutil.copy(seed[0], path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine, *seed[1:]
    engine.dispose()


def facts(engine, project_id):
    with session_scope(engine) as s:
        return monitoring_facts(s, project_id)


def test_a_project_with_nothing_deployed_is_not_monitored_and_points_to_deployment(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    found = facts(engine, empty_project(engine))
    assert not found.monitored and found.reason == report_monitoring.NOTHING_DEPLOYED
    assert found.page == "pages/8_deployment.py" and list(found.open_alerts.columns) == ALERT_COLUMNS


def test_a_replay_not_finished_yet_is_not_monitored(checked):
    engine, project_id, deployment_id, _ = checked
    with session_scope(engine) as s:
        s.get(Deployment, deployment_id).status = "running"
    found = facts(engine, project_id)
    assert not found.monitored and found.reason == report_monitoring.NO_FINISHED_REPLAY
    assert found.page == "pages/9_monitoring.py" and found.drifted_columns == ()


def test_a_checked_replay_gives_its_flagged_columns_months_and_open_alerts(checked):
    engine, project_id, deployment_id, watched = checked
    found = facts(engine, project_id)
    assert found.monitored and found.page == "pages/9_monitoring.py" and found.page_label == "Monitoring"
    drift = watched.result.drift
    assert set(found.drifted_columns) == set(drift.loc[drift["drifted"], "column"])  # every window's flags
    assert PLANTED <= set(found.drifted_columns)  # both planted columns are found
    assert found.performance_drop_month == POLICY_MONTH  # the concept-drift call starts with the policy
    with session_scope(engine) as s:
        alerts = s.exec(select(Alert).where(Alert.project_id == project_id).order_by(Alert.id.desc())).all()
        expected = [(a.window_label, round(a.value, 4)) for a in alerts]
    assert list(zip(found.open_alerts["window"], found.open_alerts["value"])) == expected and expected
    drift_windows = watched.table.set_index("window")
    first = min(a.window for a in alerts if a.rule_id in _drift_rule_ids(engine, project_id, deployment_id))
    assert found.drift_month == drift_windows.loc[first, "end"].strftime("%Y-%m") == "2024-10"


def _drift_rule_ids(engine, project_id, deployment_id):
    with session_scope(engine) as s:
        return {r.id for r in list_rules(s, project_id, deployment_id) if alert_kind(r) == "data drift"}


def test_an_acknowledged_alert_leaves_the_open_alerts(checked):
    engine, project_id, _, _ = checked
    before = facts(engine, project_id).open_alerts
    with session_scope(engine) as s:
        first = s.exec(select(Alert).where(Alert.project_id == project_id)).first()
        acknowledge(s, project_id=project_id, alert_id=first.id, note="known: a new sales channel")
    assert len(facts(engine, project_id).open_alerts) == len(before) - 1
