"""Browser flow of a workshop pack: build the loan "error analysis" pack and land on Error analysis."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.streamlit_server import REPO_ROOT
from tests.e2e.test_flows import _choose, _main, _no_exception, _open_tab

BUILD_TIMEOUT_MS = 300_000  # a loaded two-core machine: the pack trains two models and scores six baselines


def test_build_the_error_analysis_pack_and_start_there(fresh_streamlit_server: str, page: Page, wait_for_app,
                                                        screenshot) -> None:
    page.goto(fresh_streamlit_server)
    wait_for_app(page)
    page.get_by_text("Start from a workshop pack", exact=True).click()
    _choose(page, "Scenario", "Loan approval")
    wait_for_app(page)
    _choose(page, "Start at", "Error analysis")
    wait_for_app(page)
    expect(_main(page).get_by_text(re.compile(r"^Done: scoping answered .* Next, the learner will browse and tag "
                                              r"the champion's errors"))).to_be_visible()
    page.get_by_label("Name of the new project", exact=True).fill("Class of May")
    screenshot(page, "packs-home")

    page.get_by_role("button", name="Build and open", exact=True).click()
    # While it builds, the progress bar names the step under way.
    expect(page.get_by_test_id("stProgress").get_by_text(re.compile(r"Training two models and promoting a "
                                                                    r"champion \(5 of 6 steps done\)"))
           ).to_be_visible(timeout=BUILD_TIMEOUT_MS)
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "screenshots" / "packs-building.png"))
    expect(page.get_by_role("heading", name="Error analysis", exact=True)).to_be_visible(timeout=BUILD_TIMEOUT_MS)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Built the workshop pack “Class of May” in \d+ s; it starts at Error "
                                       r"analysis\.$"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/error_analysis\?.*project=1"))
    expect(page.get_by_text(re.compile(r"misclassified dev rows of [\d,]+ match"))).to_be_visible()
    _no_exception(page)
    screenshot(page, "packs-error-analysis")

    panel = _open_tab(page, "Slices and priorities", wait_for_app)
    panel.get_by_role("button", name="Build the slice table", exact=True).click()
    wait_for_app(page)
    expect(panel.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(panel.get_by_text(re.compile(r"^Run \d · accuracy on all [\d,]+ dev rows"))).to_be_visible()
    _no_exception(page)
    screenshot(page, "packs-error-analysis-slices")
