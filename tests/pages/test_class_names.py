"""Class display names through AppTest: named on the Datasets page, shown on every page, stored raw."""

import json

import pytest

from core.labeling.classes import MAX_CLASS_NAME
from storage.baselines.records import compute_model_baselines
from storage.db import session_scope
from storage.labeling import class_names, labels
from tests.pages.conftest import read, texts
from tests.pages.test_error_analysis import make_project, table_with

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

DATASETS, LABELING, BASELINES, ERRORS = ("pages/2_datasets.py", "pages/3_labeling.py", "pages/4_baselines.py",
                                         "pages/6_error_analysis.py")


def name_classes(app, names: dict[int, str]):
    """Type the names into the Roles tab's class table (row 0 is class 0) and save them."""
    at = app.run().switch_page(DATASETS).run()
    at.session_state["ds.class_names"] = {"edited_rows": {row: {"name": n} for row, n in names.items()},
                                          "added_rows": [], "deleted_rows": []}
    return at.run().button(key="ds.class_names_save").click().run()


def stored_names(engine, project_id):
    return read(engine, lambda s: class_names.class_names(s, project_id).names)


@pytest.fixture
def loans(engine):
    return make_project(engine, n_rows=1_000)


def test_names_given_on_datasets_appear_on_every_page_and_values_stay_raw(app, engine, loans):
    project_id, dataset_id, _ = loans
    at = name_classes(app, {0: "rejected", 1: "approved"})
    assert not at.exception and "Class names saved: 0 = rejected, 1 = approved." in texts(at.success)
    assert stored_names(engine, project_id) == {"0": "rejected", "1": "approved"}
    balance = next(c for c in at.get("plotly_chart") if "Class balance" in c.proto.spec)
    assert sorted(json.loads(balance.proto.spec)["data"][0]["x"]) == ["approved", "rejected"]

    at = at.switch_page(ERRORS).run()
    assert set(at.dataframe(key="err.errors_table").value["true class"]) == {"rejected", "approved"}
    assert list(table_with(at, "support").index) == ["rejected", "approved"]
    assert at.selectbox(key="err.f_true").options == ["(all)", "rejected", "approved"]

    with session_scope(engine) as s:
        compute_model_baselines(s, dataset_id=dataset_id, names=["most_frequent"])
    at = at.switch_page(BASELINES).run()
    recall = next(d.value for d in at.dataframe if {"class", "recall"} <= set(d.value.columns))
    assert list(recall["class"]) == ["rejected", "approved"]

    at = at.switch_page(LABELING).run().segmented_control(key="lab.view").set_value("Plan").run()
    at.number_input(key="lab.size").set_value(3)
    at.slider(key="lab.overlap").set_value(0.0)
    at = at.button(key="FormSubmitter:lab.plan-Plan batch").click().run()
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    buttons = {b.key: (b.label, b.proto.shortcut.lower()) for b in at.button if (b.key or "").startswith("lab.class.")}
    assert buttons == {"lab.class.0": ("rejected", "e"), "lab.class.1": ("approved", "a")}  # keys follow the names
    at = at.button(key="lab.class.1").click().run()
    assert not at.exception
    assert list(read(engine, lambda s: labels.label_history(s, dataset_id))["value"]) == ["1"]


@pytest.mark.parametrize(("names", "message"), [
    ({0: "yes", 1: "yes"}, "Classes 0 and 1 are all named “yes”"),
    ({0: "rejected", 1: ""}, "Class “1” has no display name"),
    ({0: "1", 1: "approved"}, "The name “1” is the value of another class"),
    # Longer than the stored column allows (PostgreSQL refuses such text; SQLite would keep it).
    ({0: "r" * (MAX_CLASS_NAME + 1), 1: "approved"}, f"is longer than {MAX_CLASS_NAME} characters"),
])
def test_bad_names_are_refused_and_the_names_before_are_kept(app, engine, names, message):
    project_id, _, _ = make_project(engine, train=False, n_rows=1_000)
    with session_scope(engine) as s:
        class_names.save_class_names(s, project_id=project_id, names={"0": "no", "1": "ok"})
    at = name_classes(app, names)
    assert message in texts(at.error)
    assert stored_names(engine, project_id) == {"0": "no", "1": "ok"}


def test_clear_names_shows_the_stored_values_again(app, engine):
    project_id, _, _ = make_project(engine, train=False, n_rows=1_000)
    at = name_classes(app, {0: "rejected", 1: "approved"})
    at = at.button(key="ds.class_names_clear").click().run()
    assert "Class names cleared" in texts(at.success) and stored_names(engine, project_id) == {}


def test_experiments_and_the_fairness_audit_show_the_names(app, engine, loans):
    project_id, _, _ = loans
    with session_scope(engine) as s:
        class_names.save_class_names(s, project_id=project_id, names={"0": "rejected", "1": "approved"})
    at = app.run().switch_page("pages/5_experiments.py").run()
    assert not at.exception
    per_class = next(d.value for d in at.dataframe if "support" in d.value.columns)
    assert list(per_class.index) == ["rejected", "approved"]
    at = at.switch_page("pages/7_fairness.py").run()
    shown = texts(at.caption).replace("*", "")
    assert "The audited decision is a prediction of approved (the positive class, value 1); the other class is " \
        "rejected." in shown
