"""Tables of the deployment stage: a deployment, its timeline, and its compact prediction log."""

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


class Deployment(SQLModel, table=True):
    """A replayed rollout of a candidate run against the running side (running → completed/rolled back/...).

    `number` is what users see ("Deployment 2"): counted within the project, so it stays the same
    in an export and an import.
    """

    __table_args__ = (Index("ix_deployment_project_number", "project_id", "number", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    number: int
    case: str = Field(max_length=30)
    mode: str = Field(max_length=20)
    champion: str = Field(max_length=120)  # what ran before: "run:3", "legacy_rule" or "human"
    champion_run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL")
    challenger_run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL", index=True)
    stream: dict = json_field()  # how to rebuild the stream: kind, dataset, size, start month, seed
    plan: dict = json_field()  # the rollout settings: ramp, step size, margin, minimum labels, delay, batch
    automation: dict = json_field()  # degree of automation, threshold, costs, human accuracy
    status: str = Field(default="running", max_length=20)
    share: float = 0.0  # the candidate's share of traffic when the replay ended
    summary: dict = json_field()  # requests served, per side, errors, latency
    error: str = ""
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None


def deployment_label(deployment: Deployment) -> str:
    """Return how a deployment is named to users and on the timeline: “Deployment 2”, its number in the project."""
    return f"Deployment {deployment.number}"


class DeploymentEvent(SQLModel, table=True):
    """One decision on a deployment's timeline, at a time of the stream and a request number."""

    __tablename__ = "deployment_event"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    deployment_id: int = Field(foreign_key="deployment.id", ondelete="CASCADE", index=True)
    t: datetime
    request: int = 0
    kind: str = Field(max_length=40)
    details: dict = json_field()
    recorded_at: datetime = Field(default_factory=utc_now)


class DeploymentWindow(SQLModel, table=True):
    """Aggregates of one window of a replay's requests (see core.deployment.log)."""

    __tablename__ = "deployment_window"
    __table_args__ = (UniqueConstraint("deployment_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    deployment_id: int = Field(foreign_key="deployment.id", ondelete="CASCADE", index=True)
    number: int
    start: datetime
    end: datetime
    n: int
    aggregates: dict = json_field()


class DeploymentSample(SQLModel, table=True):
    """The bounded sample of a replay's requests as one Parquet blob (inputs, predictions, labels)."""

    __tablename__ = "deployment_sample"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    deployment_id: int = Field(foreign_key="deployment.id", ondelete="CASCADE", unique=True)
    n_rows: int
    parquet: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
