"""Browser tests: Playwright with Debian's Chromium against a real `streamlit run` server."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.streamlit_server import APP_IDLE, CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, run_streamlit

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_MISSING = "Debian's Chromium is not installed: run `sudo apt-get install -y chromium`"
APP_IDLE_TIMEOUT_MS = 60_000
APP_RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
# How long an action may take to start its rerun. Without this wait, a check right after a
# click can see the idle state from before the rerun (seen on a loaded two-core machine).
RERUN_START_MS = 750
E2E_RERUNS = 1


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests under tests/e2e (and only those) as e2e; skip them without a browser."""
    skip = pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if not item.path.resolve().is_relative_to(E2E_DIR):
            continue
        item.add_marker(pytest.mark.e2e)
        # One fresh attempt (each flow starts its own server and database) for the browser's own timing
        # on a loaded machine; the summary lists every rerun, and a defect fails both attempts.
        item.add_marker(pytest.mark.flaky(reruns=E2E_RERUNS))
        # In CI a skipped browser test would hide a missing install: fail instead (below).
        if not CHROMIUM.exists() and not _in_ci():
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Fails every browser test in CI when Chromium is missing (outside CI they are skipped)."""
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(CHROMIUM_MISSING, pytrace=False)
        pytest.skip(CHROMIUM_MISSING)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launches Debian's Chromium instead of a browser downloaded by Playwright."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Gives every page a desktop-sized viewport."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}}


@pytest.fixture(scope="module")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server (and database) shared by the tests of a module."""
    with run_streamlit(tmp_path_factory.mktemp("streamlit")) as server:
        yield server.url


@pytest.fixture
def fresh_streamlit_server(tmp_path: Path) -> Iterator[str]:
    """A server started for this test alone, on an empty database."""
    with run_streamlit(tmp_path) as server:
        yield server.url


def wait_for_app(page, timeout_ms: int = APP_IDLE_TIMEOUT_MS) -> None:
    """Waits for the rerun the last action started (if any) to finish, with no spinner left."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_selector(APP_RUNNING, timeout=RERUN_START_MS)
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=timeout_ms
    )
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)


_CONTENT_HEIGHT_JS = """() => {
  const heights = ['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
    .map((selector) => document.querySelector(selector))
    .filter(Boolean)
    .map((element) => element.scrollHeight);
  return Math.max(document.documentElement.scrollHeight, ...heights);
}"""


def screenshot(page, name: str) -> Path:
    """Saves the whole page, not only the viewport, to test-artifacts/screenshots/<name>.png."""
    wait_for_app(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    # Streamlit scrolls inside stMain, so a full-page shot only shows the viewport: grow it.
    height = page.evaluate(_CONTENT_HEIGHT_JS)
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    try:
        page.wait_for_timeout(300)  # let charts re-layout to the new size
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


@pytest.fixture(name="wait_for_app")
def wait_for_app_fixture():
    """Gives tests `wait_for_app(page)` without importing this conftest as a module."""
    return wait_for_app


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    """Gives tests `screenshot(page, name)` without importing this conftest as a module."""
    return screenshot
