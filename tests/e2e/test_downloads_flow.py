"""Browser flow of the downloads: a dataset version with labels and split, then a run's model and predictions.

The files are checked against each other: the downloaded model, loaded with the trusted types,
predicts the downloaded dev predictions from the downloaded dataset's rows.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import skops.io as sio
from playwright.sync_api import Page, expect

from core.modeling.artifacts import TRUSTED_TYPES
from tests.e2e.test_experiments_flow import _make_splits, _train, _wait_until_trained
from tests.e2e.test_flows import _create_project, _main, _no_exception, _open_tab, _sidebar


def _download(page: Page, name: str, tmp_path):
    with page.expect_download(timeout=30_000) as info:
        _main(page).get_by_role("button", name=name, exact=True).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def test_download_a_labeled_dataset_and_a_model(fresh_streamlit_server: str, page: Page, wait_for_app,
                                                 screenshot, tmp_path) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Digits out", "Demo: Handwritten digits", wait_for_app)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=60_000)
    _make_splits(page, wait_for_app)

    versions = _open_tab(page, "Overview", wait_for_app)
    versions.get_by_text("Add the current labels", exact=False).click()
    versions.get_by_text("Add the split", exact=False).click()
    versions.get_by_role("button", name="Prepare files", exact=True).click()
    wait_for_app(page)
    _no_exception(page)
    screenshot(page, "datasets-download")
    dataset_csv = _download(page, "Download CSV", tmp_path)
    sidecar = json.loads(_download(page, "Download sidecar (JSON)", tmp_path).read_text())
    assert re.fullmatch(r"Digits-out_digits-v1_\d{8}-\d{6}Z\.csv", dataset_csv.name)
    rows = pd.read_csv(dataset_csv, index_col="row_id")
    assert len(rows) == sidecar["rows"] == 1797
    assert (rows["current_label"] == rows[sidecar["roles"]["target"]]).all()  # no app labels: the given ones
    assert set(rows["split"]) == {"train", "dev", "test"}

    _sidebar(page).get_by_role("link", name="Experiments", exact=True).click()
    expect(page).to_have_url(re.compile(r"/experiments/?(\?.*)?$"), timeout=30_000)
    wait_for_app(page)
    _train(page, "Logistic regression", 1, wait_for_app)
    _wait_until_trained(page, wait_for_app)
    _open_tab(page, "Runs", wait_for_app)
    _main(page).get_by_text("Download Run 1: model and predictions").click()
    _main(page).get_by_role("button", name="Prepare run files", exact=True).click()
    wait_for_app(page)
    _no_exception(page)
    model_path = _download(page, "Model (skops)", tmp_path)
    text = _download(page, "How to load it (text)", tmp_path).read_text()
    dev = pd.read_csv(_download(page, "Dev predictions (CSV)", tmp_path), index_col="row_id")
    assert f'model = sio.load("{model_path.name}", trusted=TRUSTED)' in text
    model = sio.load(model_path, trusted=list(TRUSTED_TYPES))
    inputs = [line[2:].split(":")[0] for line in text.splitlines() if line.startswith("- ")]
    assert len(inputs) == 64
    assert list(model.predict(rows.loc[dev.index, inputs])) == list(dev["prediction"])
    assert set(dev.index) == set(rows.index[rows["split"] == "dev"])
