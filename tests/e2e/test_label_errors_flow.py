"""Label errors in a real browser: a scan is stored, listed again after a page switch, marked stale, reported."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_experiments_flow import _make_splits
from tests.e2e.test_flows import _create_project, _go, _main, _no_exception


def _label_errors(page: Page, wait_for_app) -> None:
    _go(page, "Labeling", "labeling", wait_for_app)
    page.get_by_test_id("stButtonGroup").get_by_text("Label errors", exact=False).first.click()
    wait_for_app(page)


def test_a_scan_is_stored_shown_after_a_page_switch_marked_stale_and_reported(
        fresh_streamlit_server: str, page: Page, wait_for_app, screenshot):
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Digits errors", "Demo: Handwritten digits", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)
    _make_splits(page, wait_for_app)
    _label_errors(page, wait_for_app)
    _main(page).get_by_role("button", name="Find label errors", exact=True).click()
    wait_for_app(page, timeout_ms=120_000)
    flagged = page.get_by_test_id("stMetric").get_by_test_id("stMetricValue").first
    expect(flagged).to_have_text(re.compile(r"^\d+ of 1,\d{3} training rows$"))
    shown = flagged.inner_text()
    expect(_main(page).get_by_text(re.compile(r"^Scan of .* by analyst: 5 folds, seed 0"))).to_be_visible()
    _no_exception(page)
    screenshot(page, "label-errors-scan")

    _main(page).get_by_role("button", name=re.compile(r"^Accept the correction to ")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"1 correction accepted \(row \d+\)"))).to_be_visible()
    _go(page, "Audit report", "report", wait_for_app)
    found = shown.split(" of ")[0]
    expect(_main(page).get_by_text(re.compile(
        rf"{found} label errors found in the latest scan \(of 1,\d{{3}} labels checked, \d{{4}}-\d\d-\d\d\), 1 fixed; "
        "labels changed since")).first).to_be_visible()
    screenshot(page, "label-errors-report")

    _label_errors(page, wait_for_app)  # the list is read back from the database after the page switch
    expect(page.get_by_test_id("stMetric").get_by_test_id("stMetricValue").first).to_have_text(shown)
    expect(_main(page).get_by_text(re.compile(r"^Stale: labels changed since this scan \(1 of its rows"))).to_be_visible()
    _no_exception(page)
    screenshot(page, "label-errors-stale")
