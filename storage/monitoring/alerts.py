"""Alerts: a window that broke a rule is raised once, listed with its numbers, and acknowledged with a note.

Checking is idempotent: the same window checked again against the same rule finds the alert it
raised before (one row per rule, deployment and window, kept unique by the table), so opening
the page twice never doubles an alert, and an acknowledged alert stays acknowledged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, col, select

from core.monitoring.bands import Rule, check_rules
from storage.deployment.log import label_of
from storage.fields import utc_now
from storage.monitoring.rules import SOURCES, alert_kind, rule_text
from storage.monitoring.tables import Alert, AlertRule
from storage.project.projects import log_event

NOTE_EMPTY = "Say in a few words why this alert is acknowledged, for example “known: holiday traffic”."
NOT_OPEN = "This alert is already acknowledged (by {who}); its note stays as written."
ALERT_MISSING = "That alert does not exist in this project any more. Pick one from the list."


@dataclass(frozen=True)
class WindowValues:
    """One window's metrics, as checked: its number, its label, metric -> value (NaN where not measured)."""

    number: int
    label: str
    metrics: dict[str, float]


def raise_alerts(session: Session, *, project_id: int, deployment_id: int, rules: Sequence[AlertRule],
                 windows: Sequence[WindowValues], actor: str = "monitoring") -> list[Alert]:
    """Check every window against every rule; store each new breach once; return the alerts raised now."""
    by_rule = {}
    for row in rules:
        by_rule.setdefault(Rule(row.metric, row.comparator, row.threshold, row.source), []).append(row)
    known = _known_keys(session, deployment_id)
    raised = []
    for window in windows:
        measured = {k: v for k, v in window.metrics.items() if v is not None and not _is_nan(v)}
        for breach in check_rules(list(by_rule), measured):
            for row in by_rule[breach.rule]:
                if (row.id, window.number) in known:
                    continue
                known.add((row.id, window.number))
                raised.append(Alert(project_id=project_id, rule_id=row.id, deployment_id=deployment_id,
                                    window=window.number, window_label=window.label, value=float(breach.value)))
    session.add_all(raised)
    session.flush()
    if raised:
        log_event(session, project_id=project_id, actor=actor, action="raised monitoring alerts",
                  details={"deployment": label_of(session, deployment_id), "alerts": len(raised),
                           "rules": sorted({rule_text(_rule(session, a.rule_id)) for a in raised})})
    return raised


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _known_keys(session: Session, deployment_id: int) -> set[tuple[int, int]]:
    rows = session.exec(select(Alert.rule_id, Alert.window).where(Alert.deployment_id == deployment_id)).all()
    return {(rule_id, window) for rule_id, window in rows}


def _rule(session: Session, rule_id: int) -> AlertRule:
    return session.get(AlertRule, rule_id)


def list_alerts(session: Session, project_id: int, deployment_id: int | None = None) -> list[Alert]:
    """Return the project's alerts (or one deployment's), open ones first, then newest first."""
    query = select(Alert).where(Alert.project_id == project_id)
    if deployment_id is not None:
        query = query.where(Alert.deployment_id == deployment_id)
    rows = session.exec(query.order_by(col(Alert.id).desc())).all()
    return sorted(rows, key=lambda a: a.status != "open")


def alerts_frame(session: Session, alerts: Sequence[Alert]) -> pd.DataFrame:
    """Return alerts as a table a user reads: window, rule, value, kind, source, status, note, who, when."""
    rows = []
    for alert in alerts:
        rule = _rule(session, alert.rule_id)
        rows.append({"window": alert.window_label, "rule": rule_text(rule), "value": alert.value,
                     "kind": alert_kind(rule), "source": SOURCES.get(rule.source, rule.source),
                     "status": alert.status, "note": alert.note, "acknowledged by": alert.acknowledged_by,
                     "raised": alert.created_at})
    return pd.DataFrame(rows, columns=["window", "rule", "value", "kind", "source", "status", "note",
                                       "acknowledged by", "raised"])


def open_alert_count(session: Session, project_id: int) -> int:
    """Return how many of the project's alerts are open (the sidebar's badge)."""
    return int(session.exec(select(func.count()).select_from(Alert)
                            .where(Alert.project_id == project_id, Alert.status == "open")).one())


def acknowledge(session: Session, *, project_id: int, alert_id: int, note: str, actor: str = "analyst") -> Alert:
    """Mark an open alert acknowledged with a note, who and when; raise ValueError naming the problem."""
    alert = session.get(Alert, alert_id)
    if alert is None or alert.project_id != project_id:
        raise ValueError(ALERT_MISSING)
    note = " ".join(str(note or "").split())
    if not note:
        raise ValueError(NOTE_EMPTY)
    if alert.status != "open":
        raise ValueError(NOT_OPEN.format(who=alert.acknowledged_by or "someone"))
    alert.status, alert.note = "acknowledged", note[:500]
    alert.acknowledged_by, alert.acknowledged_at = actor, utc_now()
    session.add(alert)
    log_event(session, project_id=project_id, actor=actor, action="acknowledged alert",
              details={"deployment": label_of(session, alert.deployment_id), "window": alert.window_label,
                       "rule": rule_text(_rule(session, alert.rule_id)), "note": alert.note})
    return alert
