"""Reading a deployment back: its timeline, its windows' aggregates and its sampled requests."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, col, select

from storage.data.datasets import parquet_to_frame
from storage.deployment.tables import (
    Deployment,
    DeploymentEvent,
    DeploymentSample,
    DeploymentWindow,
    deployment_label,
)

NO_LOG = "{deployment} has no prediction log yet: its replay has not finished."


def label_of(session: Session, deployment_id: int) -> str:
    """Return how the deployment with this id is named to users: “Deployment 2”."""
    return deployment_label(session.get(Deployment, deployment_id))


def events_frame(session: Session, deployment_id: int) -> pd.DataFrame:
    """Return the deployment's timeline in order: stream time, request, what happened, its numbers."""
    rows = session.exec(select(DeploymentEvent).where(DeploymentEvent.deployment_id == deployment_id)
                        .order_by(col(DeploymentEvent.id))).all()
    return pd.DataFrame([{"stream time": e.t, "request": e.request, "event": e.kind,
                          "share %": e.details.get("share"), "details": _describe(e.details)} for e in rows],
                        columns=["stream time", "request", "event", "share %", "details"])


def _describe(details: dict) -> str:
    shown = []
    for key, value in details.items():
        if key == "share" or value in (None, "", []):
            continue
        if isinstance(value, float):
            value = f"{value:.3f}"
        elif isinstance(value, list):
            value = " ".join(str(v) for v in value)
        shown.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(shown)


def list_windows(session: Session, deployment_id: int) -> list[dict]:
    """Return the windows' aggregates in order (see core.deployment.log for their keys)."""
    rows = session.exec(select(DeploymentWindow).where(DeploymentWindow.deployment_id == deployment_id)
                        .order_by(col(DeploymentWindow.number))).all()
    return [row.aggregates for row in rows]


def load_sample(session: Session, deployment_id: int) -> pd.DataFrame:
    """Return the sampled requests (indexed by the stream's row_id); raise ValueError before the log exists."""
    blob = session.exec(select(DeploymentSample.parquet).where(DeploymentSample.deployment_id == deployment_id)).first()
    if blob is None:
        raise ValueError(NO_LOG.format(deployment=label_of(session, deployment_id)))
    return parquet_to_frame(blob)
