"""Tables of the labeling stage: labelers, guidelines, batches, assignments, labels, reviews, resolutions."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


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


class ClassName(SQLModel, table=True):
    """The display name of one class value of the project; labels and targets keep the value itself."""

    __tablename__ = "class_name"
    __table_args__ = (UniqueConstraint("project_id", "value"), UniqueConstraint("project_id", "display"))
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    value: str  # the class as in the data, which sets no length; only the typed display name has one
    display: str = Field(max_length=40)
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)


class LabelErrorScan(SQLModel, table=True):
    """One look for label errors in a version's training split: its settings and every row it flagged.

    Kept as made, never changed: the Labeling page lists the newest one and the audit report counts
    what it found. `labels_hash` names the label set it checked, so a later change of labels marks it stale.
    """

    __tablename__ = "label_error_scan"
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", index=True)
    split_id: int | None = Field(default=None, foreign_key="split.id", ondelete="SET NULL")
    labels_hash: str
    method: str = Field(default="confident_learning", max_length=40)
    settings: dict = json_field()  # model, predictions, folds, seed, the split's part checked
    n_checked: int
    checked: list = json_field(list)  # the row ids checked, so teaching mode scores planted flips among them
    flagged: list = json_field(list)  # row_id, label, suggested, self_confidence, suggested_confidence; worst first
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)
