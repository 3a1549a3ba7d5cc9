"""Browser flow of the audit report: the page for a loan project, its HTML export opened offline.

The project is built through storage calls into the server's database before the server starts.
The downloaded HTML file is then opened in Chromium with every request but the file itself
aborted: each section's text must show, the plotly charts must draw, and nothing may leave.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from storage.db import make_engine, session_scope
from storage.report.gather import gather_report
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.streamlit_server import run_streamlit
from tests.e2e.test_flows import _main, _no_exception
from tests.storage.report_factories import PAYLOAD, TAG, reported_project


def _built_project(workdir: Path) -> tuple[int, list[str]]:
    engine = make_engine(f"sqlite:///{workdir / 'e2e.db'}")
    ids = reported_project(engine)
    with session_scope(engine) as s:
        titles = [section.title for section in gather_report(s, ids["project_id"]).sections]
    engine.dispose()
    return ids["project_id"], titles


def _download_html(page: Page, tmp_path: Path, wait_for_app) -> Path:
    _main(page).get_by_text("Download the report").click()
    _main(page).get_by_role("button", name="Prepare report files", exact=True).click()
    wait_for_app(page, timeout_ms=120_000)  # the report is gathered again, then the files are built
    with page.expect_download(timeout=60_000) as info:
        _main(page).get_by_role("button", name="Audit report (HTML)", exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_report_page_and_its_html_file_offline(page: Page, wait_for_app, screenshot, tmp_path) -> None:
    project_id, titles = _built_project(tmp_path)
    with run_streamlit(tmp_path) as server:
        page.goto(f"{server.url}/report?project={project_id}&nav.teaching=true")
        wait_for_app(page, timeout_ms=120_000)
        _no_exception(page)
        for title in [*titles, "Teaching reveal"]:
            expect(_main(page).get_by_role("heading", name=title)).to_be_visible(timeout=30_000)
        screenshot(page, "report")
        exported = _download_html(page, tmp_path, wait_for_app)
    assert exported.name.endswith(".html") and "_audit-report_" in exported.name

    requests, dialogs = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    file_url = exported.resolve().as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == file_url else route.abort())
    page.goto(file_url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    for title in [*titles, "Teaching reveal"]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit report: Loans {PAYLOAD}")
    expect(page.get_by_text(f"found: tag “{TAG}”")).to_be_visible()
    expect(page.get_by_text("Pat Owner").first).to_be_visible()
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.locator(".js-plotly-plot svg.main-svg").count() >= 3
    assert page.locator("img").count() == 0 and not dialogs  # the payloads stayed text
    assert requests == [file_url], f"requests left the file: {requests}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-html-offline.png"), full_page=True)
