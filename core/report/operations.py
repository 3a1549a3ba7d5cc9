"""The report's last sections: deployment history, monitoring and its open alerts, the project timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from core.report.document import Fact, Section, Table

DEPLOYMENT_COLUMNS = ["deployment", "started", "mode", "case", "running side", "candidate", "status", "candidate share",
                      "requests", "by"]
NO_DEPLOYMENT = ("No rollout has been replayed yet. Plan a shadow, canary or blue-green rollout of the champion "
                 "on the Deployment page.")
TIMELINE_ROWS = 30


def deployment_section(history: pd.DataFrame) -> Section:
    """Return every replayed rollout, newest first: mode, sides, outcome and traffic."""
    base = dict(key="deployment", title="Deployment history", page="pages/8_deployment.py", page_label="Deployment")
    if history.empty:
        return Section(**base, status="not done", missing=NO_DEPLOYMENT)
    outcomes, latest = history["status"].value_counts(), history.iloc[0]
    facts = (Fact("Rollouts", f"{len(history):,}"),
             Fact("Outcomes", ", ".join(f"{n} {status}" for status, n in outcomes.items())),
             Fact("Latest", f"{latest['deployment']}, {latest['mode']} of {latest['candidate']}: {latest['status']}"))
    done = history["status"].isin(["completed", "promoted", "rolled back"]).any()
    return Section(**base, status="done" if done else "partly", facts=facts,
                   tables=(Table("Rollouts", history[DEPLOYMENT_COLUMNS]),))


@dataclass(frozen=True)
class MonitoringInputs:
    """What monitoring can say for the project: whether it runs, why not, and its open alerts."""

    monitored: bool
    reason: str  # when not monitored: why, and what to do
    open_alerts: pd.DataFrame  # columns: raised, metric, value, threshold, window
    drifted_columns: tuple[str, ...] = ()  # columns monitoring flagged as drifted (for the reveal)
    page: str = "pages/8_deployment.py"  # where the section links: Deployment until a replay exists, then Monitoring
    page_label: str = "Deployment"
    drift_month: str = ""  # the month (YYYY-MM) of the first window flagged for data drift
    performance_drop_month: str = ""  # the month of the first window whose performance fell (a policy change)


def monitoring_section(inputs: MonitoringInputs) -> Section:
    """Return monitoring's status and its open alerts, or plainly why nothing is monitored yet."""
    base = dict(key="monitoring", title="Monitoring and open alerts", page=inputs.page, page_label=inputs.page_label)
    if not inputs.monitored:
        return Section(**base, status="not done", missing=inputs.reason)
    alerts = inputs.open_alerts
    facts = (Fact("Open alerts", f"{len(alerts):,}"),)
    tables = (Table("Open alerts", alerts),) if len(alerts) else ()
    return Section(**base, status="done", facts=facts, tables=tables)


def timeline_section(events: pd.DataFrame, *, total: int) -> Section:
    """Return the latest project events (who did what, when), newest first."""
    base = dict(key="timeline", title="Project timeline", page="app.py", page_label="Projects")
    if events.empty:
        return Section(**base, status="not done", missing="Nothing has happened in this project yet.")
    shown = events.head(TIMELINE_ROWS).assign(when=lambda f: pd.to_datetime(f["when"]).dt.strftime("%Y-%m-%d %H:%M"))
    facts = (Fact("Events", f"{total:,}"), Fact("Shown", f"the latest {len(shown):,}"))
    return Section(**base, status="done", facts=facts, tables=(Table("Timeline (UTC)", shown),))


def rollout_rows(rows: Sequence[dict]) -> pd.DataFrame:
    """Return the deployment history as a frame in the shown column order (rows already named for users)."""
    return pd.DataFrame(list(rows), columns=DEPLOYMENT_COLUMNS)
