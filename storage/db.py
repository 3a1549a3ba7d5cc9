"""Engine, connection settings, sessions and the schema version check."""

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, text
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel, select

from storage.project.migrations import unique_project_names_ignoring_case
from storage.tables import SCHEMA_VERSION, Event, Run, SchemaInfo

DATABASE_URL_VARIABLE = "WORKBENCH_DATABASE_URL"
DEFAULT_DATABASE_PATH = Path("data") / "workbench.db"

NEWER_SCHEMA = (
    "This database was written by a newer version of Lifecycle Workbench (schema {found}; "
    "this app reads schema {ours} and older). Update the app, or point "
    f"{DATABASE_URL_VARIABLE} at another database."
)
NOT_OURS = (
    "The database has tables but no schema version, so it was not made by Lifecycle Workbench. "
    f"Point {DATABASE_URL_VARIABLE} at an empty or a Workbench database."
)
NO_MIGRATION = (
    "The database uses schema {found}, and this app has no migration from it to schema {ours}. "
    "Export your projects with the app version that made it, then import them here."
)
UNAVAILABLE = (
    "The database cannot be used: {reason}. Check that the file exists, is writable and is not "
    f"held by another program, or set {DATABASE_URL_VARIABLE} to another database."
)

# version -> step that lifts a database from that version to the next one. Each step runs
# inside the same transaction as the version bump, so a failed step changes nothing.
Migration = Callable[[Connection], None]


def records_v1_to_v2(connection: Connection) -> None:
    """Schema 1 -> 2 for the modeling records: run numbers per project, and what the gate did.

    Runs are numbered by id order within each project, and the project's counter continues after
    them. Version 1 stored gate_passed = true for every challenger although no gate applied to it;
    those promotions become "not gated", and so do the words of their timeline events. Other old
    events keep their text (their run references are the old database ids).
    """
    connection.execute(text("ALTER TABLE run ADD COLUMN number INTEGER NOT NULL DEFAULT 0"))
    connection.execute(text("UPDATE run SET number = (SELECT count(*) FROM run AS earlier "
                            "WHERE earlier.project_id = run.project_id AND earlier.id <= run.id)"))
    connection.execute(text("ALTER TABLE project ADD COLUMN next_run_number INTEGER NOT NULL DEFAULT 1"))
    connection.execute(text("UPDATE project SET next_run_number = 1 + "
                            "(SELECT count(*) FROM run WHERE run.project_id = project.id)"))
    for index in Run.__table__.indexes:
        if index.name == "ix_run_project_number":
            index.create(connection)
    connection.execute(text("ALTER TABLE promotion ADD COLUMN gate VARCHAR(20) NOT NULL DEFAULT 'not gated'"))
    connection.execute(text("UPDATE promotion SET gate = CASE WHEN alias <> 'champion' THEN 'not gated' "
                            "WHEN gate_passed THEN 'passed' ELSE 'overridden' END"))
    connection.execute(text("ALTER TABLE promotion DROP COLUMN gate_passed"))
    events = Event.__table__
    for row in connection.execute(events.select().where(events.c.action == "promoted run to challenger")):
        if row.details.get("gate") == "passed":
            details = {**row.details, "gate": "not gated: a challenger needs only a dev evaluation"}
            connection.execute(events.update().where(events.c.id == row.id).values(details=details))


def schema_1_to_2(connection: Connection) -> None:
    """Schema 1 -> 2: project names unique ignoring case, and the modeling records' changes.

    Version 2's new tables (fairness audits, error-analysis tags and saved slices, deployment
    replays with their events, windows and samples, monitoring's alert rules, alerts, settings and
    retraining policy) need no step:
    `migrate` creates every missing table after the steps.
    """
    unique_project_names_ignoring_case(connection)
    records_v1_to_v2(connection)


MIGRATIONS: dict[int, Migration] = {1: schema_1_to_2}


class SchemaVersionError(RuntimeError):
    """The database's schema cannot be read by this app (newer, foreign, or no migration)."""


class StorageUnavailable(RuntimeError):
    """The database could not be opened or written; the message says what to check."""


def database_url() -> str:
    """Return the configured database URL, defaulting to a SQLite file under ./data/."""
    url = os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return url
    DEFAULT_DATABASE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DATABASE_PATH}"


def make_engine(url: str | None = None) -> Engine:
    """Return an engine for `url` (or the configured one) with its schema ready to use."""
    url = url or database_url()
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        _ensure_sqlite_folder(url)
    connect_args = {"check_same_thread": False} if is_sqlite else {}
    engine = create_engine(url, connect_args=connect_args)
    if is_sqlite:
        event.listen(engine, "connect", _set_sqlite_pragmas)
    try:
        init_schema(engine)
    except DBAPIError as error:
        engine.dispose()
        raise StorageUnavailable(UNAVAILABLE.format(reason=error.orig)) from error
    except SchemaVersionError:
        engine.dispose()
        raise
    return engine


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[-1].split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one session writes; the busy timeout makes concurrent
    # writers wait instead of failing with "database is locked".
    # Large pages make dataset blobs (tens of MB) quicker to read; page_size only takes effect
    # on a new database file, so it comes before WAL is switched on.
    cursor = dbapi_connection.cursor()
    for pragma in ("page_size=65536", "journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                   "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def init_schema(engine: Engine) -> int:
    """Create or migrate the schema; return the schema version now in the database."""
    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if not tables:
            SQLModel.metadata.create_all(connection)
            connection.execute(SchemaInfo.__table__.insert().values(id=1, version=SCHEMA_VERSION))
            return SCHEMA_VERSION
        if SchemaInfo.__tablename__ not in tables:
            raise SchemaVersionError(NOT_OURS)
        found = connection.execute(select(SchemaInfo.version)).scalar_one()
        migrate(connection, found)
    return SCHEMA_VERSION


def migrate(connection: Connection, found: int) -> None:
    """Lift the schema from version `found` to SCHEMA_VERSION, or refuse."""
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(NEWER_SCHEMA.format(found=found, ours=SCHEMA_VERSION))
    for version in range(found, SCHEMA_VERSION):
        if version not in MIGRATIONS:
            raise SchemaVersionError(NO_MIGRATION.format(found=found, ours=SCHEMA_VERSION))
        MIGRATIONS[version](connection)
    if found != SCHEMA_VERSION:
        # New tables of later versions are created here; changed tables need a MIGRATIONS step.
        SQLModel.metadata.create_all(connection)
        connection.execute(SchemaInfo.__table__.update().values(version=SCHEMA_VERSION))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits when the block ends and rolls back on any error.

    Use no savepoints (`begin_nested`) inside it: with the SQLite driver's own transaction
    handling a released savepoint is not undone by the outer rollback. For a get-or-create,
    insert with ON CONFLICT DO NOTHING and select afterwards.
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except DBAPIError as error:
            session.rollback()
            if _is_unavailable(error):
                raise StorageUnavailable(UNAVAILABLE.format(reason=error.orig)) from error
            raise
        except BaseException:
            session.rollback()
            raise


BLOB_CHUNK = 1 << 24


def read_blob(session: Session, *, table: str, column: str, rowid: int) -> bytearray | None:
    """Return a SQLite blob read in large chunks into one buffer, or None when the row is absent.

    Reading through the blob handle copies the bytes once; fetching the column as a value
    copies them twice, which costs more than parsing the Parquet inside on a big dataset.
    """
    raw = session.connection().connection.driver_connection
    try:
        handle = raw.blobopen(table, column, rowid, readonly=True)
    except sqlite3.OperationalError:
        return None
    with handle:
        buffer = bytearray(len(handle))
        view = memoryview(buffer)
        for start in range(0, len(buffer), BLOB_CHUNK):
            view[start:start + BLOB_CHUNK] = handle.read(BLOB_CHUNK)
    return buffer


def insert_ignoring_conflicts(session: Session, model: type[SQLModel]):
    """Return an INSERT that skips rows clashing with a unique constraint (get-or-create races)."""
    dialect = {"sqlite": sqlite_dialect, "postgresql": postgresql_dialect}.get(session.get_bind().dialect.name)
    if dialect is None:  # elsewhere a lost race ends in the unique-constraint error
        return insert(model)
    return dialect.insert(model).on_conflict_do_nothing()


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _is_unavailable(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return any(s in text for s in ("unable to open", "readonly", "disk i/o", "locked", "no such table", "not a database"))
