"""What the report says about monitoring: the one place monitoring's alerts and results reach the report.

Monitoring stores only its alert rules and the alerts it raised; window results are recomputed from
a deployment's replay on demand (`storage.monitoring.watch`). So the report lists the project's open
alerts as stored, and recomputes the latest finished replay's windows to name the columns flagged as
drifted, the month drift was first flagged and the month performance first fell: the report's
section, the model card's monitoring plan and the teaching reveal's drift and policy scores follow.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlmodel import Session

from core.report.operations import MonitoringInputs
from storage.deployment.deployments import list_deployments
from storage.deployment.tables import Deployment
from storage.monitoring.alerts import list_alerts
from storage.monitoring.rules import WINDOW_METRICS, alert_kind
from storage.monitoring.tables import Alert, AlertRule
from storage.monitoring.watch import DeploymentMonitoring, watch_deployment

ALERT_COLUMNS = ["raised", "metric", "value", "threshold", "window"]
MONITORING_PAGE, MONITORING_LABEL = "pages/9_monitoring.py", "Monitoring"
Watch = Callable[..., DeploymentMonitoring]
NOTHING_DEPLOYED = ("Nothing is deployed yet, so nothing is monitored. Replay a rollout of the champion on the "
                    "Deployment page first.")
NO_FINISHED_REPLAY = ("Deployed, but no replay has finished yet, so there is no production stream to monitor. "
                      "Monitoring starts once a replay on the Deployment page has finished.")
NOT_COMPUTED = "Monitoring could not compare the latest replay with its reference: {error}"


def monitoring_facts(session: Session, project_id: int, *, watch: Watch = watch_deployment) -> MonitoringInputs:
    """Return monitoring's status: not monitored (and why), or its open alerts and what the latest replay shows.

    `watch` computes a deployment's monitoring; a page passes its cached one, since a replay of thousands of
    requests takes seconds to monitor again.
    """
    rows = list_deployments(session, project_id)
    page = dict(page=MONITORING_PAGE, page_label=MONITORING_LABEL)
    if not rows:
        return MonitoringInputs(False, NOTHING_DEPLOYED, _no_alerts(), page="pages/8_deployment.py",
                                page_label="Deployment")
    watched = next((row for row in rows if _has_log(row)), None)
    if watched is None:
        return MonitoringInputs(False, NO_FINISHED_REPLAY, _no_alerts(), **page)
    try:
        monitoring = watch(session, project_id=project_id, deployment_id=watched.id)
    except ValueError as error:
        return MonitoringInputs(False, NOT_COMPUTED.format(error=error), _no_alerts(), **page)
    return MonitoringInputs(True, "", open_alerts(session, project_id), drifted_columns=drifted_columns(monitoring),
                            drift_month=window_month(monitoring, first_drift_alert(session, project_id, watched.id)),
                            performance_drop_month=window_month(monitoring, first_concept_drift(monitoring)), **page)


def _has_log(row: Deployment) -> bool:
    """A replay monitoring can read: finished (whatever it decided) with its windows logged (as the page asks)."""
    return row.status not in ("running", "failed", "interrupted") and bool((row.summary or {}).get("windows"))


def _no_alerts() -> pd.DataFrame:
    return pd.DataFrame(columns=ALERT_COLUMNS)


def open_alerts(session: Session, project_id: int) -> pd.DataFrame:
    """Return the project's open alerts, newest first, in the report's columns."""
    alerts = [a for a in list_alerts(session, project_id) if a.status == "open"]
    return pd.DataFrame([_alert_row(session, alert) for alert in alerts], columns=ALERT_COLUMNS)


def _alert_row(session: Session, alert: Alert) -> dict:
    rule = session.get(AlertRule, alert.rule_id)
    metric = WINDOW_METRICS.get(rule.metric)
    return {"raised": alert.created_at.strftime("%Y-%m-%d %H:%M"), "metric": metric.label if metric else rule.metric,
            "value": round(alert.value, 4), "threshold": f"{rule.comparator} {rule.threshold:.4g}",
            "window": alert.window_label}


def drifted_columns(monitoring: DeploymentMonitoring) -> tuple[str, ...]:
    """Return the columns flagged as drifted in at least one window, in the stream's column order."""
    drift = monitoring.result.drift
    return tuple(str(c) for c in pd.unique(drift.loc[drift["drifted"].astype(bool), "column"]))


def first_drift_alert(session: Session, project_id: int, deployment_id: int) -> int | None:
    """Return the first window with a data-drift alert (share of drifted columns, domain classifier), if any.

    One column crossing its threshold in one window is common noise; an alert means the window left
    the reference's band (or a rule the user set), which is when monitoring calls drift.
    """
    windows = [a.window for a in list_alerts(session, project_id, deployment_id)
               if alert_kind(session.get(AlertRule, a.rule_id)) == "data drift"]
    return min(windows, default=None)


def first_concept_drift(monitoring: DeploymentMonitoring) -> int | None:
    """Return the first window whose realised performance fell (the concept-drift call), if any."""
    table = monitoring.table
    if "concept_drift" not in table:
        return None
    called = table.loc[table["concept_drift"].notna(), "window"]
    return int(called.iloc[0]) if len(called) else None


def window_month(monitoring: DeploymentMonitoring, window: int | None) -> str:
    """Return the month (YYYY-MM) by whose end the window closes; "" for no window or windows without time.

    A window of equal chunks can straddle two months; a change is seen once the window holding it
    closes, so its last request's month is the month it was flagged in.
    """
    if window is None:
        return ""
    rows = monitoring.table[monitoring.table["window"] == window]
    if rows.empty:
        return ""
    end = pd.to_datetime(rows["end"].iloc[0], errors="coerce")
    return "" if pd.isna(end) else end.strftime("%Y-%m")
