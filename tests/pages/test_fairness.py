"""AppTest of the Fairness audit page: empty states, an audit, parity, mitigation, sign-off, staleness, bad input."""

import re

import numpy as np
import pandas as pd
import pytest

from core.data.roles import Roles
from core.errors.slices import Condition, SlicePredicate, slice_mask
from core.data.splits import make_splits
from core.modeling.training import TrainingConfig
from core.scoping.targets import parse_target
from pages.components.data.intake import store_frame, store_scenario
from storage.data import datasets
from storage.db import session_scope
from storage.errors.slices import save_slice
from storage.fairness.audits import list_audits, load_audit_data
from storage.modeling import registry, runs
from storage.modeling.execution import evaluate_on_test, execute_run, launch_run, prepare_run
from storage.project import projects
from storage.scoping.records import add_target
from tests.pages.conftest import read, texts

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

FAIRNESS_PAGE = "pages/7_fairness.py"


def split_and_train(engine, session, dataset, *, include_sensitive=(), parent_run_id=None):
    frame = datasets.load_frame(session, dataset.id)
    fractions = (0.6, 0.2, 0.2)
    assignment = make_splits(frame, strategy="stratified", target=dataset.roles["target"], time_column=None,
                             fractions=fractions, random_state=0)
    datasets.save_split(session, dataset_id=dataset.id, assignment=assignment, strategy="stratified", seed=0,
                        fractions=fractions)


def train(engine, dataset_id, *, include_sensitive=(), parent_run_id=None):
    config = TrainingConfig("logistic_regression", include_sensitive=tuple(include_sensitive))
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=config)
        run_id = launch_run(s, prepared=prepared, parent_run_id=parent_run_id,
                            trigger="re-run" if parent_run_id else "manual").id
    assert execute_run(engine, run_id=run_id, prepared=prepared) == "finished"
    return run_id


@pytest.fixture
def loan(engine):
    """loan_approval (4,000 rows, seed 0, bias 0.5) split 60/20/20, a slice target, a model that sees sex."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans", source="loan_approval")
        dataset = store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="t", n_rows=4000).dataset
        split_and_train(engine, s, dataset)
        add_target(s, project_id=project.id, target=parse_target("recall[sex=F] >= 0.8"))
    run_id = train(engine, dataset.id, include_sensitive=("sex",))
    return {"project_id": project.id, "dataset_id": dataset.id, "run_id": run_id}


def open_page(app):
    return app.run().switch_page(FAIRNESS_PAGE).run()


def run_audit(at, resamples=40):
    at.multiselect(key="fair.attributes").set_value(["sex", "age_band"])
    at.multiselect(key="fair.intersections").set_value([("sex", "age_band")])
    at.number_input(key="fair.resamples").set_value(resamples)
    return at.button(key="fair.run_audit").click().run()


def answer_parity(at):
    return at.radio(key="fair.concern").set_value("representation").run()


def sign(at, *, confirm=True, decision="approve with conditions", comments="Re-audit after the next retraining"):
    for key in ("ethics.concerns", "ethics.failure_modes"):
        at.checkbox(key=f"fair.confirm.{key}").set_value(confirm)
    at.text_input(key="fair.reviewer").set_value("Pat Owner")
    at.radio(key="fair.decision").set_value(decision)
    at.text_area(key="fair.comments").set_value(comments)
    return at.button(key="fair.sign").click().run()


def table_with(at, column, *, nth=0):
    """The nth table on the page that has the column (tables carry no key AppTest can find them by)."""
    return [d.value for d in at.dataframe if column in d.value.columns][nth]


def audits_of(engine, project_id):
    return read(engine, lambda s: list_audits(s, project_id))


def test_without_a_project_or_a_run_the_page_says_what_is_missing(app, engine):
    at = open_page(app)
    assert "No project is open" in texts(at.info)
    with session_scope(engine) as s:
        projects.create_project(s, name="Empty")
    at = open_page(app)
    assert not at.exception
    assert "no finished run to audit yet" in texts(at.info)
    assert "No audit saved yet." in texts(at.caption)


def test_audit_flags_women_then_save_sign_and_see_it_stale_after_retraining(app, engine, loan):
    at = run_audit(open_page(app))
    assert not at.exception
    assert "Outside the band on selection rate: F." in texts(at.caption)
    groups = table_with(at, "too small to judge", nth=0)
    assert list(groups.index) == ["F", "M"] and groups.loc["F", "selection rate"].count("(") == 1
    assert table_with(at, "too small to judge", nth=2)["rows"].sum() == 800
    assert {m.label for m in at.metric} >= {"Demographic parity difference", "Equalized odds difference"}
    assert len(at.get("plotly_chart")) == 3
    assert at.button(key="fair.save").disabled
    at = answer_parity(at)
    assert "Judge by demographic parity" in texts(at.success)
    at = at.button(key="fair.save").click().run()
    [audit] = audits_of(engine, loan["project_id"])
    assert audit.results["sex"]["flagged"] == ["F"] and audit.parity["metric"] == "selection_rate"
    assert audit.settings["n_resamples"] == 40 and audit.signed_at is None
    at = sign(at)
    assert not at.exception and "Audit 1 is signed: approve with conditions." in texts(at.success)
    [audit] = audits_of(engine, loan["project_id"])
    assert (audit.reviewer, audit.decision) == ("Pat Owner", "approve with conditions")
    assert "Latest sign-off: Audit 1 of Run 1 — approve with conditions" in texts(at.info)
    with session_scope(engine) as s:
        registry.promote(s, project_id=loan["project_id"], run_id=loan["run_id"], override_reason="audited, signed off")
    at = at.switch_page("app.py").run()
    assert "Latest fairness sign-off: Audit 1 of Run 1 — approve with conditions" in texts(at.caption)
    at = at.switch_page("pages/5_experiments.py").run()
    assert "Fairness sign-off: Audit 1 — approve with conditions" in texts(at.caption)
    train(engine, loan["dataset_id"], include_sensitive=("sex",), parent_run_id=loan["run_id"])
    at = open_page(app)
    assert "Stale: Run 1 was retrained since as Run 2." in texts(at.warning)
    assert "retrained since" in table_with(at, "stale")["stale"].iloc[0]


def test_mitigation_reaches_parity_and_is_stored_with_the_audit(app, engine, loan):
    at = answer_parity(run_audit(open_page(app), resamples=0))
    at.selectbox(key="fair.mitigate_attribute").set_value("sex")
    at = at.button(key="fair.mitigate").click().run()
    assert not at.exception
    table = table_with(at, "change")
    assert table.loc["demographic parity difference", "after"] < 0.05 < table.loc["demographic parity difference", "before"]
    assert set(table_with(at, "threshold on P(positive)").index) == {"F", "M"}
    at = at.button(key="fair.save").click().run()
    [audit] = audits_of(engine, loan["project_id"])
    assert audit.mitigation["attribute"] == "sex" and set(audit.mitigation["thresholds"]) == {"F", "M"}
    at.selectbox(key="fair.mitigate_attribute").set_value("sex")
    at = at.button(key="fair.mitigate").click().run()
    at = at.button(key="fair.save_run").click().run()
    assert "Saved Run 2: Run 1 with per-group thresholds" in texts(at.success)
    mitigated = read(engine, lambda s: runs.get_run(s, 2))
    assert mitigated.trigger == "fairness mitigation"
    assert mitigated.metrics["dev"]["accuracy"] == pytest.approx(table.loc["overall accuracy", "after"])


def test_reference_group_slice_targets_and_test_split_rules(app, engine, loan):
    at = open_page(app)
    assert "this demo's labels were biased" not in texts(at.info)
    at = at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    assert "Teaching mode: this demo's labels were biased against sex = F" in texts(at.info)
    at = run_audit(at, resamples=0)
    at = at.selectbox(key="fair.ref.sex").set_value("F").run()
    assert "Outside the band on selection rate: M." in texts(at.caption)
    targets = table_with(at, "target")
    assert targets["target"].tolist() == ["recall[sex=F] >= 0.8"] and targets["status"].iloc[0] in ("✓ met", "✗ not met")
    assert at.radio(key="fair.split").options == ["dev"]
    assert "has not had its logged test look" in texts(at.caption)
    answer_parity(at).button(key="fair.save").click().run()
    [audit] = audits_of(engine, loan["project_id"])
    assert audit.settings["named_references"] == {"sex": "F"} and audit.results["sex"]["reference"] == "F"
    assert audit.results["sex"]["flagged"] == ["M"] and audit.results["age_band"]["reference"] == "35-44"


def test_bad_sign_off_is_refused_and_nothing_is_signed(app, engine, loan):
    at = answer_parity(run_audit(open_page(app), resamples=0))
    at = at.button(key="fair.save").click().run()
    at = sign(at, confirm=False)
    assert "Confirm every point of the ethics and risks checklist" in texts(at.error)
    at = sign(at, decision="approve with conditions", comments="")
    assert "needs the conditions" in texts(at.error)
    assert audits_of(engine, loan["project_id"])[0].signed_at is None


def test_bad_attributes_give_messages_and_store_nothing(app, engine):
    """A sensitive column with one group, one with 500 groups, and a dataset without sensitive columns."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=1000), "country": "NL", "code": [f"c{i % 500}" for i in range(1000)]})
    frame["y"] = (frame["x"] + rng.normal(size=1000) > 0).astype(int)
    frame.index = pd.RangeIndex(1000, name="row_id")
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Odd")
        dataset = store_frame(s, project_id=project.id, name="odd", frame=frame, actor="t", source="test",
                              roles=Roles(target="y", sensitive=("country", "code")), ground_truth={}, note="").dataset
        split_and_train(engine, s, dataset)
    train(engine, dataset.id)
    at = open_page(app)
    at.multiselect(key="fair.attributes").set_value(["country"])
    at = at.button(key="fair.run_audit").click().run()
    assert "'country' has a single group ('NL')" in texts(at.error)
    at.multiselect(key="fair.attributes").set_value(["code"])
    at = at.button(key="fair.run_audit").click().run()
    # 500 codes in the data; the 200 dev rows hold fewer of them, still far more than 50
    assert re.search(r"'code' has 1\d\d groups among the audited rows, more than 50", texts(at.error))
    assert "Choose the attributes and run the audit." in texts(at.info)
    with session_scope(engine) as s:
        datasets.update_roles(s, dataset_id=dataset.id, roles=Roles(target="y").to_dict())
    at = open_page(app)
    assert "has no sensitive columns" in texts(at.error)
    assert audits_of(engine, project.id) == []


def test_the_test_split_is_audited_after_its_logged_look_and_not_mitigated(app, engine, loan):
    with session_scope(engine) as s:
        evaluate_on_test(s, project_id=loan["project_id"], run_id=loan["run_id"])
    at = open_page(app)
    assert at.radio(key="fair.split").options == ["dev", "test"]
    at = run_audit(at.radio(key="fair.split").set_value("test").run(), resamples=0)
    assert not at.exception
    assert table_with(at, "too small to judge", nth=0)["rows"].sum() == 800     # the 20% test split
    assert "Mitigation is fitted on the dev split." in texts(at.info)
    answer_parity(at).button(key="fair.save").click().run()
    assert audits_of(engine, loan["project_id"])[0].split == "test"


def test_a_saved_slice_is_offered_audited_as_two_groups_and_saved_by_name(app, engine, loan):
    low_income = SlicePredicate((Condition("employment_type", "==", "self_employed"), Condition("income", "<", 28000)))
    with session_scope(engine) as s:
        save_slice(s, project_id=loan["project_id"], name="self-employed, low income", predicate=low_income)
        save_slice(s, project_id=loan["project_id"], name="gone", predicate=SlicePredicate(
            (Condition("employer", "==", "Acme"),)))
    at = open_page(app)
    attribute = "slice: self-employed, low income"
    assert attribute in at.multiselect(key="fair.attributes").options
    assert 'slice: self-employed, low income: employment_type == "self_employed" and income < 28,000' in texts(at.markdown)
    assert "reads the column “employer”, which this data does not have" in texts(at.warning)
    assert "slice: gone" not in at.multiselect(key="fair.attributes").options
    at.multiselect(key="fair.attributes").set_value(["sex", attribute])
    at.number_input(key="fair.resamples").set_value(0)
    at = at.button(key="fair.run_audit").click().run()
    assert not at.exception
    groups = table_with(at, "too small to judge", nth=1)
    assert list(groups.index) == ["in slice: self-employed, low income", "outside"]
    data = read(engine, lambda s: load_audit_data(s, project_id=loan["project_id"], run_id=loan["run_id"]))
    frame = read(engine, lambda s: datasets.load_frame(s, loan["dataset_id"])).loc[data.predictions.index]
    mask = slice_mask(frame, low_income)
    assert groups["rows"].tolist() == [int(mask.sum()), int((~mask).sum())]
    at = answer_parity(at).button(key="fair.save").click().run()
    [audit] = audits_of(engine, loan["project_id"])
    assert audit.settings["slices"] == {attribute: 'employment_type == "self_employed" and income < 28,000'}
    assert set(audit.results) == {"sex", attribute}
    shown = table_with(at, "saved slices audited")["saved slices audited"].iloc[0]
    assert shown == 'slice: self-employed, low income (employment_type == "self_employed" and income < 28,000)'
    assert "Groups from saved slices: " + shown in texts(at.markdown)
