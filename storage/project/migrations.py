"""Schema steps of the project stage, each registered in `storage.db.MIGRATIONS`."""

from sqlalchemy import Connection, select

from storage.fields import utc_now
from storage.project.projects import MAX_NAME_LENGTH
from storage.project.tables import NAME_KEY_INDEX, Event, Project

RENAME_REASON = "project names must differ by more than letter case"


def unique_project_names_ignoring_case(connection: Connection) -> None:
    """Schema 1 → 2: make project names unique ignoring case, enforced by a unique index on lower(name).

    A version-1 database may hold "Study" and "STUDY" (two sessions creating them at once passed
    the app's check). The oldest keeps its name; each later one is renamed "STUDY (2)", with the
    first free number, and the rename is written to its timeline, before the index is built.
    """
    rows = connection.execute(select(Project.id, Project.name).order_by(Project.id)).all()
    taken = {name.lower() for _, name in rows}
    seen: set[str] = set()
    for project_id, name in rows:
        if name.lower() in seen:
            new_name = _numbered(name, taken)
            taken.add(new_name.lower())
            _rename(connection, project_id, name, new_name)
        seen.add(name.lower())
    NAME_KEY_INDEX.create(connection, checkfirst=True)


def _numbered(name: str, taken: set[str]) -> str:
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1


def _rename(connection: Connection, project_id: int, old: str, new: str) -> None:
    connection.execute(Project.__table__.update().where(Project.__table__.c.id == project_id).values(name=new))
    connection.execute(Event.__table__.insert().values(
        project_id=project_id, t=utc_now(), actor="app", action="renamed project",
        details={"from": old, "to": new, "why": RENAME_REASON}))
