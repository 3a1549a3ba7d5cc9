"""Alert rules from targets, bands and by hand; monitoring settings and the retraining policy, checked."""

import math

import pytest
from sqlmodel import select

from storage.db import session_scope
from storage.monitoring import rules, settings
from storage.monitoring.tables import AlertRule, RetrainPolicy
from storage.project.projects import list_events
from storage.scoping.records import list_targets
from tests.storage.monitoring_factories import add_targets, empty_project


def active(engine, project_id, source):
    with session_scope(engine) as s:
        return sorted((r.metric, r.comparator, r.threshold) for r in rules.list_rules(s, project_id)
                      if r.source == source)


def test_target_rules_mirror_ml_and_software_targets_and_follow_their_changes(engine):
    project_id = empty_project(engine)
    add_targets(engine, project_id, "accuracy >= 0.8", "f1 >= 0.75", "p95_latency_ms <= 50",
                "recall[sex=F] >= 0.7", "memory_mb <= 500", "manual reviews per day <= 40 reviews")
    with session_scope(engine) as s:
        rules.sync_target_rules(s, project_id)
    # Accuracy is watched realised and estimated; slice, memory and business targets have no window metric.
    assert active(engine, project_id, "target") == [
        ("accuracy", ">=", 0.8), ("estimated_accuracy", ">=", 0.8), ("f1", ">=", 0.75),
        ("p95_latency_ms", "<=", 50.0)]
    with session_scope(engine) as s:  # the f1 target is raised, the latency target removed
        for target in list_targets(s, project_id):
            if target.metric == "f1":
                target.value = 0.8
                s.add(target)
            if target.metric == "p95_latency_ms":
                s.delete(target)
    with session_scope(engine) as s:
        rules.sync_target_rules(s, project_id)
        rules.sync_target_rules(s, project_id)  # twice: never a second copy
        count = len(s.exec(select(AlertRule).where(AlertRule.project_id == project_id)).all())
    assert active(engine, project_id, "target") == [
        ("accuracy", ">=", 0.8), ("estimated_accuracy", ">=", 0.8), ("f1", ">=", 0.8)]
    assert count == 4  # the latency rule is kept, switched off, for the alerts it raised


def test_band_rules_keep_the_upper_side_only_for_metrics_bad_when_high(engine):
    project_id = empty_project(engine)
    bands = {"missing_share": (-0.01, 0.03), "mean_confidence": (0.7, 0.9), "share_drifted": (math.nan, math.nan)}
    with session_scope(engine) as s:
        made = rules.sync_band_rules(s, project_id=project_id, deployment_id=None, bands=bands)
        again = rules.sync_band_rules(s, project_id=project_id, deployment_id=None, bands=bands)
    assert sorted((r.metric, r.comparator, r.threshold) for r in made) == [
        ("mean_confidence", "<=", 0.9), ("mean_confidence", ">=", 0.7), ("missing_share", "<=", 0.03)]
    assert [r.id for r in again] == [r.id for r in made]


def test_a_user_rule_is_checked_stored_logged_and_not_repeated(engine):
    project_id = empty_project(engine)
    with session_scope(engine) as s:
        row = rules.add_user_rule(s, project_id=project_id, metric="share_drifted", comparator=">=", threshold="0.3",
                                  note="  half   the columns ")
    assert (row.source, row.threshold, row.note) == ("user", 0.3, "half the columns")
    assert rules.rule_text(row) == "Share of drifted columns >= 0.3"
    for metric, comparator, value, message in [
        ("weather", ">=", 1, "is not a window metric"), ("f1", "=", 1, "is not a comparison"),
        ("f1", ">=", "high", "is not a number"), ("f1", ">=", "nan", "is not a number"),
        ("share_drifted", ">=", 0.3, "There is already a rule")]:
        with pytest.raises(ValueError, match=message), session_scope(engine) as s:
            rules.add_user_rule(s, project_id=project_id, metric=metric, comparator=comparator, threshold=value)
    with session_scope(engine) as s:
        assert "added alert rule" in set(list_events(s, project_id)["what"])
        rules.remove_user_rule(s, project_id=project_id, rule_id=row.id)
    assert active(engine, project_id, "user") == []


def test_window_settings_default_save_and_refuse_bad_values(engine):
    project_id = empty_project(engine)
    with session_scope(engine) as s:
        assert settings.window_settings(s, 999) == settings.WindowSettings()
    for bad, message in [(dict(by="hour"), "is not a windowing"), (dict(n_chunks=1), "2 to 100 chunks"),
                         (dict(share_threshold=0), "between 0 and 1"), (dict(methods={"x": "t-test"}), "not a drift")]:
        with pytest.raises(ValueError, match=message):
            settings.check_window_settings(settings.WindowSettings(**bad), methods_known=["ks", "psi"])


def test_the_retraining_policy_is_off_by_default_and_its_cap_is_checked(engine):
    project_id = empty_project(engine)
    with session_scope(engine) as s:
        policy = settings.retrain_policy(s, project_id)
        assert (policy.enabled, policy.alert_kinds, policy.id) == (False, [], None)
        settings.save_retrain_policy(s, project_id=project_id, enabled=True, alert_kinds=["data drift"], max_runs=2,
                                     period_days=7, rollout="canary")
    with pytest.raises(ValueError, match="not a kind of alert"), session_scope(engine) as s:
        settings.save_retrain_policy(s, project_id=project_id, enabled=True, alert_kinds=["weather"], max_runs=1,
                                     period_days=7)
    with pytest.raises(ValueError, match="1 to 20 times"), session_scope(engine) as s:
        settings.save_retrain_policy(s, project_id=project_id, enabled=True, alert_kinds=[], max_runs=0,
                                     period_days=7)
    with session_scope(engine) as s:
        stored = s.exec(select(RetrainPolicy)).one()
        assert (stored.enabled, stored.alert_kinds, stored.max_runs, stored.rollout) == (True, ["data drift"], 2, "canary")
        assert "switched on automatic retraining" in set(list_events(s, project_id)["what"])
