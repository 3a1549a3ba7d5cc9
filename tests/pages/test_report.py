"""AppTest of the Audit report page: no project, an empty project, a loan project through several stages."""

import re

import pytest

from sqlmodel import select

from core.report.document import Report
from storage.db import session_scope
from storage.report.gather import gather_report
from core.report.early import NO_LABELS, NO_SCAN, NO_SCAN_EITHER
from storage.baselines.records import dataset_name
from storage.data import datasets
from tests.pages.conftest import read_as_shown, texts
from tests.storage.deployment_factories import loan_project
from tests.storage.labeling.scan_factories import store_a_scan
from tests.pages.downloads import download_of, saved_files  # noqa: F401 (a fixture)
from storage.monitoring.tables import Alert
from storage.monitoring.watch import watch_deployment
from tests.storage.report_factories import FIXED_FLIPS, PAYLOAD, TAG, empty_project, monitored_project, reported_project

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

REPORT_PAGE = "pages/10_report.py"
MISSING = ("Scoping has not been started", "No dataset yet", "No label has been made in the app yet",
           "No champion is registered yet", "Error analysis needs a champion", "No fairness audit is saved yet",
           "No rollout has been replayed yet", "Nothing is deployed yet")
SECTION_LINKS = ("Open Scoping", "Open Datasets", "Open Labeling", "Open Experiments", "Open Error analysis",
                 "Open Fairness audit", "Open Deployment", "Open Projects")


def open_page(app, *, teaching=False):
    at = app.run()
    if teaching:
        at = at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    return at.switch_page(REPORT_PAGE).run()


@pytest.fixture
def loans(engine):
    return reported_project(engine)


def test_without_a_project_the_page_says_one_is_needed(app, engine):
    at = open_page(app)
    assert not at.exception
    assert "No project is open" in texts(at.info)
    assert "Audit report" in [link.label for link in at.sidebar.get("page_link")]


def test_an_empty_project_says_what_is_missing_in_every_section_and_links_each_page(app, engine):
    empty_project(engine)
    at = open_page(app)
    assert not at.exception
    shown = texts(at.info)
    for words in MISSING:
        assert words in shown
    assert [c.value for c in at.caption].count(":material/radio_button_unchecked: Not done yet") == len(MISSING)
    links = [link.label for link in at.main.get("page_link")]
    assert all(label in links for label in SECTION_LINKS)


def test_a_loan_project_shows_each_stage_and_escapes_user_text(app, engine, loans):
    at = open_page(app)
    assert not at.exception
    markdown = texts(at.markdown)
    assert "**Champion:** Run 1 · logistic_regression" in markdown
    assert "**Decision:** approve with conditions" in markdown and "**Reviewer:** Pat Owner" in markdown
    assert f"**Label errors in loan_approval v1:** {NO_SCAN}" in markdown
    assert f"**Comments:** Re-audit monthly {PAYLOAD}" in markdown  # as typed, once the escapes are read
    raw = "\n".join(m.value for m in at.markdown)
    # The source itself is escaped: no image link or HTML tag opens unescaped.
    assert "!\\[x\\](http" in raw and not re.search(r"(?<!\\)<(script|img)|!\[x\]", raw)
    tables = [d.value for d in at.dataframe]
    targets = next(t for t in tables if "target" in t.columns and "status" in t.columns)
    assert targets["status"].tolist() == ["met", "not met", "met", "met"]
    assert len(at.get("plotly_chart")) == 3  # champion vs baselines, slice priorities, groups
    assert "Teaching reveal" not in [h.value for h in at.subheader]


def test_teaching_mode_reveals_the_planted_truth_with_scores(app, engine, loans):
    at = open_page(app, teaching=True)
    assert not at.exception
    shown = texts(at.markdown)
    n_flipped = loans["truth"]["label_noise"]["n_flipped"]
    assert f"**Flipped labels: {FIXED_FLIPS} of {n_flipped} flipped labels found" in shown
    assert f"**Hard slice: found: tag “{TAG}”**" in shown
    assert "**Data drift: not monitored yet**" in shown and "Planted: income, credit_score shifted from 2024-09." in shown


def test_a_monitored_project_shows_its_open_alerts_and_scores_drift_and_the_policy_change(app, engine):
    ids = monitored_project(engine)
    with session_scope(engine) as s:
        open_alerts = s.exec(select(Alert).where(Alert.status == "open")).all()
        watched = watch_deployment(s, project_id=ids["project_id"], deployment_id=ids["deployment_id"])
    drift, windows = watched.result.drift, watched.table
    planted = set(ids["truth"]["data_drift"]["columns"])
    false_alarms = set(drift.loc[drift["drifted"], "column"]) - planted
    # On this small replay the first drop is called before the policy month (the reference is the
    # model's own training rows): the reveal must say so rather than claim the policy was found.
    first_drop = windows.loc[windows["concept_drift"].notna(), "end"].iloc[0].strftime("%Y-%m")
    policy = "found in the right month" if first_drop == ids["truth"]["concept_drift"]["start"][:7] else "not found"
    at = open_page(app, teaching=True)
    assert not at.exception
    shown = texts(at.markdown)
    assert f"**Open alerts:** {len(open_alerts):,}" in shown and open_alerts
    assert f"**Data drift: drift found in 2 of 2 shifted columns, {len(false_alarms)} false alarms" in shown
    assert f"**Policy change: {policy}**  \nPlanted: " in "\n".join(m.value for m in at.markdown)
    assert f"Found: {first_drop}." in shown
    assert "Open Monitoring" in [link.label for link in at.main.get("page_link")]
    alerts = next(d.value for d in at.dataframe if "threshold" in d.value.columns)
    assert sorted(alerts["window"]) == sorted(a.window_label for a in open_alerts)


def test_prepared_files_match_the_report_and_are_named_by_the_project(app, engine, loans, saved_files):
    at = open_page(app)
    assert not at.get("download_button")  # nothing is built before it is asked for
    at = at.button(key="report.prepare").click().run()
    html, html_name = download_of(at, "report.download.html", saved_files)
    card, card_name = download_of(at, "report.download.md", saved_files)
    assert html_name.startswith("Loans-script-alert-1-script-img-src-x-on_audit-report_") and html_name.endswith(".html")
    assert card_name.startswith("Loans-script-alert-1-script-img-src-x-on_model-card_") and card_name.endswith(".md")
    with session_scope(engine) as s:
        report: Report = gather_report(s, loans["project_id"])
    for section in report.sections:
        assert section.title.encode() in html
    assert b"## Sign-off" in card and b"Pat Owner" in card and b"<script>alert(1)" not in html


def test_the_label_section_tells_the_latest_label_error_scan_or_that_none_was_made(app, engine, saved_files):
    project_id, dataset_id = loan_project(engine, n_rows=1_500, name="Scanned")
    with session_scope(engine) as s:
        name = dataset_name(datasets.get_dataset(s, dataset_id))
    at = open_page(app)
    assert not at.exception and f"{NO_LABELS} {NO_SCAN_EITHER}" in texts(at.info)
    with session_scope(engine) as s:
        scan, _, _ = store_a_scan(s, dataset_id)
    at = at.run()
    sentence = (f"{len(scan.flagged):,} label errors found in the latest scan (of {scan.n_checked:,} labels checked, "
                f"{scan.created_at:%Y-%m-%d}), 0 fixed")
    assert f"**Label errors in {name}:** {sentence}" in texts(at.markdown)
    at = at.button(key="report.prepare").click().run()
    html, _ = download_of(at, "report.download.html", saved_files)
    card, _ = download_of(at, "report.download.md", saved_files)
    assert sentence.encode() in html and sentence in read_as_shown(card.decode())
