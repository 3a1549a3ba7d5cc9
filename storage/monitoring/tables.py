"""Tables of the monitoring stage: alert rules, alerts, per-deployment settings, the retraining policy.

Window results are not stored: they are recomputed from the deployment's stream on demand (and
cached by the page), so only what a user decided or what must stay once raised is kept here.
"""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


class AlertRule(SQLModel, table=True):
    """A check every window must pass: metric, comparator, threshold, and where the rule came from.

    Rules from scoping targets and user rules hold for the whole project (no deployment); band
    rules come from one deployment's reference, so they carry it.
    """

    __tablename__ = "alert_rule"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    deployment_id: int | None = Field(default=None, foreign_key="deployment.id", ondelete="CASCADE", index=True)
    metric: str = Field(max_length=80)
    comparator: str = Field(max_length=2)
    threshold: float
    source: str = Field(max_length=20)  # "target", "band" or "user"
    note: str = ""  # where the number came from, e.g. "scoping target f1 >= 0.85"
    active: bool = True
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)


class Alert(SQLModel, table=True):
    """A window that broke a rule: raised once per (rule, deployment, window), then acknowledged with a note."""

    __table_args__ = (UniqueConstraint("rule_id", "deployment_id", "window"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    rule_id: int = Field(foreign_key="alert_rule.id", ondelete="CASCADE", index=True)
    deployment_id: int = Field(foreign_key="deployment.id", ondelete="CASCADE", index=True)
    window: int  # the window's number (0-based) under the deployment's windowing when raised
    window_label: str = Field(max_length=80)
    value: float
    status: str = Field(default="open", max_length=20)  # "open" or "acknowledged"
    note: str = ""
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)


class MonitoringSetting(SQLModel, table=True):
    """How a deployment is monitored: windowing, per-column drift methods, the dataset-drift share."""

    __tablename__ = "monitoring_setting"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    deployment_id: int = Field(foreign_key="deployment.id", ondelete="CASCADE", unique=True)
    window_by: str = Field(default="chunks", max_length=10)  # chunks, day, week or month
    n_chunks: int = 10
    methods: dict = json_field()  # column -> drift method, overriding the default
    share_threshold: float = 0.5
    updated_at: datetime = Field(default_factory=utc_now)


class RetrainPolicy(SQLModel, table=True):
    """The project's automatic retraining: off by default; which alert kinds fire it; at most N per period."""

    __tablename__ = "retrain_policy"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE", unique=True)
    enabled: bool = False
    alert_kinds: list = json_field(default_factory=list)  # e.g. ["data drift", "performance"]
    max_runs: int = 1
    period_days: int = 7
    rollout: str = Field(default="shadow", max_length=20)  # what starts with the result: shadow or canary
    recent_windows: int = 3  # the latest labelled windows added to the reference
    actor: str = "analyst"
    updated_at: datetime = Field(default_factory=utc_now)
