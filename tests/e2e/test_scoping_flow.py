"""Scoping in a real browser: answers and a target typed in survive a page reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

ANSWERS = {
    "problem-statement": "Loan officers need three days per decision and applicants leave.",
    "problem-owner": "Head of consumer lending; loan officers use the result.",
    "solutions-candidates": "1) Automate the rule. 2) A classifier that recommends. 3) Hire more officers.",
    "solutions-choice": "Start with the classifier that recommends; the rule is the baseline.",
}


def _keyed(page: Page, key: str):
    """The element container Streamlit marks with the widget's key (dots become hyphens)."""
    return page.locator(f".st-key-{key}")


def _answer(page: Page, item: str, text: str, wait_for_app) -> None:
    box = _keyed(page, f"scope-answer-{item}").locator("textarea")
    box.fill(text)
    box.press("Tab")  # Streamlit sends a text area's value when it loses focus
    wait_for_app(page)
    _keyed(page, f"scope-status-{item}").get_by_text("done", exact=True).click()
    wait_for_app(page)


def _expect_kept(page: Page, item: str) -> None:
    expect(_keyed(page, f"scope-answer-{item}").locator("textarea")).to_have_value(ANSWERS[item])
    expect(_keyed(page, f"scope-status-{item}").locator("input[type=radio]").nth(1)).to_be_checked()


def test_first_two_steps_and_a_target_survive_a_reload(
    fresh_streamlit_server: str, page: Page, wait_for_app, screenshot
) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    page.get_by_label("Project name", exact=True).fill("Scoping in the browser")
    page.get_by_role("button", name="Create project", exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Scoping", exact=True).click()
    page.wait_for_url(re.compile(r"/scoping\?project=\d+"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="1. Business problem")).to_be_visible()

    _answer(page, "problem-statement", ANSWERS["problem-statement"], wait_for_app)
    _answer(page, "problem-owner", ANSWERS["problem-owner"], wait_for_app)
    page.get_by_role("button", name="Next").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="2. Candidate solutions")).to_be_visible()
    _answer(page, "solutions-candidates", ANSWERS["solutions-candidates"], wait_for_app)
    _answer(page, "solutions-choice", ANSWERS["solutions-choice"], wait_for_app)

    page.get_by_role("tab", name="Targets", exact=True).click()
    _keyed(page, "scope-target_value").locator("input").fill("0.85")
    page.get_by_role("button", name="Add target").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("accuracy >= 0.85")).to_be_visible()

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Scoping", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMetricValue")).to_have_text(re.compile(r"^\s*22%\s*$"))  # 4 of 18 items
    _expect_kept(page, "solutions-candidates")  # the reload keeps step 2 (the address holds it)
    _expect_kept(page, "solutions-choice")
    page.get_by_role("button", name="Previous").click()
    wait_for_app(page)
    _expect_kept(page, "problem-statement")
    _expect_kept(page, "problem-owner")
    page.get_by_role("tab", name="Targets", exact=True).click()
    expect(page.get_by_role("tabpanel").filter(visible=True).get_by_text("accuracy >= 0.85")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.get_by_role("tab", name="Checklist", exact=True).click()
    screenshot(page, "scoping")
