"""Tables of the data stage: dataset versions, their Parquet blobs, and splits."""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


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
