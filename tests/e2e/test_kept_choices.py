"""The name, teaching mode and scoping step live in the address: a page switch, a reload and the
link opened in a new tab keep them (AppTest cannot check this part: the browser writes the URL)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def _expect_kept(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_label("Your name", exact=True)).to_have_value("Ada Lovelace")
    expect(sidebar.get_by_role("switch", name="Teaching mode")).to_be_checked()
    expect(page.get_by_role("heading", name="2. Candidate solutions")).to_be_visible()


def test_name_teaching_and_step_survive_page_switch_reload_and_new_tab(
    fresh_streamlit_server: str, page: Page, wait_for_app
) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    page.get_by_label("Project name", exact=True).fill("Kept choices")
    page.get_by_role("button", name="Create project", exact=True).click()
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("Your name", exact=True).fill("  Ada   Lovelace ")
    sidebar.get_by_label("Your name", exact=True).press("Enter")
    wait_for_app(page)
    sidebar.get_by_text("Teaching mode", exact=True).click()
    wait_for_app(page)
    sidebar.get_by_role("link", name="Scoping", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="Next").click()
    wait_for_app(page)
    _expect_kept(page)

    page.reload()
    wait_for_app(page)
    _expect_kept(page)

    tab = page.context.new_page()
    tab.goto(page.url)
    wait_for_app(tab)
    _expect_kept(tab)
    assert "nav.actor_name=Ada+Lovelace" in page.url or "nav.actor_name=Ada%20Lovelace" in page.url
