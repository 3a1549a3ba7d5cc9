"""The main acceptance test: the whole workshop walk on a loan project, every step in the browser.

A learner creates a `loan_approval` project, fills a scoping target, labels a batch, computes
baselines, trains two models and promotes one, tags errors and iterates, audits fairness and signs
off, runs a canary that promotes, sees drift alerts on Monitoring and retrains from one, and opens
the audit report (teaching mode on, so with its reveal) and downloads it. Each stage reuses
the selectors of its own browser flow; every page is kept as a screenshot.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_deployment_flow import _open_deployment, _until_trained
from tests.e2e.test_error_analysis_flow import PLANTED
from tests.e2e.test_experiments_flow import _make_splits
from tests.e2e.test_fairness_flow import _open_fairness, _save_and_confirm
from tests.e2e.test_flows import _choose, _create_project, _main, _no_exception, _open_tab, _sidebar
from tests.e2e.test_flows import _go as _open_page
from tests.e2e.test_labeling_flow import _metric, _section
from tests.e2e.test_monitoring_flow import _open_monitoring
from tests.e2e.test_report_flow import _download_html
from tests.e2e.test_scoping_flow import _keyed

PROJECT = "Loan walk"
SUCCESS = "stAlertContentSuccess"


def _go(page: Page, link: str, path: str, heading: str, wait_for_app) -> None:
    _open_page(page, link, path, wait_for_app, heading)


def _success(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_test_id(SUCCESS).get_by_text(text).first).to_be_visible(timeout=60_000)


def _scope(page: Page, wait_for_app, screenshot) -> None:
    _go(page, "Scoping", "scoping", "Scoping", wait_for_app)
    page.get_by_role("tab", name="Targets", exact=True).click()
    _keyed(page, "scope-target_value").locator("input").fill("0.7")
    page.get_by_role("button", name="Add target").click()
    wait_for_app(page)
    _success(page, "accuracy >= 0.7")
    # On a machine kept busy by the rest of the suite few requests are timed quietly, so the canary's
    # check of the worked example's "p95 ≤ 200 ms" would wait and pause the walk's rollout rather
    # than decide. The latency check has its own tests.
    latency = _main(page).get_by_test_id("stHorizontalBlock").filter(has_text="p95_latency_ms")
    latency.get_by_role("button", name="Delete").click()
    wait_for_app(page)
    _success(page, "Deleted the target")
    screenshot(page, "walk-01-scoping")


def _label(page: Page, wait_for_app, screenshot) -> None:
    _go(page, "Labeling", "labeling", "Labeling", wait_for_app)
    _section(page, "Plan", wait_for_app)
    # A demo project comes with its simulated labelers: no button to add them.
    expect(page.get_by_test_id("stMain").get_by_text("Sim · Ada (careful)").first).to_be_attached()
    page.get_by_label("Batch size").fill("20")
    page.get_by_role("button", name="Plan batch", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Planned batch 1: 20 items"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Let the simulated labelers label batch 1")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"The simulated labelers made \d+ labels"))).to_be_visible()
    _section(page, "Label", wait_for_app)
    for _ in range(5):  # the learner's own labels, by clicking the first class
        page.locator(".st-key-lab-class-0 button").click()
        wait_for_app(page)
    _no_exception(page)
    screenshot(page, "walk-02-labeling")
    _section(page, "Consistency", wait_for_app)
    expect(_metric(page, "Percent agreement")).to_be_visible()
    screenshot(page, "walk-03-labeling-consistency")


def _baselines(page: Page, wait_for_app, screenshot) -> None:
    _go(page, "Baselines", "baselines", "Baselines", wait_for_app)
    models = _open_tab(page, "Dummy and simple models", wait_for_app)
    models.get_by_role("button", name="Compute on dev", exact=True).click()
    wait_for_app(page)
    _success(page, "Computed 4 baselines")
    old_model = _open_tab(page, "Old model", wait_for_app)
    old_model.get_by_role("button", name="Score the legacy rule on dev", exact=True).click()
    wait_for_app(page)
    _success(page, "Scored the legacy rule")
    _no_exception(page)
    screenshot(page, "walk-05-baselines")


def _train(page: Page, model: str, run_number: int, wait_for_app, **settings: str) -> None:
    _open_tab(page, "Train", wait_for_app)
    _choose(page, "Model", model)
    wait_for_app(page)
    for label, value in settings.items():
        page.get_by_role("spinbutton", name=label).fill(value)
    _main(page).get_by_role("button", name="Train", exact=True).click()
    wait_for_app(page)
    _until_trained(page, wait_for_app)
    runs = _open_tab(page, "Runs", wait_for_app)  # a quick fit ends before its start message is seen
    expect(runs.get_by_text(re.compile(rf"\bRun {run_number}\b")).first).to_be_attached(timeout=30_000)


def _experiments(page: Page, wait_for_app, screenshot) -> None:
    _go(page, "Experiments", "experiments", "Experiments", wait_for_app)
    _train(page, "Logistic regression", 1, wait_for_app)
    # A more regularised linear model: as good as the first, so a canary of it promotes.
    _train(page, "Logistic regression", 2, wait_for_app, **{"Inverse regularisation C": "0.3"})
    compare = _open_tab(page, "Compare", wait_for_app)
    expect(compare.get_by_test_id("stPlotlyChart")).to_have_count(3)  # scatter, parallel view, per-class bars
    screenshot(page, "walk-06-experiments-compare")
    registry = _open_tab(page, "Registry", wait_for_app)
    _choose(page, "Run", "Run 1 · Logistic regression (finished)")  # the other is Run 2, also a linear model
    registry.get_by_label("Override reason (only to promote a run that fails the gate; it is logged)").fill(
        "The first model now; the more regularised one goes through a canary")
    registry.get_by_role("button", name="Promote", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Run 1 is now the champion"))).to_be_visible()
    _no_exception(page)
    screenshot(page, "walk-07-experiments-registry")


def _error_analysis(page: Page, wait_for_app, screenshot) -> None:
    _go(page, "Error analysis", "error_analysis", "Error analysis", wait_for_app)
    page.get_by_label("New tag", exact=True).fill("self-reported income")
    page.get_by_role("button", name="Tag the selected rows", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Tagged 1 row “self-reported income”.")).to_be_visible()
    screenshot(page, "walk-08-error-analysis")
    panel = _open_tab(page, "Slices and priorities", wait_for_app)
    panel.get_by_role("button", name="Build the slice table", exact=True).click()
    wait_for_app(page)
    _choose(page, "Open a slice", PLANTED)
    wait_for_app(page)
    panel.get_by_role("button", name="Collect more data", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Made loan_approval v2 with [\d,]+ new rows\.$"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Retrain Run \d+'s config on v2$")).click()
    expect(page.get_by_text(re.compile(r"^Run 3 is training with Run \d's config"))).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=180_000)
    _until_trained(page, wait_for_app)
    _no_exception(page)
    screenshot(page, "walk-09-error-analysis-iteration")


def _fairness(page: Page, wait_for_app, screenshot) -> None:
    _open_fairness(page, wait_for_app)
    page.get_by_role("button", name="Run the audit").click()
    wait_for_app(page, timeout_ms=120_000)
    expect(page.get_by_role("tab", name="Group metrics", exact=True)).to_be_visible()
    parity = _open_tab(page, "Which parity matters", wait_for_app)  # saving needs the parity chosen
    parity.get_by_text("whom it selects (representation)", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Judge by demographic parity", exact=False)).to_be_visible()
    screenshot(page, "walk-10-fairness-parity")
    sign = _save_and_confirm(page, wait_for_app)
    sign.get_by_label("Reviewer", exact=True).fill("Pat Owner")
    sign.get_by_text("approve", exact=True).click()
    sign.get_by_role("button", name="Sign the audit").click()
    wait_for_app(page)
    expect(page.get_by_text("Audit 1 is signed: approve.")).to_be_visible()
    _no_exception(page)
    screenshot(page, "walk-11-fairness-signed")


def _canary(page: Page, wait_for_app, screenshot) -> None:
    _open_deployment(page, wait_for_app)
    page.get_by_text("A new system replacing an old one", exact=True).click()
    wait_for_app(page)
    _choose(page, "Candidate (the model being rolled out)", "Run 2 · logistic_regression")
    wait_for_app(page)
    main = _main(page)
    main.get_by_role("radiogroup", name="Rollout mode").get_by_text("Canary", exact=True).click()
    wait_for_app(page)
    screenshot(page, "walk-12-deployment-plan")
    main.get_by_role("button", name="Start the replay").click()
    expect(page.get_by_text(re.compile(r"^Started Deployment 1: canary of Run 2"))).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=180_000)
    wait_for_app(page)
    replays = _open_tab(page, "Replays", wait_for_app)
    expect(replays.get_by_text(re.compile(r"Deployment 1 .* completed\."))).to_be_visible(timeout=60_000)
    # The canary took all traffic; promoting goes through the gate, whose failed targets need a reason.
    replays.get_by_label("Reason (only needed when the gate refuses)").fill("The canary held the error rate")
    replays.get_by_role("button", name="Promote the candidate").click()
    wait_for_app(page)
    expect(page.get_by_text("The candidate is now the champion.")).to_be_visible()
    replays = _open_tab(page, "Replays", wait_for_app)
    expect(replays.get_by_text(re.compile(r"Deployment 1 .* ended with the candidate promoted"))).to_be_visible()
    _no_exception(page)
    screenshot(page, "walk-13-deployment-promoted")


def _monitoring(page: Page, wait_for_app, screenshot) -> None:
    _open_monitoring(page, wait_for_app)  # the promoted canary's stream against the champion's training rows
    main = _main(page)
    expect(main.get_by_text(re.compile(r"new alert\(s\) raised"))).to_be_visible()
    _sidebar(page).get_by_text("Teaching mode").click()
    wait_for_app(page, timeout_ms=120_000)
    expect(main.get_by_text(re.compile(r"^Columns flagged: .*income"))).to_be_visible()  # a planted drift seen
    screenshot(page, "walk-14-monitoring")
    inputs = _open_tab(page, "Inputs and drift", wait_for_app)
    expect(inputs.get_by_test_id("stPlotlyChart").first).to_be_visible()
    screenshot(page, "walk-15-monitoring-drift")
    alerts = _open_tab(page, "Alerts", wait_for_app)
    expect(alerts.get_by_test_id("stMetric").first).to_contain_text("Open alerts")
    screenshot(page, "walk-16-monitoring-alerts")
    retrain = _open_tab(page, "Retrain", wait_for_app)
    retrain.get_by_role("button", name="Retrain", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Run 4 is training on "))).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0, timeout=180_000)
    page.reload()
    wait_for_app(page, timeout_ms=120_000)
    retrain = _open_tab(page, "Retrain", wait_for_app)
    expect(retrain.get_by_text(re.compile(r"^Run 4 · alert · finished · challenger"))).to_be_visible(timeout=60_000)
    _no_exception(page)
    screenshot(page, "walk-17-monitoring-retrained")


def _report(page: Page, tmp_path: Path, wait_for_app, screenshot) -> Path:
    _go(page, "Audit report", "report", "Audit report", wait_for_app)
    wait_for_app(page, timeout_ms=180_000)  # the report monitors the latest replay again
    for title in ["Scoping", "Champion and baselines", "Fairness audit", "Deployment history",
                  "Monitoring and open alerts", "Teaching reveal"]:
        expect(_main(page).get_by_role("heading", name=re.compile(title)).first).to_be_visible(timeout=30_000)
    _no_exception(page)
    screenshot(page, "walk-20-report")
    return _download_html(page, tmp_path, wait_for_app)


def _check_exported(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    assert path.name.endswith(".html") and "_audit-report_" in path.name
    assert f"Audit report: {PROJECT}" in html
    for fact in ["accuracy &gt;= 0.7", "Pat Owner", "Run 2", "self-reported income", "Open alerts",
                 "drift found in 2 of 2 shifted columns"]:
        assert fact in html, fact


def test_the_whole_workshop_walk(fresh_streamlit_server: str, tmp_path: Path, page: Page, wait_for_app,
                                 screenshot) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    expect(page.get_by_label("Project name", exact=True)).to_be_visible()
    _create_project(page, PROJECT, "Demo: Loan approval", wait_for_app)
    _success(page, f"Created project “{PROJECT}”.")
    screenshot(page, "walk-00-home")
    _scope(page, wait_for_app, screenshot)
    _make_splits(page, wait_for_app)
    screenshot(page, "walk-04-datasets-splits")
    _label(page, wait_for_app, screenshot)
    _baselines(page, wait_for_app, screenshot)
    _experiments(page, wait_for_app, screenshot)
    _error_analysis(page, wait_for_app, screenshot)
    _fairness(page, wait_for_app, screenshot)
    _canary(page, wait_for_app, screenshot)
    _monitoring(page, wait_for_app, screenshot)
    _check_exported(_report(page, tmp_path, wait_for_app, screenshot))
