"""AppTest of the Monitoring page: empty states, windows, the heatmap, alerts, rules, retraining, bad input."""

import shutil
import time

import numpy as np
import pytest
from sklearn.metrics import accuracy_score
from sqlmodel import select

from storage.db import make_engine, session_scope
from storage.deployment.tables import Deployment
from storage.modeling.registry import aliases
from storage.modeling.tables import Run
from storage.data.tables import Dataset
from storage.monitoring.sources import monitored_data
from storage.monitoring.tables import Alert, AlertRule
from tests.pages.conftest import read, texts
from tests.storage.monitoring_factories import add_targets, empty_project, replayed_project

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
    """A fresh copy of the seeded database for this test."""
    shutil.copy(seeded[0], database_url.removeprefix("sqlite:///"))
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
        s.add(Deployment(project_id=project_id, case="replacing", mode="canary", champion=f"run:{champion}",
                         champion_run_id=champion, stream={"kind": "scenario"}))
    at = open_page(app)
    assert not at.exception and "Deployment #2 has no prediction log yet" in texts(at.info)


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
