"""Export one project to a SQLite file and import such a file.

The export is an ordinary Workbench database that holds a single project. Import never runs
anything from the file: it is checked (SQLite integrity, schema version, expected tables and
columns, one project, every row belonging to it, every cell fitting its column and every JSON
value the shape the pages read, links resolving inside the file, every blob read back and
matching what its row claims) and only then are its rows copied, with fresh ids, in one
transaction.
"""

import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Engine, Table, create_engine, inspect, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from storage.db import MIGRATIONS, init_schema, migrate
from storage.tables import SCHEMA_VERSION, SchemaInfo, project_tables
from storage.project.tables import Project
from storage.import_blobs import check_blobs
from storage.import_rows import RowProblem, check_cells, check_links
from storage.project.projects import MAX_NAME_LENGTH, clean_project_name, get_project, log_event

SQLITE_MAGIC = b"SQLite format 3\x00"
NOT_AN_EXPORT = (
    "This file is not a Lifecycle Workbench project export ({reason}). "
    "Choose a .workbench file made with “Export project”."
)
DAMAGED = "The export file is damaged ({reason}). Export the project again and import the new file."
NEWER_EXPORT = (
    "This export was made by a newer version of Lifecycle Workbench (schema {found}; this app reads "
    f"schema {SCHEMA_VERSION} and older). Update the app to import it."
)
BAD_PROJECT_NAME = (
    "The project in this file cannot be imported: {reason}. Nothing was imported. Give the project a name "
    f"of 1 to {MAX_NAME_LENGTH} characters in the app that exported it, and export it again."
)
NAME_RACE = (
    "Another project named “{name}” was created while this file was being imported, so nothing was "
    "imported. Import the file again: it will get a free name."
)
UNFIT_ROW = (
    "This project file cannot be imported: {reason}. Nothing was imported. Export the project again "
    "with Lifecycle Workbench and import that file unchanged."
)
EXPORT_SUFFIX = ".workbench"


class ImportRefused(ValueError):
    """The file cannot be imported; the message names the problem and the fix."""


def export_project(engine: Engine, project_id: int) -> bytes:
    """Return a SQLite database file, as bytes, that holds the project and all it owns."""
    with Session(engine) as session:
        get_project(session, project_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.db"
        target = create_engine(f"sqlite:///{path}")
        init_schema(target)
        with engine.connect() as source, target.begin() as sink:
            _copy_rows(source, sink, Project.__table__, Project.__table__.c.id == project_id)
            for table in project_tables():
                _copy_rows(source, sink, table, table.c.project_id == project_id)
        target.dispose()
        _compact(path)
        return path.read_bytes()


def _copy_rows(source: Connection, sink: Connection, table: Table, condition) -> None:
    rows = [dict(r._mapping) for r in source.execute(select(table).where(condition))]
    if rows:
        sink.execute(table.insert(), rows)


def _compact(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("VACUUM")
    finally:
        connection.close()


def import_project(engine: Engine, data: bytes, *, actor: str = "analyst") -> Project:
    """Return the project imported from export bytes, or raise ImportRefused having written nothing."""
    if not data.startswith(SQLITE_MAGIC):
        raise ImportRefused(NOT_AN_EXPORT.format(reason="it is not a SQLite database"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.db"
        path.write_bytes(data)
        _check_integrity(path)
        source = create_engine(f"sqlite:///{path}")
        try:
            with source.begin() as connection:
                _check_version_and_migrate(connection)
            with source.connect() as connection:
                project_id = _check_contents(connection)
                return _copy_in(engine, connection, project_id, actor)
        finally:
            source.dispose()


def _check_integrity(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            broken_links = connection.execute("PRAGMA foreign_key_check").fetchall()
            code = connection.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise ImportRefused(DAMAGED.format(reason=error)) from error
    if code:
        # An export never has triggers or views; refusing them means nothing in the file can run.
        raise ImportRefused(NOT_AN_EXPORT.format(reason="it contains triggers or views"))
    if result != "ok":
        raise ImportRefused(DAMAGED.format(reason=result))
    if broken_links:
        raise ImportRefused(DAMAGED.format(reason=f"{len(broken_links)} rows point at rows that are not in it"))


def _check_version_and_migrate(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if SchemaInfo.__tablename__ not in tables:
        raise ImportRefused(NOT_AN_EXPORT.format(reason="it has no schema version"))
    versions = [row[0] for row in connection.exec_driver_sql("SELECT version FROM schema_info")]
    if len(versions) != 1 or not isinstance(versions[0], int) or isinstance(versions[0], bool):
        reason = f"it records {len(versions)} schema versions, not one" if len(versions) != 1 else \
            "its schema version is unreadable"
        raise ImportRefused(NOT_AN_EXPORT.format(reason=reason))
    found = versions[0]
    if found > SCHEMA_VERSION:
        raise ImportRefused(NEWER_EXPORT.format(found=found))
    if found < SCHEMA_VERSION and not all(v in MIGRATIONS for v in range(found, SCHEMA_VERSION)):
        raise ImportRefused(NOT_AN_EXPORT.format(reason=f"schema {found} cannot be migrated"))
    # The file is a private temporary copy, so lifting it to our schema touches nothing else.
    try:
        migrate(connection, found)
    except DBAPIError as error:
        raise ImportRefused(DAMAGED.format(reason=f"its tables cannot be brought to schema {SCHEMA_VERSION}: "
                                                  f"{error.orig}")) from error


def _check_contents(connection: Connection) -> int:
    """Return the file's project id once every table, cell, link and blob of the file is checked."""
    _check_tables_present(connection)
    project_ids = [r[0] for r in connection.exec_driver_sql("SELECT id FROM project")]
    if len(project_ids) != 1:
        raise ImportRefused(NOT_AN_EXPORT.format(reason=f"it holds {len(project_ids)} projects, not one"))
    for table in project_tables():
        foreign = connection.execute(
            select(table.c.project_id).where(or_(table.c.project_id != project_ids[0],
                                                 table.c.project_id.is_(None))).limit(1)
        ).first()
        if foreign is not None:
            owner = "no project" if foreign[0] is None else "another project"
            raise ImportRefused(DAMAGED.format(reason=f"table {table.name} has rows of {owner}"))
    _check_project_name(connection)
    try:
        for table in [Project.__table__, *project_tables()]:
            check_cells(connection, table)
            check_links(connection, table)
        check_blobs(connection)
    except RowProblem as problem:
        raise ImportRefused(UNFIT_ROW.format(reason=problem)) from problem
    return project_ids[0]


def _check_project_name(connection: Connection) -> None:
    name = connection.exec_driver_sql("SELECT name FROM project").scalar_one()
    if not isinstance(name, str):
        return  # the cell check names the wrong type
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ImportRefused(BAD_PROJECT_NAME.format(reason="its name is empty"))
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ImportRefused(BAD_PROJECT_NAME.format(
            reason=f"its name has {len(cleaned):,} characters, more than the {MAX_NAME_LENGTH} a project name may have"))


def _check_tables_present(connection: Connection) -> None:
    inspector = inspect(connection)
    for table in [Project.__table__, *project_tables()]:
        if not inspector.has_table(table.name):
            raise ImportRefused(NOT_AN_EXPORT.format(reason=f"table {table.name} is missing"))
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing = set(table.c.keys()) - present
        if missing:
            raise ImportRefused(NOT_AN_EXPORT.format(reason=f"table {table.name} lacks {', '.join(sorted(missing))}"))


def _copy_in(engine: Engine, source: Connection, project_id: int, actor: str) -> Project:
    new_ids: dict[str, dict[int, int]] = {}
    with Session(engine, expire_on_commit=False) as session:
        project_row = dict(source.execute(select(Project.__table__)).one()._mapping)
        project_row.pop("id")
        project_row["name"] = _free_name(session, clean_project_name(project_row["name"]))
        project = Project(**project_row)
        session.add(project)
        try:
            session.flush()
        except IntegrityError as error:  # the unique index on lower(name) decided a race
            raise ImportRefused(NAME_RACE.format(name=project_row["name"])) from error
        new_ids["project"] = {project_id: project.id}
        connection = session.connection()
        for table in project_tables():
            _copy_table_or_refuse(source, connection, table, new_ids)
        log_event(session, project_id=project.id, actor=actor, action="imported project",
                  details={"from": project_row["name"]})
        session.commit()
        return project


def _copy_table_or_refuse(source: Connection, sink: Connection, table: Table, new_ids: dict) -> None:
    try:
        _copy_table(source, sink, table, new_ids)
    except IntegrityError as error:
        # The checks above cover types and links; what is left is a row that repeats another
        # where this database allows only one (a file whose unique constraints were removed).
        raise ImportRefused(DAMAGED.format(reason=f"table {table.name} has rows that repeat one another where "
                                                  "only one is allowed")) from error


def _copy_table(source: Connection, sink: Connection, table: Table, new_ids: dict[str, dict[int, int]]) -> None:
    """Copy a table's rows with fresh primary keys and foreign keys mapped to the new ids.

    Links of a table to itself (a dataset's parent) are set once every row has its new id,
    since a parent may come after its child in id order.
    """
    own_id = "id" in table.c and table.c.id.primary_key
    mapping = new_ids.setdefault(table.name, {})
    self_links = [c for c in table.c if any(fk.column.table is table for fk in c.foreign_keys)]
    pending = []
    for row in source.execute(select(table).order_by(*table.primary_key.columns)):
        values = dict(row._mapping)
        old_id = values.pop("id") if own_id else None
        links = {c.name: values.pop(c.name) for c in self_links}
        for column in table.c:
            for fk in column.foreign_keys:
                if column.name in values and values[column.name] is not None:
                    values[column.name] = new_ids[fk.column.table.name][values[column.name]]
        result = sink.execute(table.insert().values(**values))
        if own_id:
            mapping[old_id] = result.inserted_primary_key[0]
            pending.append((mapping[old_id], links))
    for new_id, links in pending:
        linked = {name: mapping[old] for name, old in links.items() if old is not None}
        if linked:
            sink.execute(table.update().where(table.c.id == new_id).values(**linked))


def _free_name(session: Session, name: str) -> str:
    taken = {n.lower() for n in session.execute(select(Project.__table__.c.name)).scalars()}
    if name.lower() not in taken:
        return name
    number = 1
    while True:
        suffix = f" (imported{'' if number == 1 else f' {number}'})"
        # The suffix must not push the name past the length limit; the name gives way.
        candidate = name[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
        if candidate.lower() not in taken:
            return candidate
        number += 1
