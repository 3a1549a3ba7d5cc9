"""Fairness audit in a real browser: run an audit of a trained loan model, choose the parity, save and sign it off."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from core.data.splits import make_splits
from core.modeling.training import TrainingConfig
from storage.data import datasets
from storage.db import make_engine, session_scope
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.project.projects import list_projects
from tests.e2e.test_flows import _create_project, _no_exception, _open_tab, _sidebar


def _split_and_train(database: Path) -> None:
    """Stands in for the Experiments page (its own browser test): split the data and train a model that sees sex."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_scope(engine) as session:
            (project,) = list_projects(session)
            (dataset,) = datasets.list_datasets(session, project.id)
            frame = datasets.load_frame(session, dataset.id)
            fractions = (0.6, 0.2, 0.2)
            assignment = make_splits(frame, strategy="stratified", target="approved", time_column=None,
                                     fractions=fractions, random_state=0)
            datasets.save_split(session, dataset_id=dataset.id, assignment=assignment, strategy="stratified", seed=0,
                                fractions=fractions)
            prepared = prepare_run(session, dataset_id=dataset.id,
                                   config=TrainingConfig("logistic_regression", include_sensitive=("sex",)))
            run_id = launch_run(session, prepared=prepared).id
        assert execute_run(engine, run_id=run_id, prepared=prepared) == "finished"
    finally:
        engine.dispose()


def _open_fairness(page: Page, wait_for_app) -> None:
    _sidebar(page).get_by_role("link", name="Fairness audit", exact=True).click()
    page.wait_for_url(re.compile(r"/fairness/?(\?.*)?$"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Fairness audit", exact=True)).to_be_visible()


def test_audit_a_loan_model_and_sign_it_off(
    fresh_streamlit_server: str, tmp_path: Path, page: Page, wait_for_app, screenshot
) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    expect(page.get_by_label("Project name", exact=True)).to_be_visible()
    _create_project(page, "Loan fairness", "Demo: Loan approval", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)

    _open_fairness(page, wait_for_app)
    expect(page.get_by_text("There is no finished run to audit yet", exact=False)).to_be_visible()
    screenshot(page, "fairness-no-run")

    _split_and_train(tmp_path / "e2e.db")  # the server's database (see run_streamlit)
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Run the audit")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Run the audit").click()
    wait_for_app(page, timeout_ms=120_000)
    _no_exception(page)
    expect(page.get_by_role("tab", name="Group metrics", exact=True)).to_be_visible()
    screenshot(page, "fairness-group-metrics")

    disparities = _open_tab(page, "Disparities", wait_for_app)
    expect(disparities.get_by_text("Outside the band on selection rate: F.", exact=False)).to_be_visible()
    expect(disparities.get_by_test_id("stPlotlyChart").first).to_be_visible()
    screenshot(page, "fairness-disparities")

    parity = _open_tab(page, "Which parity matters", wait_for_app)
    parity.get_by_text("whom it selects (representation)", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Judge by demographic parity", exact=False)).to_be_visible()

    mitigation = _open_tab(page, "Mitigation", wait_for_app)
    mitigation.get_by_role("button", name="Fit per-group thresholds").click()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Save as a new run")).to_be_visible()
    screenshot(page, "fairness-mitigation")

    sign = _save_and_confirm(page, wait_for_app)
    sign.get_by_label("Reviewer", exact=True).fill("Pat Owner")
    sign.get_by_text("approve with conditions", exact=True).click()
    sign.get_by_label("Comments (the conditions, for an approval with conditions)").fill("Re-audit after retraining.")
    sign.get_by_role("button", name="Sign the audit").click()
    wait_for_app(page)
    expect(page.get_by_text("Audit 1 is signed: approve with conditions.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Latest sign-off: Audit 1 of Run 1 — approve with conditions, by Pat Owner"))
           ).to_be_visible()
    _no_exception(page)
    screenshot(page, "fairness-signed")


def _save_and_confirm(page: Page, wait_for_app):
    """Save the audit, tick every point of its sign-off form, and return the form."""
    page.get_by_role("button", name="Save this audit").click()
    wait_for_app(page)
    expect(page.get_by_text("Saved Audit 1; it waits for sign-off below.")).to_be_visible()
    sign = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Sign the audit"))
    boxes = sign.get_by_role("checkbox", name="Confirmed")
    expect(boxes.first).to_be_attached()
    for index in range(boxes.count()):  # click each label, and see it ticked before the next (a busy page lags)
        sign.get_by_text("Confirmed", exact=True).nth(index).click()
        expect(boxes.nth(index)).to_be_checked()
    return sign
