"""Browser flow of the Deployment page: a canary of a degraded challenger replays with progress and rolls back."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_experiments_flow import _make_splits, _train
from tests.e2e.test_flows import _create_project, _main, _no_exception, _open_tab, _sidebar

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _until_trained(page: Page, wait_for_app) -> None:
    """A fit this quick can end before the progress panel first polls: reload until the run is finished."""
    for _ in range(60):
        page.wait_for_timeout(1_000)
        page.reload()
        wait_for_app(page)
        if _main(page).get_by_text(re.compile(r"running")).count() == 0:
            return
    raise AssertionError("run #1 still training after a minute")


def _promote_champion(page: Page, wait_for_app) -> None:
    registry = _open_tab(page, "Registry", wait_for_app)
    registry.get_by_label("Override reason (only to promote a run that fails the gate; it is logged)").fill(
        "First model, to try the rollout")
    registry.get_by_role("button", name="Promote", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Run 1 is now the champion"))).to_be_visible()


def _open_deployment(page: Page, wait_for_app) -> None:
    _sidebar(page).get_by_role("link", name="Deployment", exact=True).click()
    expect(page).to_have_url(re.compile(r"/deployment/?(\?.*)?$"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Deployment", exact=True)).to_be_visible()


def test_canary_of_a_degraded_challenger_rolls_back(fresh_streamlit_server: str, page: Page, wait_for_app,
                                                     screenshot) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Loan rollout", "Demo: Loan approval", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)
    _make_splits(page, wait_for_app)

    _open_deployment(page, wait_for_app)  # before any champion: the page says what is missing
    expect(page.get_by_text(re.compile("has no champion model yet"))).to_be_visible()
    screenshot(page, "deployment-no-champion")
    _main(page).get_by_role("link", name="Go to Experiments").click()
    wait_for_app(page)
    _train(page, "Logistic regression", 1, wait_for_app)
    _until_trained(page, wait_for_app)
    _promote_champion(page, wait_for_app)

    _open_deployment(page, wait_for_app)
    page.get_by_text("A new system replacing an old one", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Then it takes a growing share of real traffic"))).to_be_visible()
    page.get_by_role("button", name="Train a degraded challenger (workshop preset)").click()
    wait_for_app(page, timeout_ms=120_000)
    expect(page.get_by_text(re.compile(r"trained on shifted labels, is now the challenger"))).to_be_visible()
    main = _main(page)
    main.get_by_role("radiogroup", name="Rollout mode").get_by_text("Canary", exact=True).click()
    wait_for_app(page)
    screenshot(page, "deployment-plan")

    # Small batches (each a real predict_proba call, tens of ms) make the replay long enough to watch.
    main.get_by_label("Requests per batch").fill("50")
    main.get_by_label("Requests per step (or per check)").fill("2000")
    main.get_by_role("button", name="Start the replay").click()
    expect(page.get_by_text(re.compile(r"^Started Deployment 1: canary of Run 2"))).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stProgress").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"^Deployment 1 · Canary of Run 2"))).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "deployment-replaying.png"))  # the page reruns while it replays
    expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=180_000)
    wait_for_app(page)

    replays = _open_tab(page, "Replays", wait_for_app)
    expect(replays.get_by_text(re.compile(r"Deployment 1 .* was rolled back to the running side"))).to_be_visible()
    expect(replays.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(replays.get_by_text("Timeline", exact=True)).to_be_visible()
    _no_exception(page)
    screenshot(page, "deployment-rolled-back")
