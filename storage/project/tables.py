"""Tables of the project stage: the project itself and its timeline."""

from datetime import datetime

from sqlalchemy import Index, func
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now


class Project(SQLModel, table=True):
    """A piece of work and everything it owns; its name is unique ignoring letter case (an index on lower(name))."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    description: str = ""
    source: str = "blank"
    created_at: datetime = Field(default_factory=utc_now)
    last_activity: datetime = Field(default_factory=utc_now, index=True)
    # The number the project's next run gets; it only grows, so a deleted run's number is never reused.
    next_run_number: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class Event(SQLModel, table=True):
    """One line of a project's timeline: who did what, when."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    t: datetime = Field(default_factory=utc_now, index=True)
    actor: str
    action: str
    details: dict = json_field()


# Enforced by the database, so two sessions creating "Name" and "NAME" at once cannot both succeed.
NAME_KEY_INDEX = Index("ix_project_name_lower", func.lower(Project.__table__.c.name), unique=True)
