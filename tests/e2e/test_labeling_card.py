"""The labeling card in a real browser: every loan field at once with blind labeling, and a digit's picture."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_flows import _create_project, _go
from tests.e2e.test_labeling_flow import _section


def _plan_and_open_label(page: Page, wait_for_app) -> None:
    _go(page, "Labeling", "labeling", wait_for_app, heading="Labeling")
    _section(page, "Plan", wait_for_app)
    page.get_by_label("Batch size").fill("6")
    page.get_by_role("button", name="Plan batch", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Planned batch 1: 6 items"))).to_be_visible()
    _section(page, "Label", wait_for_app)
    expect(page.get_by_text(re.compile(r"Item 1 of \d+")).first).to_be_visible()


def test_the_labeling_card_of_a_loan_and_of_a_digit(fresh_streamlit_server: str, page: Page, wait_for_app,
                                                    screenshot):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Loan card", "Demo: Loan approval", wait_for_app)
    _plan_and_open_label(page, wait_for_app)
    main = page.get_by_test_id("stMain")
    tables = main.locator('[data-testid="stMarkdownContainer"] table')
    expect(tables).to_have_count(2)  # the fields in two compact columns
    for field in ("credit_score", "debt_to_income", "income", "late_payments_2y"):
        expect(tables.get_by_role("cell", name=field, exact=True)).to_be_visible()  # all at once, no scrolling
    expect(tables.get_by_role("cell", name="sex", exact=True)).to_have_count(0)
    expect(main.get_by_text(re.compile(r"Blind labeling: the sensitive columns \(sex, age_band, region\)"))).to_be_visible()
    screenshot(page, "labeling-card-loan")
    box = tables.last.bounding_box()
    assert box["y"] + box["height"] <= 1000, "the whole card fits in a 1280 × 1000 window"

    _go(page, "Projects", "", wait_for_app, heading="Projects")
    _create_project(page, "Digit card", "Demo: Handwritten digits", wait_for_app)
    _plan_and_open_label(page, wait_for_app)
    expect(page.locator('[data-testid="stImage"] img').first).to_be_visible()
    expect(page.get_by_role("button", name="7 Shortcut 7", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMain").locator('[data-testid="stMarkdownContainer"] table')).to_have_count(0)
    screenshot(page, "labeling-card-digits")
    expect(page.get_by_test_id("stException")).to_have_count(0)
