"""Browser flow of Label Studio JSON: the demo team's labels downloaded as tasks, then imported back."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.e2e.test_downloads_flow import _download
from tests.e2e.test_labeling_flow import _main, _section
from tests.e2e.test_flows import _create_project, _no_exception


def test_download_labels_for_label_studio_and_import_them_as_a_batch(fresh_streamlit_server: str, page: Page,
                                                                      wait_for_app, screenshot, tmp_path) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    _create_project(page, "Digits LS", "Demo: Handwritten digits", wait_for_app)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Labeling", exact=True).click()
    page.wait_for_url(re.compile(r"/labeling/?(\?.*)?$"))
    wait_for_app(page)
    _section(page, "Plan", wait_for_app)
    # A demo project comes with its simulated labelers: no button to add them.
    expect(page.get_by_test_id("stMain").get_by_text("Sim · Ada (careful)").first).to_be_attached()
    page.get_by_label("Batch size").fill("12")
    page.get_by_role("button", name="Plan batch", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name=re.compile(r"Let the simulated labelers label batch 1")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"The simulated labelers made \d+ labels"))).to_be_visible()

    _main(page).get_by_text("Download the labels of digits v1").click()
    _main(page).get_by_role("button", name="Prepare label files", exact=True).click()
    wait_for_app(page)
    _no_exception(page)
    screenshot(page, "labeling-label-studio-download")
    tasks_file = _download(page, "Download for Label Studio (JSON)", tmp_path)
    assert re.fullmatch(r"Digits-LS_digits-v1-label-studio_\d{8}-\d{6}Z\.json", tasks_file.name)
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    labels = sum(len(task["annotations"]) for task in tasks)
    assert len(tasks) == 12 and labels >= 12
    assert {a["result"][0]["type"] for task in tasks for a in task["annotations"]} == {"choices"}

    _main(page).get_by_text("Import labels from Label Studio into digits v1").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(tasks_file))
    wait_for_app(page)
    _main(page).get_by_role("button", name="Import labels", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text(
        f"Imported {labels} label(s) from 3 annotator(s)")
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("into batch 2, from 12 task(s).")
    _no_exception(page)
    screenshot(page, "labeling-label-studio-import")
