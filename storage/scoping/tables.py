"""Tables of the scoping stage: checklist answers, targets, the effort plan and the positive class."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import project_fk, utc_now


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


class PositiveClass(SQLModel, table=True):
    """Which class of a two-class target is positive: whose precision, recall and F1 every stage reports.

    Per project and target column (a project's datasets may have different targets); no row means
    the default, the last class in sorted order (1 of 0/1). Stored as text, as classes are named.
    """

    __tablename__ = "positive_class"
    __table_args__ = (UniqueConstraint("project_id", "target"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    # No length limit: the column name and the class come from the data, which sets none (PostgreSQL
    # would refuse a longer text that SQLite keeps).
    target: str
    value: str
    actor: str = "analyst"
    set_at: datetime = Field(default_factory=utc_now)
