"""Tables of the error-analysis stage: tags on rows and named slices."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


class Tag(SQLModel, table=True):
    """A free tag on one row of a dataset version ("blurry"), with who set it and when; runs share it."""

    __table_args__ = (UniqueConstraint("dataset_id", "row_id", "tag"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE", index=True)
    row_id: int
    tag: str = Field(max_length=60)
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)


class SliceDefinition(SQLModel, table=True):
    """A named slice: its predicate as JSON conditions (column, op, value), for later stages to reuse."""

    __tablename__ = "slice_definition"
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    name: str = Field(max_length=120)
    conditions: list = json_field(list)
    source: str = Field(default="saved", max_length=20)
    dataset_id: int | None = Field(default=None, foreign_key="dataset.id", ondelete="SET NULL")
    run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL")
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)
