"""A page on a shared PostgreSQL server whose server restarts: it says so, retries, and comes back by itself."""

from playwright.sync_api import expect

from pages.components.frame import NO_DATABASE_SIDEBAR
from storage.db import make_engine, session_scope
from storage.project import projects
from tests.e2e.streamlit_server import run_streamlit

RETRYING = "Database unavailable, retrying"


def test_a_server_restart_shows_retrying_and_the_page_comes_back_without_a_click(
        page, postgres_server, postgres_url, tmp_path, wait_for_app, screenshot):
    engine = make_engine(postgres_url)
    with session_scope(engine) as s:
        projects.create_project(s, name="Learner 1")
    engine.dispose()
    with run_streamlit(tmp_path, database_url=postgres_url) as server:
        page.goto(server.url)
        wait_for_app(page)
        expect(page.get_by_text("Learner 1", exact=True).first).to_be_visible()
        postgres_server.stop()
        try:
            page.get_by_text("Teaching mode").click()  # any click reruns the page mid-session
            expect(page.get_by_text(RETRYING)).to_be_visible(timeout=60_000)
            assert postgres_server.password not in page.content()
            # The sidebar still leads to every page; only the projects wait for the server.
            expect(page.get_by_text(NO_DATABASE_SIDEBAR)).to_be_visible()
            expect(page.get_by_role("link", name="Labeling")).to_be_visible()
            screenshot(page, "database-unavailable-retrying")
        finally:
            postgres_server.start()
        # No click: the page's own retry finds the server back and reruns.
        expect(page.get_by_text(RETRYING)).to_have_count(0, timeout=60_000)
        expect(page.get_by_text("Learner 1", exact=True).first).to_be_visible()
        screenshot(page, "database-back")
