"""Cold start: the first complete render of a page on a freshly started Streamlit server."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.streamlit_server import APP_IDLE, CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, run_streamlit

ANCHOR_APP = 'import pandas, plotly, sklearn; import streamlit as st; st.title("Projects")\n'
TIMEOUT_S = 60


@dataclass(frozen=True)
class ColdStart:
    """Seconds from navigation to the finished first render, and the server's peak memory."""

    seconds: float
    server_peak_bytes: int


def _peak_rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _first_render(browser, app_dir: Path) -> ColdStart:
    with tempfile.TemporaryDirectory() as work, run_streamlit(Path(work), cwd=app_dir, database="bench.db") as server:
        url, process = server.url, server.process
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
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _ in range(repeats):
                ours.append(_first_render(browser, REPO_ROOT))
                anchor.append(_first_render(browser, Path(anchor_dir)))
        finally:
            browser.close()
    return ours, anchor
