"""Labeling from the keyboard in a real browser: a class key labels, Shift+S skips, Shift+Z undoes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_flows import _create_project
from tests.e2e.test_labeling_flow import _section


def _press(page: Page, key: str, wait_for_app) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no field takes the key
    page.keyboard.press(key)
    wait_for_app(page)


def test_label_skip_and_undo_with_keys(fresh_streamlit_server: str, page: Page, wait_for_app, screenshot):
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Digits by keys", "Demo: Handwritten digits", wait_for_app)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Labeling", exact=True).click()
    wait_for_app(page)
    _section(page, "Plan", wait_for_app)
    # A demo project comes with its simulated labelers: no button to press first.
    expect(page.get_by_role("button", name="Add the demo's simulated labelers")).to_have_count(0)
    expect(page.get_by_test_id("stMain").get_by_text("Sim · Ada (careful)").first).to_be_attached()
    page.get_by_label("Batch size").fill("5")
    page.get_by_role("button", name="Plan batch", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Planned batch 1: 5 items"))).to_be_visible()
    _section(page, "Label", wait_for_app)
    counter = page.get_by_text(re.compile(r"Item \d+ of \d+")).first
    expect(counter).to_contain_text("Item 1 of")
    total = int(re.search(r"Item 1 of (\d+)", counter.inner_text()).group(1))
    assert total >= 2  # the analyst's share of the five items
    expect(page.get_by_role("button", name="7 Shortcut 7", exact=True)).to_be_visible()  # the key is on the button
    screenshot(page, "labeling-keys")
    _press(page, "7", wait_for_app)
    expect(counter).to_contain_text(f"Item 2 of {total}")
    _press(page, "Shift+S", wait_for_app)
    expect(counter).to_contain_text(f"Item 2 of {total}")
    _press(page, "Shift+Z", wait_for_app)
    expect(page.get_by_text("Your last label was withdrawn")).to_be_visible()
    expect(counter).to_contain_text(f"Item 1 of {total}")
    _press(page, "Shift+U", wait_for_app)
    expect(counter).to_contain_text(f"Item 2 of {total}")
    expect(page.get_by_test_id("stException")).to_have_count(0)
