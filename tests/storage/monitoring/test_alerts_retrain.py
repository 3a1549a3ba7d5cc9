"""Checking a deployment: alerts raised once, acknowledged with a note; retraining with lineage; the policy's cap."""

import shutil

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_score
from sqlmodel import select

from core.monitoring.performance import concept_drift
from storage.data.tables import Dataset
from storage.db import make_engine, session_scope
from storage.modeling.registry import aliases
from storage.modeling.runs import run_label
from storage.modeling.tables import Run
from storage.monitoring import alerts as alerts_store
from storage.monitoring.alerts import WindowValues, raise_alerts
from storage.monitoring.retrain import execute_retrain, prepare_retrain
from storage.monitoring.rules import add_user_rule, list_rules
from storage.monitoring.settings import save_retrain_policy
from storage.monitoring.tables import Alert, AlertRule
from storage.monitoring.watch import check_deployment, watch_deployment
from storage.data.datasets import latest_split, load_frame, load_ground_truth, load_split
from storage.project.projects import list_events
from tests.storage.monitoring_factories import add_targets, replayed_project


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    engine = make_engine(f"sqlite:///{path}")
    ids = replayed_project(engine)
    engine.dispose()
    return path, ids


@pytest.fixture
def replayed(seed, tmp_path):
    path = tmp_path / "test.db"
    shutil.copy(seed[0], path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine, *seed[1]
    engine.dispose()


def load_frame_of(engine, dataset_id):
    with session_scope(engine) as s:
        return load_frame(s, dataset_id)


def watch(engine, project_id, deployment_id):
    with session_scope(engine) as s:
        return watch_deployment(s, project_id=project_id, deployment_id=deployment_id)


def test_raising_is_idempotent_and_an_acknowledged_alert_stays_acknowledged(replayed):
    engine, project_id, _, _, deployment_id = replayed
    with session_scope(engine) as s:
        rule = add_user_rule(s, project_id=project_id, metric="share_drifted", comparator="<", threshold=0.1)
        windows = [WindowValues(1, "Chunk 1", {"share_drifted": 0.05}), WindowValues(2, "Chunk 2",
                                                                                     {"share_drifted": 0.2}),
                   WindowValues(3, "Chunk 3", {"share_drifted": float("nan")})]
        first = raise_alerts(s, project_id=project_id, deployment_id=deployment_id, rules=[rule], windows=windows)
        again = raise_alerts(s, project_id=project_id, deployment_id=deployment_id, rules=[rule], windows=windows)
    assert [(a.window, a.value) for a in first] == [(2, 0.2)] and again == []
    with pytest.raises(ValueError, match="Say in a few words"), session_scope(engine) as s:
        alerts_store.acknowledge(s, project_id=project_id, alert_id=first[0].id, note="   ")
    with session_scope(engine) as s:
        alerts_store.acknowledge(s, project_id=project_id, alert_id=first[0].id, note="known: new channel", actor="ana")
        assert alerts_store.open_alert_count(s, project_id) == 0
        raise_alerts(s, project_id=project_id, deployment_id=deployment_id, rules=[rule], windows=windows)
        stored = s.exec(select(Alert)).all()
        events = set(list_events(s, project_id)["what"])
    assert [(a.status, a.note, a.acknowledged_by) for a in stored] == [("acknowledged", "known: new channel", "ana")]
    assert {"raised monitoring alerts", "acknowledged alert"} <= events


def test_checking_a_deployment_makes_target_and_band_rules_and_alerts_every_breaching_window(replayed):
    engine, project_id, _, _, deployment_id = replayed
    add_targets(engine, project_id, "accuracy >= 0.9")
    monitoring = watch(engine, project_id, deployment_id)
    with session_scope(engine) as s:
        checked = check_deployment(s, monitoring=monitoring)
        rules = {(r.source, r.metric, r.comparator): r for r in list_rules(s, project_id, deployment_id)}
    table = monitoring.table
    reference = monitoring.result.reference_windows["share_drifted"]
    high = reference.mean() + 3 * reference.std(ddof=0)  # NannyML's band, upper side only for a distance
    assert rules[("band", "share_drifted", "<=")].threshold == pytest.approx(high)
    assert ("band", "share_drifted", ">=") not in rules
    expected = {("accuracy", n) for n, v in zip(table["window"], table["accuracy"]) if v < 0.9}
    expected |= {("estimated_accuracy", n) for n, v in zip(table["window"], table["estimated_accuracy"]) if v < 0.9}
    for (source, metric, comparator), rule in rules.items():
        if source == "band":  # every band here is an upper bound: these metrics are bad when high
            assert comparator == "<="
            expected |= {(metric, n) for n, v in zip(table["window"], table[metric]) if v > rule.threshold}
    with session_scope(engine) as s:
        found = {(s.get(AlertRule, a.rule_id).metric, a.window) for a in s.exec(select(Alert)).all()}
        again = check_deployment(s, monitoring=monitoring)
    assert found == expected and len(checked.raised) == len(expected) > 0 and again.raised == []


def test_a_retrain_makes_a_dataset_version_with_lineage_and_a_run_handed_over_as_challenger(replayed):
    engine, project_id, dataset_id, champion, deployment_id = replayed
    monitoring = watch(engine, project_id, deployment_id)
    chosen = monitoring.windows[-3:-1]
    with session_scope(engine) as s:
        made = prepare_retrain(s, data=monitoring.data, windows=chosen, trigger="alert", alert_id=None, actor="ana")
    arrived = sum(int(monitoring.data.labels.iloc[w.positions].notna().sum()) for w in chosen)
    with session_scope(engine) as s:
        dataset, run = s.get(Dataset, made.dataset_id), s.get(Run, made.run.id)
        parent_rows = len(load_frame(s, dataset_id))
        split = load_split(latest_split(s, dataset.id))
        parent_split = load_split(latest_split(s, dataset_id))
    assert dataset.parent_id == dataset_id and dataset.n_rows == parent_rows + arrived == parent_rows + made.rows_added
    assert (run.trigger, run.parent_run_id, run.dataset_id, run.status) == ("alert", champion, dataset.id, "running")
    added = load_frame_of(engine, dataset.id).drop(index=load_frame_of(engine, dataset_id).index)
    assert added["approved"].dtype == load_frame_of(engine, dataset_id)["approved"].dtype  # same classes, same type
    assert (split.value_counts()["train"] == parent_split.value_counts()["train"] + arrived)
    assert split.drop(parent_split.index).eq("train").all() and split[parent_split.index].equals(parent_split)
    assert execute_retrain(engine, run_id=run.id, prepared=made.prepared, deployment_id=deployment_id) == "finished"
    with session_scope(engine) as s:
        assert aliases(s, project_id)["challenger"].id == run.id
        events = list(list_events(s, project_id)["what"])
    assert {"started retraining", "handed retrained run to deployment"} <= set(events)


def test_a_retrain_needs_labelled_windows(replayed):
    engine, project_id, _, _, deployment_id = replayed
    monitoring = watch(engine, project_id, deployment_id)
    with pytest.raises(ValueError, match="Choose at least one window"), session_scope(engine) as s:
        prepare_retrain(s, data=monitoring.data, windows=[], trigger="alert")
    last = monitoring.windows[-1]
    unlabelled = type(last)(last.number, last.label, last.start, last.end,
                            last.positions[monitoring.data.labels.iloc[last.positions].isna().to_numpy()])
    with pytest.raises(ValueError, match="has no labels yet"), session_scope(engine) as s:
        prepare_retrain(s, data=monitoring.data, windows=[unlabelled], trigger="alert")
    with session_scope(engine) as s:
        assert len(s.exec(select(Dataset)).all()) == 1  # nothing written


def test_the_policy_retrains_on_chosen_alert_kinds_within_its_cap_and_logs_each_step(replayed):
    engine, project_id, _, champion, deployment_id = replayed
    monitoring = watch(engine, project_id, deployment_id)
    with session_scope(engine) as s:
        assert check_deployment(s, monitoring=monitoring).retrain is None  # off by default
        save_retrain_policy(s, project_id=project_id, enabled=True, alert_kinds=["performance"], max_runs=1,
                            period_days=7, recent_windows=2)
        add_user_rule(s, project_id=project_id, metric="accuracy", comparator=">=", threshold=0.99)
    with session_scope(engine) as s:
        first = check_deployment(s, monitoring=monitoring)
    with session_scope(engine) as s:
        add_user_rule(s, project_id=project_id, metric="accuracy", comparator=">=", threshold=0.995)
    with session_scope(engine) as s:
        second = check_deployment(s, monitoring=monitoring)
        runs = s.exec(select(Run).where(Run.trigger == "retrain policy")).all()
        events = list(list_events(s, project_id)["what"])
    assert first.retrain is not None and second.raised and second.retrain is None
    assert [(r.parent_run_id, r.actor) for r in runs] == [(champion, "retrain policy")]
    assert first.retrain.rows_added == sum(int(monitoring.data.labels.iloc[w.positions].notna().sum())
                                           for w in monitoring.windows[-2:])
    assert {"automatic retraining fired", "automatic retraining held back"} <= set(events)
    with session_scope(engine) as s:  # the version's record of why it was made, in words and numbers, no ids
        record = load_ground_truth(s, first.retrain.dataset_id)["retrain"]
        parent = run_label(s.get(Run, champion))
    assert (record["deployment"], record["parent_run"], record["trigger"]) == ("Deployment 1", parent, "retrain policy")
    assert record["alert"].startswith("accuracy >= 0.99 broken in ") and record["windows"] == [
        w.label for w in monitoring.windows[-2:]]


def test_concept_drift_is_judged_against_the_run_s_dev_precision_not_its_training_rows(replayed):
    engine, project_id, dataset_id, champion, deployment_id = replayed
    monitoring = watch(engine, project_id, deployment_id)
    data, table = monitoring.data, monitoring.table
    with session_scope(engine) as s:
        frame = load_frame(s, dataset_id)
        dev = load_split(latest_split(s, dataset_id)).reindex(frame.index).eq("dev").to_numpy()
    assert list(data.dev_labels.index) == list(frame.index[dev])
    dev_predictions = np.asarray(data.classes)[data.dev_proba.argmax(axis=1)]
    expected = precision_score(data.dev_labels.astype(int), dev_predictions.astype(int), pos_label=1)
    calls = [concept_drift(expected - p, share, metric="precision")
             for p, share in zip(table["precision"], table["share_drifted"])]
    assert [None if pd.isna(call) else call for call in table["concept_drift"]] == calls
