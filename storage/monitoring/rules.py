"""Alert rules: from the scoping targets, from reference bands, and added by the user.

Every rule reads one window metric (the names below, as `storage.monitoring.watch` gives them per
window). A target rule mirrors a scoping target, so a target changed at scoping changes its rule
the next time the rules are brought up to date; a band rule comes from one deployment's reference;
a user rule is added by hand. Bringing rules up to date never makes the same rule twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.monitoring.tables import AlertRule
from storage.project.projects import log_event
from storage.scoping.records import list_targets


@dataclass(frozen=True)
class WindowMetric:
    """A number monitoring gives per window: how a user calls it, its alert kind, and which side is bad."""

    label: str
    kind: str  # the alert kind: data drift, input quality, output, performance, software
    bad_when_high: bool  # bands on such metrics keep the upper side only (distances, shares of problems)


WINDOW_METRICS: dict[str, WindowMetric] = {
    "missing_share": WindowMetric("Missing share", "input quality", True),
    "out_of_range_share": WindowMetric("Out-of-range share", "input quality", True),
    "unseen_share": WindowMetric("Unseen-category share", "input quality", True),
    "share_drifted": WindowMetric("Share of drifted columns", "data drift", True),
    "domain_auc": WindowMetric("Domain classifier ROC-AUC", "data drift", True),
    "mean_confidence": WindowMetric("Mean confidence", "output", False),
    "human_share": WindowMetric("Share routed to a person", "output", True),
    "estimated_accuracy": WindowMetric("Estimated accuracy (CBPE)", "performance", False),
    "accuracy": WindowMetric("Accuracy (realised)", "performance", False),
    "balanced_accuracy": WindowMetric("Balanced accuracy (realised)", "performance", False),
    "precision": WindowMetric("Precision (realised)", "performance", False),
    "recall": WindowMetric("Recall (realised)", "performance", False),
    "f1": WindowMetric("F1 (realised)", "performance", False),
    "roc_auc": WindowMetric("ROC-AUC (realised)", "performance", False),
    "error_rate": WindowMetric("Error rate (realised)", "performance", True),
    "p50_latency_ms": WindowMetric("p50 latency (ms)", "software", True),
    "p95_latency_ms": WindowMetric("p95 latency (ms)", "software", True),
    "p99_latency_ms": WindowMetric("p99 latency (ms)", "software", True),
    "throughput_rps": WindowMetric("Throughput (requests/s)", "software", False),
    "failed_share": WindowMetric("Share of failed requests", "software", True),
    "peak_rss_mb": WindowMetric("Peak memory (MB, resident)", "software", True),
}
COMPARATORS = (">=", ">", "<=", "<")
SOURCES = {"target": "scoping target", "band": "reference band", "user": "added by hand"}
# Metrics a band is drawn for: the reference's chunks give them a spread to compare with. Only input
# metrics: the reference is the model's own training rows, on which its confidence is inflated, so a
# band on confidence or estimated accuracy drawn there would flag every production window.
BAND_METRICS = ("missing_share", "out_of_range_share", "unseen_share", "share_drifted", "domain_auc")
UNKNOWN_METRIC = "“{metric}” is not a window metric; choose one of: {names}."
UNKNOWN_COMPARATOR = "“{comparator}” is not a comparison; use >=, >, <= or <."
NOT_A_NUMBER = "The threshold “{value}” is not a number. Type a plain number, for example 0.8."
SAME_RULE = "There is already a rule “{rule}”. Change its threshold by removing it and adding the new one."
# A scoping target reads the same-named window metric; accuracy is also watched on its estimate.
TARGET_METRICS = {"accuracy": ("accuracy", "estimated_accuracy"), "balanced_accuracy": ("balanced_accuracy",),
                  "precision": ("precision",), "recall": ("recall",), "f1": ("f1",), "roc_auc": ("roc_auc",),
                  "p95_latency_ms": ("p95_latency_ms",), "throughput_rps": ("throughput_rps",)}


def rule_text(rule: AlertRule) -> str:
    """Return a rule as a user reads it: "p95 latency (ms) <= 50"."""
    metric = WINDOW_METRICS.get(rule.metric)
    return f"{metric.label if metric else rule.metric} {rule.comparator} {rule.threshold:.4g}"


def alert_kind(rule: AlertRule) -> str:
    metric = WINDOW_METRICS.get(rule.metric)
    return metric.kind if metric else "other"


def list_rules(session: Session, project_id: int, deployment_id: int | None = None) -> list[AlertRule]:
    """Return the active rules that hold for a deployment: the project's and its own bands, oldest first."""
    query = select(AlertRule).where(AlertRule.project_id == project_id, AlertRule.active == True)  # noqa: E712
    rows = session.exec(query.order_by(col(AlertRule.id))).all()
    return [r for r in rows if r.deployment_id is None or r.deployment_id == deployment_id]


def sync_target_rules(session: Session, project_id: int) -> list[AlertRule]:
    """Return the rules mirroring the scoping targets, made or updated as the targets now say."""
    wanted = {}
    for target in list_targets(session, project_id):
        if target.slice:
            continue  # a window has too few rows of one slice to judge it; Experiments checks slice targets
        for metric in TARGET_METRICS.get(target.metric, ()):
            wanted[(metric, target.comparator)] = (target.value, f"scoping target {target.metric} "
                                                                 f"{target.comparator} {target.value:g}")
    existing = {(r.metric, r.comparator): r for r in _rules_from(session, project_id, "target", None)}
    for key, row in existing.items():
        row.active = key in wanted
        session.add(row)
    for (metric, comparator), (value, note) in wanted.items():
        row = existing.get((metric, comparator)) or AlertRule(project_id=project_id, metric=metric,
                                                              comparator=comparator, threshold=value, source="target")
        row.threshold, row.note, row.active = float(value), note, True
        session.add(row)
    session.flush()
    return [r for r in _rules_from(session, project_id, "target", None) if r.active]


def sync_band_rules(session: Session, *, project_id: int, deployment_id: int,
                    bands: dict[str, tuple[float, float]]) -> list[AlertRule]:
    """Return a deployment's band rules, made or updated from (low, high) per metric; a NaN side is no rule."""
    wanted = {}
    for metric, (low, high) in bands.items():
        if not math.isnan(high):
            wanted[(metric, "<=")] = high
        if not WINDOW_METRICS[metric].bad_when_high and not math.isnan(low):
            wanted[(metric, ">=")] = low
    existing = {(r.metric, r.comparator): r for r in _rules_from(session, project_id, "band", deployment_id)}
    for key, row in existing.items():
        row.active = key in wanted
        session.add(row)
    for (metric, comparator), value in wanted.items():
        row = existing.get((metric, comparator)) or AlertRule(project_id=project_id, deployment_id=deployment_id,
                                                              metric=metric, comparator=comparator, threshold=value,
                                                              source="band")
        row.threshold, row.active = float(value), True
        side = " (upper side)" if comparator == "<=" else " (lower side)"
        row.note = "mean ± 3σ over the reference's chunks" + side
        session.add(row)
    session.flush()
    return [r for r in _rules_from(session, project_id, "band", deployment_id) if r.active]


def _rules_from(session: Session, project_id: int, source: str, deployment_id: int | None) -> list[AlertRule]:
    query = select(AlertRule).where(AlertRule.project_id == project_id, AlertRule.source == source,
                                    AlertRule.deployment_id == deployment_id)
    return list(session.exec(query.order_by(col(AlertRule.id))))


def add_user_rule(session: Session, *, project_id: int, metric: str, comparator: str, threshold,
                  note: str = "", actor: str = "analyst") -> AlertRule:
    """Check and store a rule the user adds for the whole project; raise ValueError naming the problem."""
    if metric not in WINDOW_METRICS:
        raise ValueError(UNKNOWN_METRIC.format(metric=metric, names=", ".join(WINDOW_METRICS)))
    if comparator not in COMPARATORS:
        raise ValueError(UNKNOWN_COMPARATOR.format(comparator=comparator))
    value = _number(threshold)
    row = AlertRule(project_id=project_id, metric=metric, comparator=comparator, threshold=value, source="user",
                    note=" ".join(str(note).split())[:200], actor=actor)
    if any((r.metric, r.comparator, r.threshold) == (metric, comparator, value)
           for r in _rules_from(session, project_id, "user", None) if r.active):
        raise ValueError(SAME_RULE.format(rule=rule_text(row)))
    session.add(row)
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="added alert rule",
              details={"rule": rule_text(row), "note": row.note})
    return row


def remove_user_rule(session: Session, *, project_id: int, rule_id: int, actor: str = "analyst") -> None:
    """Switch off a user rule (its alerts stay, as a record)."""
    row = session.get(AlertRule, rule_id)
    if row is None or row.project_id != project_id or row.source != "user":
        raise ValueError("That rule is not one you added in this project; only rules added by hand can be removed.")
    row.active = False
    session.add(row)
    log_event(session, project_id=project_id, actor=actor, action="removed alert rule",
              details={"rule": rule_text(row)})


def _number(value) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(NOT_A_NUMBER.format(value=value)) from None
    if not math.isfinite(number):
        raise ValueError(NOT_A_NUMBER.format(value=value))
    return number
