"""A double click on Train in Chromium makes one run, and the estimate before it shows its progress at the button."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from storage.db import make_engine, session_scope
from storage.modeling.runs import list_runs
from tests.e2e.streamlit_server import run_streamlit
from tests.e2e.test_experiments_flow import open_experiments_on_loans
from tests.e2e.test_flows import _choose, _main, _no_exception

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def stored_runs(database: Path) -> list:
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_scope(engine) as session:
            return [(run.number, run.status) for run in list_runs(session, 1)]
    finally:
        engine.dispose()


def test_a_double_click_on_train_makes_one_run(tmp_path: Path, page: Page, wait_for_app, screenshot) -> None:
    with run_streamlit(tmp_path) as server:
        open_experiments_on_loans(page, server.url, "One click", wait_for_app)

        # 14,000 training rows: above the 2,000 where the page estimates the time before launching.
        _choose(page, "Model", "Random forest")
        page.get_by_text("Learning curve (dev score at 10%, 25%, 50% and all training rows)").click()
        page.get_by_role("textbox", name="Notes").fill("double click")
        form = page.get_by_test_id("stForm")
        form.get_by_role("button", name="Train", exact=True).dblclick()
        # The estimate runs before the run exists: its progress shows just above the buttons, Train disabled.
        at_button = form.get_by_test_id("stProgress")
        expect(at_button).to_be_visible(timeout=30_000)
        expect(at_button).to_contain_text("Estimating the training time")
        expect(form.get_by_role("button", name="Launching…")).to_be_disabled()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        expect(at_button).to_be_in_viewport()
        page.screenshot(path=str(SCREENSHOTS / "experiments-train-estimating.png"))

        expect(page.get_by_text(re.compile(r"^Started Run 1: Random forest on 14,000 training rows"))).to_be_visible(
            timeout=120_000)
        assert [number for number, _ in stored_runs(tmp_path / "e2e.db")] == [1]
        # The form is ready for the next run: Train enabled again, the notes empty.
        expect(form.get_by_role("button", name="Train", exact=True)).to_be_enabled()
        expect(page.get_by_role("textbox", name="Notes")).to_have_value("")
        _main(page).get_by_role("button", name="Cancel").click()
        expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=120_000)
        wait_for_app(page)
        assert stored_runs(tmp_path / "e2e.db") == [(1, "cancelled")]
        _no_exception(page)
        screenshot(page, "experiments-train-one-click")
