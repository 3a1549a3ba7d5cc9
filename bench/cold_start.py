"""Cold start: the first complete render of a page on a freshly started Streamlit server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ANCHOR_APP = 'import pandas, plotly, sklearn; import streamlit as st; st.title("Projects")\n'
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_S = 60


@dataclass(frozen=True)
class ColdStart:
    """Seconds from navigation to the finished first render, and the server's peak memory."""

    seconds: float
    server_peak_bytes: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _peak_rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def _server(app_dir: Path, database_dir: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = {**os.environ, "WORKBENCH_DATABASE_URL": f"sqlite:///{database_dir / 'bench.db'}"}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        time.sleep(0.1)
    raise TimeoutError(f"streamlit was not healthy after {TIMEOUT_S} s")


def _first_render(browser, app_dir: Path) -> ColdStart:
    with tempfile.TemporaryDirectory() as database_dir, _server(app_dir, Path(database_dir)) as (url, process):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        heading = page.get_by_role("heading", name="Projects", exact=True)
        heading.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
        page.wait_for_selector(APP_IDLE, timeout=TIMEOUT_S * 1000)
        seconds = time.perf_counter() - start
        peak = _peak_rss_bytes(process.pid)
        context.close()
    return ColdStart(seconds, peak)


def measure_cold_start(repeats: int = 3) -> tuple[list[ColdStart], list[ColdStart]]:
    """Returns (ours, anchor) first renders, measured alternately `repeats` times each."""
    from playwright.sync_api import sync_playwright

    ours: list[ColdStart] = []
    anchor: list[ColdStart] = []
    with tempfile.TemporaryDirectory() as anchor_dir, sync_playwright() as playwright:
        (Path(anchor_dir) / "app.py").write_text(ANCHOR_APP)
        shutil.copytree(REPO_ROOT / ".streamlit", Path(anchor_dir) / ".streamlit")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(repeats):
                ours.append(_first_render(browser, REPO_ROOT))
                anchor.append(_first_render(browser, Path(anchor_dir)))
        finally:
            browser.close()
    return ours, anchor
