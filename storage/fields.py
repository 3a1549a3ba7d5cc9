"""Column helpers every stage's tables use: timestamps, the project link, JSON columns.

Every table that belongs to a project carries `project_id` with ON DELETE CASCADE, even
where it could be reached through a parent. That one rule makes deleting, exporting and
importing a project generic over the tables: later stages add a table and the three
operations cover it without new code.
"""

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field


def utc_now() -> datetime:
    """Return the current time, aware of its UTC zone."""
    return datetime.now(timezone.utc)


def project_fk() -> Any:
    return Field(foreign_key="project.id", ondelete="CASCADE", index=True)


def json_field(default_factory=dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))
