import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.scoping.checklist import ANSWER_REQUIRED, ITEMS, REOPENED, REQUIRED_NOT_APPLICABLE, WORKED_EXAMPLES
from core.scoping.effort import LABELING_HEAVY
from core.scoping.report import NO_ML_TARGET
from core.scoping.targets import (
    BUSINESS_NAME_TOO_LONG,
    BUSINESS_UNIT_EMPTY,
    DUPLICATE_TARGET,
    MAX_NAME_LENGTH,
    MAX_UNIT_LENGTH,
    NOT_POSITIVE,
    SHARE_OUT_OF_RANGE,
    SLICE_BAD,
    UNIT_TOO_LONG,
    VALUE_NOT_NUMBER,
    target_text,
)
from storage.data import datasets
from storage.project import projects
from storage.scoping import records as scoping
from tests.pages.conftest import APP, DATASETS_PAGE, open_tab, read, texts

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

SCOPING_PAGE = "pages/1_scoping.py"
ADD_TARGET = "FormSubmitter:scope.target_form-Add target"


def open_scoping(app, name="Study", source="Blank project"):
    at = app.run()
    at.text_input(key="home.new_name").input(name)
    at.selectbox(key="home.new_source").select(source)
    at.button(key="FormSubmitter:home.create-Create project").click().run()
    at.switch_page(SCOPING_PAGE).run()
    assert not at.exception
    return at


def test_the_scoping_step_outlives_a_reload_through_the_address(app, engine):
    open_scoping(app)
    for step, title in (("ethics", "5. Ethics and risks"), ("no-such-step", "1. ")):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"project": str(only_project_id(engine)), "step": step})
        at.run().switch_page(SCOPING_PAGE).run()  # a reload of /scoping?project=..&step=..
        assert not at.exception and at.subheader[0].value.startswith(title)
    at = at.button(key="scope.next").click().run()
    assert at.subheader[0].value.startswith("2. ") and at.query_params["step"] == "solutions"


def test_adding_a_target_keeps_the_targets_tab(app, engine):
    at = open_scoping(app)
    at.session_state["scope.tab"] = "Targets"
    at = add_target(at, "0.85", metric="f1")
    assert "Added the target" in texts(at.success) and open_tab(at, "scope.tab") == "Targets"


def only_project_id(engine) -> int:
    return read(engine, projects.list_projects)[0].id


def stored_answers(engine) -> dict[str, tuple[str, str]]:
    answers = read(engine, lambda s: scoping.load_answers(s, only_project_id(engine)))
    return {key: (a.value, a.status) for key, a in answers.items()}


def stored_targets(engine) -> list[str]:
    return [target_text(t) for t in read(engine, lambda s: scoping.list_targets(s, only_project_id(engine)))]


def answer(at, key, text):
    return at.text_area(key=f"scope.answer.{key}").input(text).run()


def set_status(at, key, status):
    return at.radio(key=f"scope.status.{key}").set_value(status).run()


def add_target(at, value, *, kind="ml", metric=None, comparator=">=", slice="", unit="", name=""):
    at.radio(key="scope.target_kind").set_value(kind).run()
    if kind == "business":
        at.text_input(key="scope.target_name").input(name)
        at.text_input(key="scope.target_unit").input(unit)
    else:
        at.selectbox(key=f"scope.target_metric.{kind}").select(metric)
    if kind == "ml":
        at.text_input(key="scope.target_slice").input(slice)
    at.selectbox(key="scope.target_comparator").select(comparator)
    at.text_input(key="scope.target_value").input(value)
    return at.button(key=ADD_TARGET).click().run()


def test_deep_link_without_a_project_says_what_is_missing(app):
    at = app.run()
    at.switch_page(SCOPING_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Scoping"
    assert "No project is open" in texts(at.info)
    assert any(link.label == "Scoping" for link in at.sidebar.get("page_link"))


def test_a_new_project_starts_at_zero_on_the_first_step(app):
    at = open_scoping(app)
    assert [m.value for m in at.metric] == ["0%"]
    assert "Not ready for data work yet" in texts(at.warning)
    assert NO_ML_TARGET in texts(at.markdown)
    assert at.subheader[0].value == "1. Business problem"
    assert at.button(key="scope.previous").disabled and not at.button(key="scope.next").disabled
    assert ITEMS["problem.statement"].why in texts(at.caption)
    assert at.get("download_button")[0].label == "Download scoping document (Markdown)"


def test_answers_and_targets_are_kept_across_reruns_steps_and_pages(app, engine):
    at = open_scoping(app)
    at = answer(at, "problem.statement", "Loan decisions take three days.")
    at = answer(at, "problem.owner", "Head of consumer lending")
    at = set_status(at, "problem.statement", "done")
    at = set_status(at, "problem.owner", "done")
    at = at.button(key="scope.next").click().run()
    assert at.subheader[0].value == "2. Candidate solutions"
    at = answer(at, "solutions.candidates", "Keep the rule; a classifier; both.")
    at = set_status(at, "solutions.choice", "not applicable")
    at.button_group(key="scope.step_pick").set_value("ethics").run()
    assert at.subheader[0].value == "5. Ethics and risks"
    at = answer(at, "ethics.concerns", "Women were rejected more often.")
    at = add_target(at, "0.85", metric="f1")
    at = add_target(at, "0.8", metric="recall", slice="sex = F")
    at = add_target(at, "50", kind="software", metric="p95_latency_ms", comparator="<=")
    at = add_target(at, "1", kind="business", name="time to decision", unit="days", comparator="<=")
    assert not at.exception
    expected_answers = {
        "problem.statement": ("Loan decisions take three days.", "done"),
        "problem.owner": ("Head of consumer lending", "done"),
        "solutions.candidates": ("Keep the rule; a classifier; both.", "to do"),
        "solutions.choice": ("", "not applicable"),
        "ethics.concerns": ("Women were rejected more often.", "to do"),
    }
    expected_targets = ["f1 >= 0.85", "recall[sex=F] >= 0.8", "p95_latency_ms <= 50", "time to decision <= 1 days"]
    assert stored_answers(engine) == expected_answers
    assert stored_targets(engine) == expected_targets

    at = at.run()
    at.switch_page(DATASETS_PAGE).run()
    at.switch_page(SCOPING_PAGE).run()
    assert not at.exception
    assert at.subheader[0].value == "5. Ethics and risks"  # the tab keeps its place in the wizard
    assert at.text_area(key="scope.answer.ethics.concerns").value == "Women were rejected more often."
    at.button_group(key="scope.step_pick").set_value("problem").run()
    assert at.text_area(key="scope.answer.problem.owner").value == "Head of consumer lending"
    assert at.radio(key="scope.status.problem.owner").value == "done"
    assert [c.value for c in at.code] == expected_targets
    assert [m.value for m in at.metric] == [f"{3 / len(ITEMS):.0%}"]
    assert at.button_group(key="scope.step_pick").options[0].startswith("●")
    assert stored_answers(engine) == expected_answers and stored_targets(engine) == expected_targets
    events = list(read(engine, lambda s: projects.list_events(s, only_project_id(engine)))["what"])
    assert events.count("added target") == 4 and events.count("updated scoping answer") == 7


def test_done_with_an_empty_required_answer_is_refused_next_to_the_item(app, engine):
    at = set_status(open_scoping(app), "problem.owner", "done")
    assert ANSWER_REQUIRED.format(question=ITEMS["problem.owner"].question) in texts(at.error)
    assert at.radio(key="scope.status.problem.owner").value == "to do"
    assert stored_answers(engine) == {}
    at = set_status(at, "problem.owner", "not applicable")
    assert REQUIRED_NOT_APPLICABLE.format(question=ITEMS["problem.owner"].question) in texts(at.error)
    at = answer(at, "problem.statement", "Slow loans")
    assert not at.error  # the refusal is not repeated on the next run
    assert stored_answers(engine) == {"problem.statement": ("Slow loans", "to do")}


def test_typed_text_is_saved_with_the_status_and_emptying_it_reopens_the_item(app, engine):
    at = open_scoping(app)
    at.text_area(key="scope.answer.problem.owner").input("Head of lending")  # no rerun: not yet blurred
    at = set_status(at, "problem.owner", "done")
    assert stored_answers(engine) == {"problem.owner": ("Head of lending", "done")}
    at = answer(at, "problem.owner", "")
    assert REOPENED.format(question=ITEMS["problem.owner"].question) in texts(at.info)
    assert at.radio(key="scope.status.problem.owner").value == "to do"
    assert stored_answers(engine) == {"problem.owner": ("", "to do")}


@pytest.mark.parametrize("target, message", [
    (dict(value="1.5", metric="accuracy"), SHARE_OUT_OF_RANGE.format(label="Accuracy", value="1.5")),
    (dict(value="-3", kind="software", metric="p95_latency_ms", comparator="<="),
     NOT_POSITIVE.format(label="p95 latency", unit="ms", value="-3")),
    (dict(value="high", metric="f1"), VALUE_NOT_NUMBER.format(value="high")),
    (dict(value="0.8", metric="recall", slice="women"), SLICE_BAD.format(slice="women")),
    (dict(value="2", kind="business", name="labeling days", comparator="<="), BUSINESS_UNIT_EMPTY),
    # Longer than the stored column allows (PostgreSQL refuses such text; SQLite would keep it).
    (dict(value="2", kind="business", name="d" * (MAX_NAME_LENGTH + 1), unit="days", comparator="<="),
     BUSINESS_NAME_TOO_LONG),
    (dict(value="2", kind="business", name="labeling days", unit="d" * (MAX_UNIT_LENGTH + 1), comparator="<="),
     UNIT_TOO_LONG),
])
def test_bad_targets_show_the_message_and_store_nothing(app, engine, target, message):
    at = add_target(open_scoping(app), **target)
    assert not at.exception
    assert message in texts(at.error)
    assert stored_targets(engine) == []
    assert at.text_input(key="scope.target_value").value == target["value"]  # the typed value stays to be fixed


def test_a_duplicate_target_is_refused_and_a_target_can_be_deleted(app, engine):
    at = add_target(open_scoping(app), "0.8", metric="f1")
    assert "Added the target `f1 >= 0.8`." in texts(at.success)
    assert at.text_input(key="scope.target_value").value == ""
    at = add_target(at, "0.9", metric="f1")
    assert DUPLICATE_TARGET.format(existing="f1 >= 0.8", new="f1 >= 0.9") in texts(at.error)
    assert stored_targets(engine) == ["f1 >= 0.8"]
    target_id = read(engine, lambda s: scoping.list_targets(s, only_project_id(engine)))[0].id
    at = at.button(key=f"scope.target_delete.{target_id}").click().run()
    assert "Deleted the target `f1 >= 0.8`." in texts(at.success)
    assert stored_targets(engine) == [] and not at.code
    assert "No targets yet" in texts(at.info)


def test_effort_plan_is_saved_and_warns_when_labeling_takes_too_much(app, engine):
    at = open_scoping(app)
    at.number_input(key="scope.effort.training").set_value(3.0).run()
    at.number_input(key="scope.effort.error_analysis").set_value(2.0).run()
    at = at.number_input(key="scope.effort.labeling").set_value(4.0).run()
    heavy = LABELING_HEAVY.format(share=4 / 9, labeling=4.0, total=9.0, rest=5.0, low=1.0, high=2.0)
    assert heavy in texts(at.warning)
    at = at.number_input(key="scope.effort.labeling").set_value(1.5).run()
    assert "within the rule of thumb" in texts(at.success)
    at.switch_page(DATASETS_PAGE).run()
    at.switch_page(SCOPING_PAGE).run()
    assert at.number_input(key="scope.effort.labeling").value == 1.5
    plan = read(engine, lambda s: scoping.load_effort_plan(s, only_project_id(engine)))
    assert (plan.labeling_days, plan.training_days, plan.error_analysis_days) == (1.5, 3.0, 2.0)


def test_feasibility_is_prefilled_from_the_projects_datasets(app, engine):
    at = open_scoping(app)
    frame = pd.DataFrame({"pixel_0": [0, 16], "digit": [1, 7]}, index=pd.RangeIndex(2, name="row_id"))
    with_data = lambda s: datasets.add_dataset_version(  # noqa: E731
        s, project_id=only_project_id(engine), name="scans", frame=frame, source="upload",
        column_kinds={"pixel_0": "image", "digit": "numeric"}, roles={"target": "digit"})
    read(engine, with_data)
    at.button_group(key="scope.step_pick").set_value("feasibility").run()
    summary = "scans v1: 2 rows, 2 columns — small, unstructured data; labels in column “digit”."
    assert summary in texts(at.info)
    assert at.text_area(key="scope.answer.feasibility.data").value == summary
    assert stored_answers(engine) == {"feasibility.data": (summary, "to do")}


def test_a_demo_project_comes_with_its_worked_example_and_teaching_mode_explains(app, engine):
    at = open_scoping(app, "Cancer", "Demo: Breast cancer diagnosis")
    example = WORKED_EXAMPLES["breast_cancer"]
    assert stored_answers(engine) == dict(example.answers)
    assert "Ready for data work" in texts(at.success)
    assert at.text_area(key="scope.answer.problem.owner").value == example.answers["problem.owner"][0]
    assert "What a good answer looks like" not in texts(at.success)
    at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    shown = texts(at.success)
    assert ITEMS["problem.owner"].good_answer in shown
    assert "Example from the Breast cancer diagnosis demo" in shown
    at.button_group(key="scope.step_pick").set_value("feasibility").run()
    assert "569 rows" in texts(at.info)  # the demo's dataset, summarised next to the worked answer
    at = answer(at, "feasibility.data", "569 tumours, 30 measurements; our own notes.")
    assert stored_answers(engine)["feasibility.data"] == ("569 tumours, 30 measurements; our own notes.", "done")


def add_people(engine, regions=("North", "South")):
    frame = pd.DataFrame({"sex": ["F", "M"] * 4, "region": list(regions) * (8 // len(regions)), "y": [0, 1] * 4},
                         index=pd.RangeIndex(8, name="row_id"))
    read(engine, lambda s: datasets.add_dataset_version(
        s, project_id=only_project_id(engine), name="people", frame=frame, source="upload",
        column_kinds={"sex": "categorical", "region": "categorical", "y": "categorical"}, roles={"target": "y"}))


def test_a_slice_target_is_checked_against_the_data_with_the_closest_value_suggested(app, engine):
    at = open_scoping(app)
    add_people(engine)
    at = add_target(at, "0.8", metric="precision", slice="region=north")
    assert not at.exception
    refusal = "Column “region” has no value “north” (did you mean “North”?). Its values are: North, South."
    assert refusal in texts(at.error)
    assert stored_targets(engine) == []
    at = add_target(at, "0.8", metric="precision", slice="gender=F")
    assert "The data has no column “gender”. Its columns are: region, sex, y." in texts(at.error)
    at = add_target(at, "0.8", metric="precision", slice="region=North")
    assert "Added the target `precision[region=North] >= 0.8`." in texts(at.success)
    assert stored_targets(engine) == ["precision[region=North] >= 0.8"]


def test_a_slice_target_without_data_waits_for_it_and_is_flagged_when_the_data_lacks_it(app, engine):
    at = add_target(open_scoping(app), "0.8", metric="recall", slice="region=north")
    assert ("Added the target `recall[region=north] >= 0.8`. The project has no data yet, so the slice "
            "“region=north” will be checked against the data when it arrives.") in texts(at.success)
    assert "matches none of the project's datasets" not in texts(at.warning)
    add_people(engine)
    at = at.run()
    warning = texts(at.warning)
    assert "`recall[region=north] >= 0.8` matches none of the project's datasets" in warning
    assert "Column “region” has no value “north” (did you mean “North”?)" in warning
