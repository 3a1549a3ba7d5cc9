"""Tables of the modeling stage: runs, their artifacts and predictions, the registry and its history."""

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


class Run(SQLModel, table=True):
    """One training run: what it was trained on, how, and what it scored (running → finished/failed/cancelled).

    `number` is what users see ("Run 3"): counted within the project and never reused, so it stays
    the same in an export, an import and on the timeline, unlike the database id.
    """

    __table_args__ = (Index("ix_run_project_number", "project_id", "number", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    number: int
    dataset_id: int | None = Field(default=None, foreign_key="dataset.id", ondelete="SET NULL", index=True)
    dataset_hash: str
    labels_hash: str
    split_id: int | None = Field(default=None, foreign_key="split.id", ondelete="SET NULL")
    model: str = Field(max_length=40)
    config: dict = json_field()
    code_version: str = ""
    status: str = Field(default="running", max_length=20)
    error: str = ""
    metrics: dict = json_field()  # {"train": {...}, "dev": {...}} under the names targets read
    details: dict = json_field()  # per-class scores, confusion matrices, CV folds, learning curve, features
    timings: dict = json_field()
    model_size: int = 0
    notes: str = ""
    tags: list = json_field(list)
    parent_run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL")
    trigger: str = Field(default="manual", max_length=40)
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None
    archived: bool = False  # hidden from the runs table unless asked for; reversible, unlike a delete


class ModelArtifact(SQLModel, table=True):
    """A run's fitted model, serialised by the app in a safe format (skops) with its checksum."""

    __tablename__ = "model_artifact"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE", unique=True)
    format: str = Field(max_length=20)
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Prediction(SQLModel, table=True):
    """A run's predictions on one split as a Parquet blob: row_id, label, prediction, class probabilities."""

    __table_args__ = (UniqueConstraint("run_id", "split"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE", index=True)
    split: str = Field(max_length=10)
    n_rows: int
    parquet: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class RegistryAlias(SQLModel, table=True):
    """Which run holds an alias (champion, challenger) in a project's model registry."""

    __tablename__ = "registry_alias"
    __table_args__ = (UniqueConstraint("project_id", "alias"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    alias: str = Field(max_length=20)
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE", index=True)
    actor: str = "analyst"
    set_at: datetime = Field(default_factory=utc_now)


class TestLook(SQLModel, table=True):
    """One look at the held-back test split: which run, its test metrics, who looked and when."""

    __tablename__ = "test_look"
    __test__ = False  # not a pytest test class, despite its name
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE", index=True)
    metrics: dict = json_field()
    actor: str = "analyst"
    t: datetime = Field(default_factory=utc_now)


class Promotion(SQLModel, table=True):
    """A decision to give a run an alias: what the gate did, its checks, and the reason for an override.

    `gate` is "passed" or "overridden" for a champion and "not gated" for a challenger, which
    needs only a dev evaluation; the checks are stored either way, as the gate saw the run then.
    """

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE", index=True)
    alias: str = Field(max_length=20)
    previous_run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL")
    gate: str = Field(max_length=20)
    checks: list = json_field(list)
    override_reason: str = ""
    actor: str = "analyst"
    t: datetime = Field(default_factory=utc_now)
