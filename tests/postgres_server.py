"""A private PostgreSQL server in a temporary folder, for the tests and bench/.

Debian's `postgresql` package brings `initdb` and `pg_ctl`; the server they start here listens on
127.0.0.1 on a free port, asks for a password (so the URL carries one, as a team server's does)
and is removed with its folder afterwards. PostgreSQL refuses to run as root, so as root the
server runs as the package's `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.streamlit_server import free_port

INSTALL = "sudo apt-get install -y postgresql"
POSTGRES_MISSING = f"PostgreSQL is not installed: run `{INSTALL}`"
USER = "workbench"
# Durability switched off for the tests: a test server's data is thrown away, and fsync would
# dominate the run. bench/ keeps PostgreSQL's durable defaults, as a real server has them.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def postgres_bin() -> Path | None:
    """Return the folder of the newest installed PostgreSQL's programs, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@dataclass
class PostgresServer:
    """A running private server; `url(database)` gives a SQLAlchemy URL with the password in it."""

    bin: Path
    folder: Path
    port: int
    password: str
    durable: bool = False
    _numbers: Iterator[int] = field(default_factory=lambda: iter(range(1, 1_000_000)))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database and return its URL."""
        name = f"test_{next(self._numbers)}"
        self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[-1]} WITH (FORCE)")

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(sql)

    def stop(self) -> None:
        _run(self.bin / "pg_ctl", "stop", "-D", self.folder / "data", "-m", "fast", "-w")

    def start(self) -> None:
        _run(self.bin / "pg_ctl", "start", "-D", self.folder / "data", "-w", "-t", "60",
             "-l", self.folder / "server.log", "-o", self._options())

    def _options(self) -> str:
        settings = (f"port={self.port}", "listen_addresses=127.0.0.1", f"unix_socket_directories={self.folder}",
                    "max_connections=200", *(() if self.durable else FAST_SETTINGS))
        return " ".join(f"-c {setting}" for setting in settings)


@contextlib.contextmanager
def run_postgres(*, durable: bool = False) -> Iterator[PostgresServer]:
    """Start a fresh server (initdb + pg_ctl) on a free localhost port; stop and remove it after."""
    bin_folder = postgres_bin()
    if bin_folder is None:
        raise FileNotFoundError(POSTGRES_MISSING)
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    server = PostgresServer(bin_folder, folder, free_port(), secrets.token_urlsafe(12), durable)
    try:
        _initdb(server)
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _run(bin_folder / "pg_ctl", "stop", "-D", folder / "data", "-m", "immediate", "-w")
        shutil.rmtree(folder, ignore_errors=True)


def _initdb(server: PostgresServer) -> None:
    password_file = server.folder / "password"
    password_file.write_text(server.password)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(server.folder, account.pw_uid, account.pw_gid)
        os.chown(password_file, account.pw_uid, account.pw_gid)
    _run(server.bin / "initdb", "-D", server.folder / "data", "-U", USER, f"--pwfile={password_file}",
         "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8")
    password_file.unlink()


def _run(*command) -> None:
    user = "postgres" if os.geteuid() == 0 else None
    # From "/", which the postgres user can enter whatever the caller's folder.
    subprocess.run([str(part) for part in command], check=True, user=user, capture_output=True, cwd="/")
