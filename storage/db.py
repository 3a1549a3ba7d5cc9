"""Engine, connection settings, sessions and the schema version check."""

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, event, insert, inspect, make_url, text
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
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
SERVER_UNAVAILABLE = (
    "The database server at {url} cannot be used: {reason}. Check that the server is running and "
    f"reachable, and that the user, password and database in {DATABASE_URL_VARIABLE} are right."
)
BAD_URL = (
    f"{DATABASE_URL_VARIABLE} is not a database URL this app can use ({{reason}}). Use "
    "sqlite:///path/to/workbench.db or postgresql+psycopg://user:password@host:5432/database."
)
# PostgreSQL error classes that mean "the server cannot be used now", not "this statement is wrong":
# connection exceptions, operator intervention (shutdown), resources, authorization, no such database.
SERVER_GONE_CLASSES = ("08", "57", "53", "28", "3D")
CONNECT_TIMEOUT_S = 10

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


def run_archive_flag(connection: Connection) -> None:
    """Schema 1 -> 2: runs can be archived (hidden from the runs table, reversibly); none is at first."""
    connection.execute(text("ALTER TABLE run ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE"))


def schema_1_to_2(connection: Connection) -> None:
    """Schema 1 -> 2: project names unique ignoring case, and the modeling records' changes.

    Version 2's new tables (fairness audits, error-analysis tags and saved slices, deployment
    replays with their events, windows and samples, monitoring's alert rules, alerts, settings and
    retraining policy) need no step:
    `migrate` creates every missing table after the steps.
    """
    unique_project_names_ignoring_case(connection)
    records_v1_to_v2(connection)
    run_archive_flag(connection)


MIGRATIONS: dict[int, Migration] = {1: schema_1_to_2}


class SchemaVersionError(RuntimeError):
    """The database's schema cannot be read by this app (newer, foreign, or no migration)."""


class StorageUnavailable(RuntimeError):
    """The database could not be opened or written; the message says what to check.

    `unsaved` tells that the transaction it ended had written (and so rolled back) something.
    """

    def __init__(self, message: str, *, unsaved: bool = False) -> None:
        super().__init__(message)
        self.unsaved = unsaved


def database_url() -> str:
    """Return the configured database URL, defaulting to a SQLite file under ./data/."""
    url = os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return url
    DEFAULT_DATABASE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DATABASE_PATH}"


def shown_url(url: str | URL) -> str:
    """Return the URL as it may be shown or logged: the password masked as ***."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | None = None) -> Engine:
    """Return an engine for `url` (or the configured one) with its schema ready to use."""
    engine = _new_engine(_parsed_url(url or database_url()))
    try:
        init_schema(engine)
    except DBAPIError as error:
        engine.dispose()
        raise unavailable(engine, error) from error
    except SchemaVersionError:
        engine.dispose()
        raise
    return engine


def _parsed_url(url: str) -> URL:
    # SQLAlchemy's own messages repeat the URL, password and all: they are not passed on.
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StorageUnavailable(BAD_URL.format(reason="it cannot be read as a URL")) from None
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        raise StorageUnavailable(BAD_URL.format(reason=f"no database driver for “{parsed.drivername}”")) from None
    return parsed


def _new_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        _ensure_sqlite_folder(url)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    # pre_ping replaces pooled connections that a restarted server closed, so the first page
    # after a restart works instead of failing once. Times are stored as UTC wall-clock times
    # (as on SQLite); a session in the server's local zone would shift them on the way in.
    return create_engine(url, pool_pre_ping=True,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "options": "-c timezone=UTC"})


def _ensure_sqlite_folder(url: URL) -> None:
    path = url.database
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
        _track_writes(session)
        try:
            yield session
            session.commit()
        except DBAPIError as error:
            session.rollback()
            if is_unavailable(error):
                raise unavailable(engine, error, unsaved=_wrote(session)) from error
            raise
        except BaseException:
            session.rollback()
            raise


WROTE = "workbench.wrote"


def _track_writes(session: Session) -> None:
    # What the session wrote is flushed (ORM objects) or executed (bulk INSERT/UPDATE/DELETE);
    # the flag survives the rollback, so an outage can tell a lost action from a lost read.
    def flushed(flushing: Session, *_args) -> None:
        flushing.info[WROTE] = True

    def executed(execute_state) -> None:
        if execute_state.is_insert or execute_state.is_update or execute_state.is_delete:
            execute_state.session.info[WROTE] = True

    event.listen(session, "before_flush", flushed)
    event.listen(session, "do_orm_execute", executed)


def _wrote(session: Session) -> bool:
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


BLOB_CHUNK = 1 << 24


def read_blob(session: Session, *, table: str, column: str, rowid: int) -> bytearray | None:
    """Return a SQLite blob read in large chunks into one buffer, or None when the row is absent.

    Reading through the blob handle copies the bytes once; fetching the column as a value
    copies them twice, which costs more than parsing the Parquet inside on a big dataset.
    """
    raw = session.connection().connection.driver_connection
    try:
        handle = raw.blobopen(table, column, rowid, readonly=True)
    except sqlite3.OperationalError as error:
        if str(error).startswith("no such rowid"):
            return None
        # Passed on as SQLAlchemy's, so a file gone unreadable is judged as on any other query.
        raise OperationalError(f"blobopen {table}.{column}", None, error) from error
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


def database_answers(engine: Engine) -> bool:
    """Return whether the database takes a query now (the pool's dead connections are replaced)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError:
        return False
    return True


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def is_unavailable(error: DBAPIError) -> bool:
    """Return whether the error means the database cannot be used now (rather than a refused statement)."""
    if error.connection_invalidated:
        return True
    sqlstate = getattr(error.orig, "sqlstate", "")
    if sqlstate != "":  # a PostgreSQL error; None when the client lost or never had the connection
        return sqlstate is None or sqlstate[:2] in SERVER_GONE_CLASSES
    text = str(error.orig).lower()
    return any(s in text for s in ("unable to open", "readonly", "disk i/o", "locked", "no such table", "not a database"))


def unavailable(engine: Engine, error: DBAPIError, *, unsaved: bool = False) -> StorageUnavailable:
    """Return the error to raise for a database that cannot be used, its password masked."""
    reason = " ".join(str(error.orig).split()).rstrip(".?")
    password = engine.url.password
    if password:
        reason = reason.replace(str(password), "***")
    if engine.dialect.name == "sqlite":
        return StorageUnavailable(UNAVAILABLE.format(reason=reason), unsaved=unsaved)
    return StorageUnavailable(SERVER_UNAVAILABLE.format(url=shown_url(engine.url), reason=reason), unsaved=unsaved)
