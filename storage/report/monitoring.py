"""What the report says about monitoring: the one place monitoring's alerts reach the report.

Monitoring's tables (windows, alert rules, alerts) are not part of this version of the app, so
`monitoring_facts` says plainly why nothing is monitored. When monitoring lands, this function —
and nothing else in the report — reads its open alerts and the columns and months it flagged
(see `MonitoringInputs`); the report's section, the model card's monitoring plan and the teaching
reveal's drift and policy-change scores follow from it.
"""

import pandas as pd
from sqlmodel import Session, SQLModel, func, select

from core.report.operations import MonitoringInputs
from storage.deployment.tables import Deployment

ALERT_COLUMNS = ["raised", "metric", "value", "threshold", "window"]
MONITORING_TABLES = ("monitor_window", "alert_rule", "alert")
NOTHING_DEPLOYED = ("Nothing is deployed yet, so nothing is monitored. Replay a rollout of the champion on the "
                    "Deployment page first.")
NOT_AVAILABLE = ("Deployed, but not monitored: monitoring (drift, alerts, retraining) is not part of this version "
                 "of the app. The deployment history shows what the rollouts measured.")
NOT_READ = "Deployed; the report does not read monitoring's alerts yet, so open alerts are not shown here."


def monitoring_facts(session: Session, project_id: int) -> MonitoringInputs:
    """Return monitoring's status for the project: not monitored (and why), or its open alerts."""
    deployed = session.exec(select(func.count()).select_from(Deployment)
                            .where(Deployment.project_id == project_id)).one()
    no_alerts = pd.DataFrame(columns=ALERT_COLUMNS)
    if not deployed:
        return MonitoringInputs(False, NOTHING_DEPLOYED, no_alerts)
    if not any(name in SQLModel.metadata.tables for name in MONITORING_TABLES):
        return MonitoringInputs(False, NOT_AVAILABLE, no_alerts)
    # Monitoring's tables exist: read its open alerts (ALERT_COLUMNS), the columns it flagged as
    # drifted and the month of its first performance drop here, and return monitored=True.
    return MonitoringInputs(False, NOT_READ, no_alerts)
