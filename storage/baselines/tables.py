"""Tables of the baselines stage: every reference a model is judged against."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


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
