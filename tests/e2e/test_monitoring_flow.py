"""Browser flow of the Monitoring page on a loan_approval replay: windows, heatmap, a cell's distributions,
the planted truth in teaching mode, and an alert from a scoping target acknowledged with a note."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from core.deployment.plans import RolloutSettings
from core.modeling.training import TrainingConfig
from core.scoping.targets import parse_target
from storage.db import make_engine, session_scope
from storage.deployment import deployments, sides
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.registry import aliases
from storage.scoping.records import add_target
from tests.e2e.test_deployment_flow import _promote_champion, _until_trained
from tests.e2e.test_experiments_flow import _make_splits, _train
from tests.e2e.test_flows import _create_project, _main, _no_exception, _open_tab, _sidebar


def _replay_a_shadow(database: Path) -> None:
    """Set-up behind the page's back (the Deployment page has its own browser flow): a second run, a shadow
    replay of 3,000 fresh applications against the champion, and a target no window meets."""
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_scope(engine) as s:
            champion = aliases(s, 1)["champion"]
            prepared = prepare_run(s, dataset_id=champion.dataset_id, config=TrainingConfig("knn"))
            candidate = launch_run(s, prepared=prepared)
        assert execute_run(engine, run_id=candidate.id, prepared=prepared) == "finished"
        with session_scope(engine) as s:
            add_target(s, project_id=1, target=parse_target("accuracy >= 0.95"))
            shadow = deployments.prepare_deployment(
                s, project_id=1, case="replacing", champion_choice=f"run:{champion.id}", candidate_run_id=candidate.id,
                stream_choice=sides.StreamChoice("scenario", n_requests=3_000, start_month=6),
                settings=RolloutSettings(mode="shadow", step_requests=500, batch_size=250, min_labels=30))
            row = deployments.start_deployment(s, prepared=shadow)
        assert deployments.execute_deployment(engine, deployment_id=row.id, prepared=shadow) == "completed"
    finally:
        engine.dispose()


def _open_monitoring(page: Page, wait_for_app) -> None:
    _sidebar(page).get_by_role("link", name=re.compile(r"^Monitoring")).click()
    expect(page).to_have_url(re.compile(r"/monitoring/?(\?.*)?$"), timeout=30_000)
    wait_for_app(page, timeout_ms=120_000)
    expect(page.get_by_role("heading", name="Monitoring", exact=True)).to_be_visible()


def test_monitoring_a_loan_replay(fresh_streamlit_server: str, tmp_path: Path, page: Page, wait_for_app,
                                  screenshot) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Loan watch", "Demo: Loan approval", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)
    _open_monitoring(page, wait_for_app)  # before any deployment: the page says what is missing
    expect(page.get_by_text(re.compile("no deployment yet"))).to_be_visible()
    screenshot(page, "monitoring-no-deployment")

    _make_splits(page, wait_for_app)
    _sidebar(page).get_by_role("link", name="Experiments", exact=True).click()
    expect(page).to_have_url(re.compile(r"/experiments/?(\?.*)?$"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Experiments", exact=True)).to_be_visible(timeout=30_000)
    _train(page, "Logistic regression", 1, wait_for_app)
    _until_trained(page, wait_for_app)
    _promote_champion(page, wait_for_app)
    _replay_a_shadow(tmp_path / "e2e.db")

    _open_monitoring(page, wait_for_app)
    main = _main(page)
    expect(main.get_by_text(re.compile(r"new alert\(s\) raised"))).to_be_visible()
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible()
    screenshot(page, "monitoring-windows")

    inputs = _open_tab(page, "Inputs and drift", wait_for_app)
    heatmap = inputs.get_by_test_id("stPlotlyChart").first
    expect(heatmap).to_be_visible()
    # The cell of "income" (the third of 13 columns) in the last of 10 windows: a planted drift.
    heatmap.locator(".scatterlayer .point").nth(2 * 10 + 9).click(force=True)
    wait_for_app(page)
    expect(inputs.get_by_test_id("stPlotlyChart")).to_have_count(2, timeout=30_000)
    expect(inputs.get_by_text(re.compile(r"^wasserstein = .* against threshold 0\.1"))).to_be_visible()
    screenshot(page, "monitoring-heatmap-cell")

    _sidebar(page).get_by_text("Teaching mode").click()
    wait_for_app(page)
    expect(main.get_by_text("Planted", exact=False).first).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Columns flagged: .*income"))).to_be_visible()

    alerts = _open_tab(page, "Alerts", wait_for_app)
    expect(alerts.get_by_test_id("stMetric").first).to_contain_text("Open alerts")
    expect(alerts.get_by_test_id("stDataFrame").first).to_be_visible()
    alerts.get_by_label("Note").fill("known: the new sales channel")
    alerts.get_by_role("button", name="Acknowledge").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Acknowledged the alert of Chunk"))).to_be_visible()
    expect(_sidebar(page).get_by_role("link", name=re.compile(r"^Monitoring"))).to_contain_text("open")
    _no_exception(page)
    screenshot(page, "monitoring-alerts")
