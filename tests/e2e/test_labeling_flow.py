"""Labeling in a real browser: the demo team labels a batch, you label ten items, agreement updates."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_flows import _create_project


def _main(page: Page):
    return page.get_by_test_id("stMain")


def _section(page: Page, name: str, wait_for_app) -> None:
    page.get_by_test_id("stButtonGroup").get_by_text(name, exact=False).first.click()
    wait_for_app(page)


def _metric(page: Page, label: str):
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    return metric.get_by_test_id("stMetricValue")


def test_label_ten_items_and_see_agreement_update(fresh_streamlit_server: str, page: Page, wait_for_app, screenshot):
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Digits workshop", "Demo: Handwritten digits", wait_for_app)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Labeling", exact=True).click()
    page.wait_for_url(re.compile(r"/labeling/?(\?.*)?$"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Labeling", exact=True)).to_be_visible()

    _section(page, "Plan", wait_for_app)
    # A demo project comes with its simulated labelers: no button to press first.
    expect(page.get_by_role("button", name="Add the demo's simulated labelers")).to_have_count(0)
    expect(_main(page).get_by_text("Sim · Ada (careful)").first).to_be_attached()
    page.get_by_label("Batch size").fill("30")
    page.get_by_role("button", name="Plan batch", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Planned batch 1: 30 items"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Let the simulated labelers label batch 1")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"The simulated labelers made \d+ labels"))).to_be_visible()
    screenshot(page, "labeling-plan")

    _section(page, "Consistency", wait_for_app)
    expect(_metric(page, "Percent agreement")).to_be_visible()
    before = _metric(page, "Items with 2+ labels").inner_text()

    _section(page, "Label", wait_for_app)
    expect(page.locator('[data-testid="stImage"] img').first).to_be_visible()
    screenshot(page, "labeling-item")
    for click in range(10):
        page.get_by_role("button", name=f"{click % 10} Shortcut {click % 10}", exact=True).click()
        wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    _section(page, "Consistency", wait_for_app)
    expect(_metric(page, "Items with 2+ labels")).not_to_have_text(before)
    expect(page.get_by_text("Cohen's κ for every pair of labelers").first).to_be_attached()
    screenshot(page, "labeling-consistency")

    _section(page, "Effort", wait_for_app)
    expect(_metric(page, "Labels per hour")).to_be_visible()
    screenshot(page, "labeling-effort")
