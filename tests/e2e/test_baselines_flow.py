"""Baselines in a real browser: human-level, dummies, the legacy rule and a literature value, side by side."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from storage.data.datasets import list_datasets
from storage.db import make_engine, session_scope
from storage.project.projects import list_projects
from tests.e2e.test_flows import _create_project, _open_tab, _sidebar
from tests.storage.baseline_factories import label_with_demo_team


def _label_with_the_demo_team(database: Path) -> None:
    """Stands in for an afternoon of labeling: the demo team labels 300 items, each twice."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_scope(engine) as session:
            (project,) = list_projects(session)
            (dataset,) = list_datasets(session, project.id)
            label_with_demo_team(session, dataset_id=dataset.id, size=300, overlap=1.0)
    finally:
        engine.dispose()


def _tab(page: Page, name: str, wait_for_app):
    """Opens a tab once the rerun has settled: while it runs, the old tabs linger beside the new ones."""
    wait_for_app(page)
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_count(1, timeout=30_000)
    return _open_tab(page, name, wait_for_app)


def _comparison_table(page: Page):
    return page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first


def test_baselines_of_every_kind_side_by_side(
    fresh_streamlit_server: str, tmp_path: Path, page: Page, wait_for_app, screenshot
) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    # On an empty database the create form is open; wait for it, or the helper takes it for closed.
    expect(page.get_by_label("Project name", exact=True)).to_be_visible()
    _create_project(page, "Loan baselines", "Demo: Loan approval", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)

    _sidebar(page).get_by_role("link", name="Baselines", exact=True).click()
    page.wait_for_url(re.compile(r"/baselines/?(\?.*)?$"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Baselines", exact=True)).to_be_visible()
    expect(page.get_by_text("no train/dev/test split", exact=False)).to_be_visible()
    screenshot(page, "baselines-no-split")

    _sidebar(page).get_by_role("link", name="Datasets", exact=True).click()
    wait_for_app(page)
    splits = _tab(page, "Splits", wait_for_app)
    splits.get_by_role("button", name="Make splits", exact=True).click()
    wait_for_app(page)
    _sidebar(page).get_by_role("link", name="Baselines", exact=True).click()
    wait_for_app(page)
    human = _tab(page, "Human-level", wait_for_app)
    expect(human.get_by_text("Plan a labeling batch with overlap", exact=False)).to_be_visible()
    _label_with_the_demo_team(tmp_path / "e2e.db")  # the server's database (see run_streamlit)
    page.reload()

    for tab in ["Human-level", "Dummy and simple models", "Old model", "Literature"]:
        expect(page.get_by_role("tab", name=tab, exact=True)).to_be_visible()
    human = _tab(page, "Human-level", wait_for_app)
    expect(human.get_by_text("labeled by two or more", exact=False)).to_be_visible()
    human.get_by_role("button", name="Measure human-level performance", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("Measured Human-level")).to_be_visible()

    models = _tab(page, "Dummy and simple models", wait_for_app)
    models.get_by_role("button", name="Compute on dev", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("Computed 4 baselines")).to_be_visible()

    old_model = _tab(page, "Old model", wait_for_app)
    old_model.get_by_role("button", name="Score the legacy rule on dev", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("Scored the legacy rule")).to_be_visible()

    literature = _tab(page, "Literature", wait_for_app)
    literature.get_by_label("Value", exact=True).fill("0.74")
    literature.get_by_label("Source", exact=True).fill("Credit scoring survey, 2019")
    literature.get_by_role("button", name="Add literature baseline", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("Added the literature baseline")).to_be_visible()

    table = _comparison_table(page)
    for kind in ["Human-level", "Dummy", "Simple model", "Old model", "Literature"]:
        expect(table.get_by_text(kind, exact=True).first).to_be_attached()
    expect(page.get_by_text("Against the scoping targets", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "baselines")
