"""Whole user flows in a real browser; each test starts its own server on an empty database."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

STAGES = ["Scope", "Data", "Model", "Deploy", "Review"]
ROWS_20K = re.compile(r"^\s*20(,|\u202f|\u00a0| )?000\s*$")


def _sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def _main(page: Page):
    return page.get_by_test_id("stMain")


def _go(page: Page, link: str, path: str, wait_for_app, heading: str | None = None) -> None:
    """Opens a page by its sidebar link and waits until it is drawn.

    A click that lands while the page before is still rerunning can be lost, so the link is
    clicked again when the address has not changed after a while.
    """
    address = re.compile(rf"/{path}/?(\?.*)?$")
    for attempt in range(3):
        _sidebar(page).get_by_role("link", name=link, exact=True).click()
        try:
            expect(page).to_have_url(address, timeout=15_000 * (attempt + 1))
            break
        except AssertionError:
            if attempt == 2:
                raise
    wait_for_app(page)
    if heading:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=60_000)


def _no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _choose(page: Page, label: str, option: str) -> None:
    """Picks an option in the selectbox with this label, by typing it (the keyboard path).

    Clicking an option is flaky: the popover animates in, and scrolling it into view closes it.
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    for _ in range(3):
        box.focus()
        box.fill(option)
        try:
            expect(page.get_by_role("option", name=option, exact=True)).to_be_visible(timeout=5_000)
            box.press("Enter")
            expect(page.get_by_role("listbox")).to_have_count(0, timeout=5_000)
            # While focused the box shows the typed text whether or not Enter picked the option; once
            # focus leaves it shows the value the widget holds, the one a form would submit.
            box.blur()
            expect(box).not_to_be_focused()
            expect(box).to_have_value(option, timeout=5_000)
            return
        except AssertionError:
            box.press("Escape")
    box.blur()
    expect(box).to_have_value(option)


def _metric_value(scope, label: str):
    """The value of the metric with this label inside scope (a page, tab panel or section)."""
    metric = scope.get_by_test_id("stMetric").filter(
        has=scope.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return metric.get_by_test_id("stMetricValue")


def _open_tab(page: Page, name: str, wait_for_app):
    """Selects the tab and returns its panel."""
    page.get_by_role("tab", name=name, exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel").filter(visible=True)
    expect(panel).to_have_count(1)
    return panel


def _create_project(page: Page, name: str, source: str, wait_for_app) -> None:
    # A rerun still under way (the page just opened) redraws the form and would reset what is typed.
    wait_for_app(page)
    name_input = page.get_by_label("Project name", exact=True)
    try:  # open on a fresh server; a moment's wait keeps a click from closing it mid-render
        expect(name_input).to_be_visible(timeout=3_000)
    except AssertionError:  # the form sits in a collapsed expander once projects exist
        _main(page).get_by_text("Create a project", exact=True).first.click()
        expect(name_input).to_be_visible()
    name_input.fill(name)
    _choose(page, "Start from", source)
    expect(name_input).to_have_value(name)
    expect(page.get_by_role("combobox", name="Start from", exact=True)).to_have_value(source)
    page.get_by_role("button", name="Create project", exact=True).click()
    wait_for_app(page)
    # The project list says what each project started from: a form reset under way would have made
    # a blank project out of a demo, and the test would fail far from its cause.
    listed = _main(page).locator("p").filter(has=page.locator("strong", has_text=name)).filter(has_text=source)
    expect(listed.first).to_be_visible(timeout=60_000)


def test_create_loan_project_and_see_profile_and_splits(
    fresh_streamlit_server: str, page: Page, wait_for_app, screenshot
) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()

    _create_project(page, "Loan demo", "Demo: Loan approval", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)
    expect(_main(page).get_by_role("heading", name=re.compile(r"^Progress\b")).first).to_be_visible()
    for stage in STAGES:
        expect(_main(page).get_by_text(stage, exact=True).first).to_be_visible()
    _no_exception(page)
    screenshot(page, "home")

    _sidebar(page).get_by_role("link", name="Datasets", exact=True).click()
    page.wait_for_url(re.compile(r"/datasets/?(\?.*)?$"))  # the open project may ride in the query
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Datasets", exact=True)).to_be_visible()
    for tab in ["Overview", "Roles", "Profile", "Splits", "Versions"]:
        expect(page.get_by_role("tab", name=tab, exact=True)).to_be_visible()
    _no_exception(page)
    screenshot(page, "datasets-overview")

    profile = _open_tab(page, "Profile", wait_for_app)
    expect(_metric_value(profile, "Rows")).to_have_text(ROWS_20K)
    for metric in ["Columns", "Missing cells", "Duplicate rows"]:
        expect(_metric_value(profile, metric)).to_be_visible()
    expect(profile.get_by_test_id("stPlotlyChart").first).to_be_visible()
    _no_exception(page)
    screenshot(page, "datasets-profile")

    splits = _open_tab(page, "Splits", wait_for_app)
    splits.get_by_role("button", name="Make splits", exact=True).click()
    wait_for_app(page)
    splits = _open_tab(page, "Splits", wait_for_app)  # a rerun may bring back the first tab
    table = splits.locator('[data-testid="stDataFrame"], [data-testid="stTable"]').first
    expect(table).to_be_visible()
    for split in ["train", "dev", "test"]:
        expect(table.get_by_text(split, exact=True).first).to_be_attached()
    _no_exception(page)
    screenshot(page, "datasets-splits")


def test_deep_link_on_fresh_server_shows_frame(
    fresh_streamlit_server: str, page: Page, wait_for_app, screenshot
) -> None:
    page.goto(f"{fresh_streamlit_server}/datasets")
    wait_for_app(page)

    sidebar = _sidebar(page)
    expect(sidebar.get_by_role("link", name="Projects", exact=True)).to_be_visible()
    expect(sidebar.get_by_text("Teaching mode", exact=True)).to_be_visible()
    info = page.get_by_test_id("stAlertContentInfo").filter(has_text=re.compile("project", re.I))
    expect(info.first).to_be_visible()
    expect(_main(page).get_by_role("link", name=re.compile("Projects"))).not_to_have_count(0)
    _no_exception(page)
    screenshot(page, "datasets-deep-link")
