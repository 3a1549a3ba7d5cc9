"""Browser flow of the Error analysis page: tag an error, build the slice table, open a slice, iterate on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.streamlit_server import run_streamlit
from tests.e2e.test_flows import _choose, _no_exception, _open_tab

PLANTED = 'employment_type == "self_employed"'


@pytest.fixture
def trained_loans_server(tmp_path: Path) -> Iterator[str]:
    """A server on a database holding a 4,000-row loan project with a split and one finished run."""
    from core.modeling.training import TrainingConfig
    from pages.components.data.intake import store_scenario
    from storage.db import make_engine, session_scope
    from storage.modeling.execution import execute_run, launch_run, prepare_run
    from storage.project import projects
    from tests.pages.test_experiments import split_dataset

    engine = make_engine(f"sqlite:///{tmp_path / 'e2e.db'}")
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans")
        dataset = store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="analyst",
                                 n_rows=4_000).dataset
        split_dataset(s, dataset)
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset.id, config=TrainingConfig("hist_gradient_boosting"))
        run = launch_run(s, prepared=prepared)
    assert execute_run(engine, run_id=run.id, prepared=prepared) == "finished"
    engine.dispose()
    with run_streamlit(tmp_path) as server:
        yield server.url


def test_tag_slice_and_iterate(trained_loans_server: str, page: Page, wait_for_app, screenshot) -> None:
    page.goto(f"{trained_loans_server}/error_analysis")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Error analysis", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"misclassified dev rows of 800 match"))).to_be_visible()
    _no_exception(page)
    page.get_by_label("New tag", exact=True).fill("self-reported income")
    page.get_by_role("button", name="Tag the selected rows", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Tagged 1 row “self-reported income”.")).to_be_visible()
    expect(page.get_by_role("button", name="self-reported income (1)")).to_be_visible()
    screenshot(page, "error-analysis-errors")

    panel = _open_tab(page, "Slices and priorities", wait_for_app)
    panel.get_by_role("button", name="Build the slice table", exact=True).click()
    wait_for_app(page)
    expect(panel.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(panel.get_by_text(re.compile(r"^Run 1 · accuracy on all 800 dev rows"))).to_be_visible()
    _choose(page, "Open a slice", PLANTED)
    wait_for_app(page)
    _no_exception(page)
    screenshot(page, "error-analysis-slices")

    panel.get_by_role("button", name="Collect more data", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Made loan_approval v2 with [\d,]+ new rows\.$"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Retrain Run 1's config on v2$")).click()
    expect(page.get_by_test_id("stProgress").first).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=180_000)
    wait_for_app(page)
    panel = _open_tab(page, "Slices and priorities", wait_for_app)
    # The before/after table is drawn on a canvas; its caption shows once run #2 finished.
    expect(panel.get_by_text("No baseline is stored, so each run's gap is to its own overall accuracy.")).to_be_visible(
        timeout=30_000)
    expect(panel.get_by_test_id("stDataFrame")).to_have_count(3)
    _no_exception(page)
    screenshot(page, "error-analysis-iteration")
