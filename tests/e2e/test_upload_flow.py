"""A messy European export uploaded in a real browser: what was found is shown, then stored."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.test_flows import _create_project, _main, _metric_value, _no_exception, _open_tab

MESSY = (
    "price;qty;label;when\n12,50;3;x;2024-01-05\n7,99;?;y;2024-01-06\n1.299,00;2;x;2024-01-07\n"
    "4,20;1;y;2024-01-08\n"
)


def test_upload_a_decimal_comma_file_with_markers_and_see_what_was_found(
    fresh_streamlit_server: str, page: Page, wait_for_app, screenshot, tmp_path
) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Shop", "Blank project", wait_for_app)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Datasets", exact=True).click()
    page.wait_for_url(re.compile(r"/datasets/?(\?.*)?$"))
    wait_for_app(page)

    path = tmp_path / "shop.csv"
    path.write_text(MESSY, encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    wait_for_app(page)
    main = _main(page)
    expect(main.get_by_text("Decimal commas read as numbers", exact=False)).to_be_visible(timeout=30_000)
    expect(main.get_by_text("1 value looks like missing-value markers", exact=False)).to_be_visible()
    _no_exception(page)
    screenshot(page, "upload-review")

    page.get_by_role("button", name="Store dataset", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("Stored shop v1: 4 rows, 4 columns.")
    profile = _open_tab(page, "Profile", wait_for_app)
    expect(_metric_value(profile, "Missing cells")).to_have_text("1")
    _no_exception(page)
    screenshot(page, "upload-profile")
