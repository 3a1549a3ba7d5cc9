"""Starting a real `streamlit run` server on loopback, shared by the browser tests and bench/."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying outside addresses, which a closed
# network refuses; the rest make a headless, sandbox-free start as root work.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SERVER_START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen


def free_port() -> int:
    """Returns a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def run_streamlit(workdir: Path, *, app: str = "app.py", cwd: Path = REPO_ROOT,
                  database: str = "e2e.db", database_url: str | None = None) -> Iterator[Server]:
    """Starts `streamlit run` on a free port with its database (or `database_url`) and log in workdir; stops it after."""
    port = free_port()
    env = {**os.environ, "WORKBENCH_DATABASE_URL": database_url or f"sqlite:///{workdir / database}"}
    log_path = workdir / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_healthy(server, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(server: Server, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}:\n{log_path.read_text()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        time.sleep(0.1)
    raise TimeoutError(f"streamlit was not healthy after {SERVER_START_TIMEOUT_S} s:\n{log_path.read_text()}")
