"""All database tables in one module (SQLModel's advice: no circular imports).

Every table that belongs to a project carries `project_id` with ON DELETE CASCADE, even
where it could be reached through a parent. That one rule makes deleting, exporting and
importing a project generic over the tables: later stages add a table and the three
operations cover it without new code.
"""

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 1


def utc_now() -> datetime:
    """Return the current time, aware of its UTC zone."""
    return datetime.now(timezone.utc)


def project_fk() -> Any:
    return Field(foreign_key="project.id", ondelete="CASCADE", index=True)


def json_field(default_factory=dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


class SchemaInfo(SQLModel, table=True):
    """The one row that says which schema version wrote the database."""

    __tablename__ = "schema_info"
    id: int = Field(default=1, primary_key=True)
    version: int
    updated_at: datetime = Field(default_factory=utc_now)


class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    description: str = ""
    source: str = "blank"
    created_at: datetime = Field(default_factory=utc_now)
    last_activity: datetime = Field(default_factory=utc_now, index=True)


class Event(SQLModel, table=True):
    """One line of a project's timeline: who did what, when."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    t: datetime = Field(default_factory=utc_now, index=True)
    actor: str
    action: str
    details: dict = json_field()


class Dataset(SQLModel, table=True):
    """One immutable version of a dataset; roles are metadata and may be edited in place."""

    __table_args__ = (UniqueConstraint("project_id", "name", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    name: str
    version: int
    parent_id: int | None = Field(default=None, foreign_key="dataset.id", ondelete="SET NULL")
    source: str
    note: str = ""
    content_hash: str = Field(index=True)
    n_rows: int
    n_columns: int
    column_kinds: dict = json_field()
    roles: dict = json_field()
    has_ground_truth: bool = False
    created_at: datetime = Field(default_factory=utc_now)


class DatasetBlob(SQLModel, table=True):
    """The dataset's rows as one Parquet (zstd) blob, and a scenario's planted truth (which can
    list every flipped row); kept apart so listing versions stays cheap."""

    __tablename__ = "dataset_blob"
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", primary_key=True)
    project_id: int = project_fk()
    parquet: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    ground_truth: dict = json_field()


class Split(SQLModel, table=True):
    """A train/dev/test assignment of a dataset version's rows."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", index=True)
    strategy: str
    seed: int
    fractions: list = json_field(list)
    counts: dict = json_field()
    assignment: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utc_now)


def project_tables() -> list:
    """Return the tables that carry a project_id, parents before children."""
    return [t for t in SQLModel.metadata.sorted_tables if "project_id" in t.c]


class ScopeAnswer(SQLModel, table=True):
    """The answer to one scoping checklist item, with its status (to do, done, not applicable)."""

    __tablename__ = "scope_answer"
    __table_args__ = (UniqueConstraint("project_id", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    item_key: str = Field(max_length=80)
    value: str = ""
    status: str = "to do"
    updated_at: datetime = Field(default_factory=utc_now)


class Target(SQLModel, table=True):
    """A target set at scoping (ml, software or business) that later stages check metrics against."""

    __table_args__ = (UniqueConstraint("project_id", "metric", "comparator", "slice"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    kind: str
    metric: str = Field(max_length=60)
    # "" rather than NULL for no slice, so the unique constraint also refuses repeated overall targets.
    slice: str = ""
    comparator: str
    value: float
    unit: str = ""
    created_at: datetime = Field(default_factory=utc_now)


class ScopeEffort(SQLModel, table=True):
    """The project's planned days for labeling, training and error analysis (one row per project)."""

    __tablename__ = "scope_effort"
    __table_args__ = (UniqueConstraint("project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    labeling_days: float = 0.0
    training_days: float = 0.0
    error_analysis_days: float = 0.0
    updated_at: datetime = Field(default_factory=utc_now)


class Baseline(SQLModel, table=True):
    """A reference score a model is judged against: human-level, literature, old model, dummy or simple.

    Computed baselines belong to a dataset version and its split; a literature value to none.
    At most one baseline of a project is marked primary: the one error analysis measures gaps to.
    """

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int | None = Field(default=None, foreign_key="dataset.id", ondelete="CASCADE", index=True)
    split_id: int | None = Field(default=None, foreign_key="split.id", ondelete="SET NULL")
    kind: str = Field(max_length=20)
    name: str = Field(max_length=120)
    metrics: dict = json_field()  # overall values under the names targets read
    overall: dict = json_field()  # the same in full: rows, per-class recall, intervals
    slices: dict = json_field()  # slice column -> value -> scores in full
    n_items: float = 0.0
    source_note: str = ""
    citation: str = ""
    is_primary: bool = False
    created_at: datetime = Field(default_factory=utc_now)


class Run(SQLModel, table=True):
    """One training run: what it was trained on, how, and what it scored (running → finished/failed/cancelled)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
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
    """A decision to give a run an alias: the gate's checks, and the reason when the gate was overridden."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE", index=True)
    alias: str = Field(max_length=20)
    previous_run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL")
    gate_passed: bool
    checks: list = json_field(list)
    override_reason: str = ""
    actor: str = "analyst"
    t: datetime = Field(default_factory=utc_now)


class Labeler(SQLModel, table=True):
    """Someone (or a simulated demo labeler, with its profile) who labels items of the project."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    name: str = Field(max_length=40)
    simulated: dict = json_field()  # the simulated profile; {} for a person
    created_at: datetime = Field(default_factory=utc_now)


class Guideline(SQLModel, table=True):
    """One version of the labeling guideline: the classes and the rules labelers follow."""

    __table_args__ = (UniqueConstraint("project_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    version: int
    text: str = ""
    classes: list = json_field(list)
    created_from: dict = json_field()  # e.g. the disagreement whose resolution added a rule
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)


class LabelBatch(SQLModel, table=True):
    """A numbered batch of items of one dataset version, chosen by a strategy and assigned to labelers."""

    __tablename__ = "label_batch"
    __table_args__ = (UniqueConstraint("dataset_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", index=True)
    number: int
    strategy: str
    size: int
    overlap: float = 0.0
    params: dict = json_field()
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)


class Assignment(SQLModel, table=True):
    """One item of a batch for one labeler; `label_id` is the label that completed it (None while open)."""

    __table_args__ = (UniqueConstraint("batch_id", "row_id", "labeler_id"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    batch_id: int = Field(foreign_key="label_batch.id", ondelete="CASCADE", index=True)
    row_id: int
    labeler_id: int = Field(foreign_key="labeler.id", ondelete="CASCADE", index=True)
    position: int
    skipped: bool = False
    label_id: int | None = Field(default=None, foreign_key="label.id", ondelete="SET NULL")


class Label(SQLModel, table=True):
    """One label, never changed: an undo or a correction is a new row with the next revision.

    The unique revision per (dataset, row, labeler) is what keeps two tabs from counting the
    same click twice: both try to write the same revision and one of them loses.
    """

    __table_args__ = (UniqueConstraint("dataset_id", "row_id", "labeler_id", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", index=True)
    row_id: int
    labeler_id: int = Field(foreign_key="labeler.id", ondelete="CASCADE", index=True)
    batch_id: int | None = Field(default=None, foreign_key="label_batch.id", ondelete="SET NULL")
    revision: int = 1
    value: str | None = None  # None: the labeler withdrew their label (undo)
    seconds: float = 0.0
    guideline_version: int | None = None
    decision: bool = False  # a resolution, review correction or accepted fix: overrides the vote
    source: str = "labeling"
    created_at: datetime = Field(default_factory=utc_now)


class Review(SQLModel, table=True):
    """A reviewer's verdict on one label of a spot-check: accepted, or corrected by a new label."""

    __table_args__ = (UniqueConstraint("label_id"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    label_id: int = Field(foreign_key="label.id", ondelete="CASCADE")
    reviewer: str = "analyst"
    verdict: str
    note: str = ""
    correction_id: int | None = Field(default=None, foreign_key="label.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utc_now)


class LabelResolution(SQLModel, table=True):
    """How a disagreement on one item was settled: the deciding label and any guideline rule it added."""

    __tablename__ = "label_resolution"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", index=True)
    row_id: int
    label_id: int = Field(foreign_key="label.id", ondelete="CASCADE")
    note: str = ""
    guideline_version: int | None = None
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)
