"""A browser walks every page of a project whose user text is Markdown and HTML: nothing is fetched, nothing rendered."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from storage.db import make_engine
from tests.pages.user_text_payloads import EVIL_HOST, FIELDS, LABELER, plant_payloads

PAGES = ["Scoping", "Datasets", "Labeling", "Baselines", "Experiments", "Audit report", "Projects"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PAYLOAD_IMAGES = f"img[src*='{EVIL_HOST}'], img[src='x']"


def test_pages_with_planted_payloads_fetch_nothing_outside_and_show_them_as_text(
        fresh_streamlit_server: str, tmp_path: Path, page: Page, wait_for_app, screenshot):
    engine = make_engine(f"sqlite:///{tmp_path / 'e2e.db'}")  # the server's database
    plant_payloads(engine)
    engine.dispose()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    name = sidebar.get_by_role("textbox", name="Your name")
    name.fill(LABELER)
    name.press("Enter")
    wait_for_app(page)
    expect(page.get_by_test_id("stMain")).to_contain_text(f"Progress of “{FIELDS['project']}”")
    for label in PAGES:
        sidebar.get_by_role("link", name=label, exact=True).click()
        wait_for_app(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.locator(PAYLOAD_IMAGES)).to_have_count(0)
        screenshot(page, f"user-text-{label.lower()}")
        if label == "Labeling":
            # The class written as an image is a button reading exactly as typed, not a broken image.
            # (its accessible name ends with the keyboard shortcut Streamlit shows on it)
            class_button = page.get_by_role("button", name=f"{FIELDS['class']} Shortcut")
            expect(class_button).to_be_visible()
            expect(page.get_by_test_id("stMain")).to_contain_text(f"Labeling as {LABELER}")
        if label == "Datasets":
            expect(page.get_by_test_id("stMain")).to_contain_text(f"Source: upload:{FIELDS['file']}.csv")

    outside = sorted({urlparse(url).hostname for url in requested} - LOCAL_HOSTS - {None})
    assert outside == []
    assert any(urlparse(url).hostname in LOCAL_HOSTS for url in requested)
