"""AppTest: every page names audits and deployments by their number within the project, never by database id.

Another project's audit and deployment are stored first, so the open project's Audit 1 and
Deployment 1 have database id 2: a page showing an id would show a 2.
"""

import re

from core.report.html import report_html
from core.report.markdown import model_card
from storage.db import session_scope
from storage.deployment.tables import Deployment
from storage.fairness.tables import Audit
from storage.report.gather import gather_report
from tests.pages.conftest import texts
from tests.storage.experiment_factories import project_with_data, trained_run
from tests.storage.import_factories import save_an_audit
from tests.storage.monitoring_factories import shadow_replay
from tests.storage.report_factories import reported_project

# A database id, or a label carrying one: "#2", "Audit 2", "Deployment 2".
ID_SHOWN = re.compile(r"#\d|\b(?:audit|deployment) 2\b", re.IGNORECASE)
# In the downloaded files, where chart colours are written "#636efa": a label carrying an id.
ID_IN_FILE = re.compile(r"\b(?:audit|deployment) (?:#|2\b)", re.IGNORECASE)


def other_project_with_records(engine) -> None:
    """Store an audit and a deployment in another project, so the open project's ids start at 2."""
    project_id, dataset_id = project_with_data(engine, name="Other")
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        save_an_audit(s, project_id, run_id)
        s.add(Deployment(project_id=project_id, number=1, case="replacing", mode="canary", champion="legacy_rule",
                         status="completed"))


def project_with_audit_and_replay(engine) -> int:
    other_project_with_records(engine)
    ids = reported_project(engine, n_rows=1_500)
    deployment_id = shadow_replay(engine, ids["project_id"], ids["dataset_id"], ids["run_id"], n_requests=1_500)
    with session_scope(engine) as s:
        audit, deployment = s.get(Audit, ids["audit_id"]), s.get(Deployment, deployment_id)
        assert (audit.id, audit.number, deployment.id, deployment.number) == (2, 1, 2, 1)
    return ids["project_id"]


def shown_text(at) -> str:
    """Everything a reader sees as text on the page: prose, messages, choices and table cells."""
    parts = [texts(getattr(at, kind)) for kind in ("markdown", "caption", "info", "success", "warning", "error")]
    parts += [" | ".join(map(str, box.options)) for box in at.selectbox]
    parts += [frame.value.astype(str).to_csv() for frame in at.dataframe]
    return "\n".join(parts)


def test_the_pages_name_audits_and_deployments_by_number(app, engine):
    project_id = project_with_audit_and_replay(engine)
    app.query_params["project"] = str(project_id)
    at = app.run()
    home = shown_text(at)
    assert "Latest fairness sign-off: Audit 1 of Run 1 — approve with conditions" in texts(at.caption)
    assert "deployment: Deployment 1, mode: shadow" in home and "audit: Audit 1, run: Run 1" in home
    pages = {"home": home}
    at = at.switch_page("pages/7_fairness.py").run()
    assert "Latest sign-off: Audit 1 of Run 1 — approve with conditions" in texts(at.info)
    assert next(d.value for d in at.dataframe if "audit" in d.value.columns)["audit"].tolist() == ["Audit 1"]
    pages["fairness"] = shown_text(at)
    at = at.switch_page("pages/8_deployment.py").run()
    assert at.selectbox(key="dep.shown").options == ["Deployment 1 · Shadow · completed"]
    assert "**Deployment 1** (a new system replacing an old one) completed." in texts(at.markdown)
    pages["deployment"] = shown_text(at)
    at = at.switch_page("pages/9_monitoring.py").run()
    assert at.selectbox(key="mon.deployment").options == ["Deployment 1 · shadow · completed"]
    pages["monitoring"] = shown_text(at)
    at = at.switch_page("pages/10_report.py").run()
    rollouts = next(d.value for d in at.dataframe if "candidate share" in d.value.columns)
    assert rollouts["deployment"].tolist() == ["Deployment 1"]
    assert "Audit 1 of Run 1, dev split" in texts(at.markdown)
    pages["report"] = shown_text(at)
    at = at.switch_page("pages/5_experiments.py").run()
    assert "Fairness sign-off: Audit 1 — approve with conditions" in texts(at.caption)
    pages["experiments"] = shown_text(at)
    assert "split 1 of the version (stratified, seed" in pages["experiments"]
    assert not at.exception
    assert {page: ID_SHOWN.findall(text) for page, text in pages.items()} == {page: [] for page in pages}


def test_the_downloaded_report_and_card_name_them_by_number(engine):
    project_id = project_with_audit_and_replay(engine)
    with session_scope(engine) as s:
        report = gather_report(s, project_id)
    html, card = report_html(report), model_card(report)
    assert "<td>Deployment 1</td>" in html and "Audit 1 of Run 1, dev split" in html
    assert "| Deployment 1 |" in card and "(Audit 1 of Run 1)" in card
    assert ID_IN_FILE.findall(html + card) == []
