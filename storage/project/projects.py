"""Projects and their timeline of events."""

from typing import Any

import pandas as pd
from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from storage.project.tables import Event, Project
from storage.tables import project_tables
from storage.fields import utc_now

MAX_NAME_LENGTH = 80
NAME_EMPTY = "The project name is empty. Type a name, for example “Loan approval study”."
NAME_TOO_LONG = f"The project name is longer than {MAX_NAME_LENGTH} characters. Shorten it."
NAME_TAKEN = "A project named “{name}” already exists. Choose another name, or open that project."
PROJECT_MISSING = ("The project asked for does not exist any more (another tab or user may have deleted it). "
                   "Pick another project from the list.")


class ProjectError(ValueError):
    """A project action was refused; the message names the problem and the fix."""


def clean_project_name(name: str) -> str:
    """Return the trimmed name, or raise ProjectError when it is empty or too long."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ProjectError(NAME_EMPTY)
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ProjectError(NAME_TOO_LONG)
    return cleaned


def create_project(
    session: Session, *, name: str, description: str = "", source: str = "blank", actor: str = "analyst"
) -> Project:
    """Return a new project, with its creation logged; raise ProjectError on a bad or taken name."""
    cleaned = clean_project_name(name)
    _ensure_name_free(session, cleaned)
    project = Project(name=cleaned, description=description, source=source)
    session.add(project)
    _flush_or_name_taken(session, cleaned)
    log_event(session, project_id=project.id, actor=actor, action="created project", details={"source": source})
    return project


def _ensure_name_free(session: Session, name: str, *, except_id: int | None = None) -> None:
    # Names differing only in case would look like duplicates in the project list.
    query = select(Project.id).where(func.lower(Project.name) == name.lower())
    if except_id is not None:
        query = query.where(Project.id != except_id)
    if session.exec(query).first() is not None:
        raise ProjectError(NAME_TAKEN.format(name=name))


def _flush_or_name_taken(session: Session, name: str) -> None:
    # Two sessions may pass the check at once; the unique index decides, and we say so kindly.
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise ProjectError(NAME_TAKEN.format(name=name)) from error


def get_project(session: Session, project_id: int) -> Project:
    """Return the project, or raise ProjectError when it does not exist."""
    project = session.get(Project, project_id)
    if project is None:
        raise ProjectError(PROJECT_MISSING)
    return project


def list_projects(session: Session) -> list[Project]:
    """Return all projects, most recently active first."""
    return list(session.exec(select(Project).order_by(col(Project.last_activity).desc(), col(Project.id).desc())))


def rename_project(session: Session, *, project_id: int, new_name: str, actor: str = "analyst") -> Project:
    """Return the renamed project; raise ProjectError on a bad or taken name."""
    project = get_project(session, project_id)
    cleaned = clean_project_name(new_name)
    _ensure_name_free(session, cleaned, except_id=project_id)
    old_name, project.name = project.name, cleaned
    _flush_or_name_taken(session, cleaned)
    log_event(session, project_id=project_id, actor=actor, action="renamed project",
              details={"from": old_name, "to": cleaned})
    return project


def delete_project(session: Session, *, project_id: int) -> str:
    """Return the name of the deleted project; everything it owns goes through cascading keys."""
    name = get_project(session, project_id).name
    session.execute(delete(Project).where(Project.id == project_id))
    return name


def project_contents(session: Session, project_id: int) -> dict[str, int]:
    """Return the number of rows each table holds for the project (tables with none left out)."""
    counts = {}
    for table in project_tables():
        n = session.exec(select(func.count()).select_from(table).where(table.c.project_id == project_id)).one()
        if n:
            counts[table.name] = int(n)
    return counts


def log_event(
    session: Session, *, project_id: int, actor: str, action: str, details: dict[str, Any] | None = None
) -> Event:
    """Return a new timeline event; also marks the project as active now."""
    now = utc_now()
    event = Event(project_id=project_id, t=now, actor=actor or "analyst", action=action, details=details or {})
    session.add(event)
    project = session.get(Project, project_id)
    if project is not None:
        project.last_activity = now
    session.flush()
    return event


def take_number(session: Session, table: type[SQLModel], project_id: int) -> int:
    """Return the next number of the project's rows of `table` (audits, deployments): the highest plus one.

    The project row is written first (its last activity), so its write lock orders two sessions
    numbering at once on PostgreSQL and SQLite alike: the second reads the highest number only
    after the first has committed its row. The table's unique (project, number) index backs it.
    """
    session.execute(update(Project).where(Project.id == project_id).values(last_activity=utc_now()))
    highest = session.exec(select(func.max(table.number)).where(table.project_id == project_id)).one()
    return (highest or 0) + 1


def list_events(session: Session, project_id: int, *, limit: int = 100) -> pd.DataFrame:
    """Return the project's latest events as a frame with columns when, who, what, details."""
    events = session.exec(
        select(Event).where(Event.project_id == project_id).order_by(col(Event.t).desc(), col(Event.id).desc()).limit(limit)
    ).all()
    return pd.DataFrame(
        [{"when": e.t, "who": e.actor, "what": e.action, "details": _describe(e.details)} for e in events],
        columns=["when", "who", "what", "details"],
    )


def _describe(details: dict[str, Any]) -> str:
    if not isinstance(details, dict):  # a hand-edited row: show it rather than fail the timeline
        return str(details)
    return ", ".join(f"{key}: {value}" for key, value in details.items())
