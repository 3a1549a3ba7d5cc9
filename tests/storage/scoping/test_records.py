import threading

import pytest
from sqlalchemy.exc import IntegrityError

from core.scoping.checklist import ANSWER_REQUIRED, ITEMS, UNKNOWN_ITEM, WORKED_EXAMPLES
from core.scoping.effort import DAYS_OUT_OF_RANGE, MAX_DAYS, EffortPlan
from core.project.progress import stage_progress
from core.scoping.targets import (
    DUPLICATE_TARGET,
    SHARE_OUT_OF_RANGE,
    TargetError,
    evaluate_targets,
    parse_target,
)
from storage.data import datasets
from storage.project import projects
from storage.scoping import records as scoping
from storage import transfer
from storage.db import session_scope
from storage.scoping.tables import Target
from storage.progress import progress_facts
from tests.storage.factories import small_frame


@pytest.fixture
def project_id(engine) -> int:
    with session_scope(engine) as s:
        return projects.create_project(s, name="Loans").id


def read(engine, query):
    with session_scope(engine) as s:
        return query(s)


def actions(engine, project_id) -> list[str]:
    return list(read(engine, lambda s: projects.list_events(s, project_id))["what"])


# --- answers --------------------------------------------------------------------------------

def test_answers_are_saved_with_their_status_and_each_change_is_logged(engine, project_id):
    with session_scope(engine) as s:
        scoping.save_answer(s, project_id=project_id, item_key="problem.owner", value="Head of lending")
    with session_scope(engine) as s:
        scoping.save_answer(s, project_id=project_id, item_key="problem.owner", status="done", actor="ana")
    with session_scope(engine) as s:  # the same again changes nothing and logs nothing
        scoping.save_answer(s, project_id=project_id, item_key="problem.owner", value="Head of lending  ")
    answers = read(engine, lambda s: scoping.load_answers(s, project_id))
    assert list(answers) == ["problem.owner"]
    assert (answers["problem.owner"].value, answers["problem.owner"].status) == ("Head of lending", "done")
    assert actions(engine, project_id).count("updated scoping answer") == 2
    latest = read(engine, lambda s: projects.list_events(s, project_id)).iloc[0]
    assert latest["who"] == "ana" and "status: done" in latest["details"]


def test_done_with_an_empty_required_answer_is_refused_and_writes_nothing(engine, project_id):
    with pytest.raises(ValueError) as refused:
        with session_scope(engine) as s:
            scoping.save_answer(s, project_id=project_id, item_key="problem.statement", status="done")
    assert str(refused.value) == ANSWER_REQUIRED.format(question=ITEMS["problem.statement"].question)
    assert read(engine, lambda s: scoping.load_answers(s, project_id)) == {}
    assert actions(engine, project_id) == ["created project"]


def test_text_and_status_can_be_saved_together(engine, project_id):
    with session_scope(engine) as s:
        row = scoping.save_answer(s, project_id=project_id, item_key="problem.statement",
                                  value="Slow loan decisions", status="done")
    assert (row.value, row.status) == ("Slow loan decisions", "done")


def test_emptying_a_done_required_answer_puts_it_back_to_to_do(engine, project_id):
    with session_scope(engine) as s:
        scoping.save_answer(s, project_id=project_id, item_key="problem.owner", value="Head", status="done")
    with session_scope(engine) as s:
        row = scoping.save_answer(s, project_id=project_id, item_key="problem.owner", value="")
    assert (row.value, row.status) == ("", "to do")


def test_unknown_items_and_projects_are_refused(engine, project_id):
    with pytest.raises(ValueError, match=UNKNOWN_ITEM.format(key="problem.colour")):
        with session_scope(engine) as s:
            scoping.save_answer(s, project_id=project_id, item_key="problem.colour", value="x")
    with pytest.raises(projects.ProjectError):
        with session_scope(engine) as s:
            scoping.save_answer(s, project_id=project_id + 1, item_key="problem.owner", value="x")


def test_threads_answering_the_same_new_item_keep_one_row(engine, project_id):
    errors = []

    def work(worker: int) -> None:
        try:
            with session_scope(engine) as s:
                scoping.save_answer(s, project_id=project_id, item_key="ethics.concerns", value=f"from {worker}")
        except Exception as error:  # collected so the assertion shows it
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    answers = read(engine, lambda s: scoping.load_answers(s, project_id))
    assert list(answers) == ["ethics.concerns"]
    assert answers["ethics.concerns"].value.startswith("from ")


# --- targets --------------------------------------------------------------------------------

def add(engine, project_id, text):
    with session_scope(engine) as s:
        return scoping.add_target(s, project_id=project_id, target=parse_target(text))


def test_targets_are_listed_ml_first_and_can_be_deleted(engine, project_id):
    for text in ["cost per loan <= 3 EUR", "p95_latency_ms <= 50", "f1 >= 0.85", "recall[sex=F] >= 0.8"]:
        add(engine, project_id, text)
    listed = read(engine, lambda s: scoping.list_targets(s, project_id))
    assert [(t.kind, t.metric, t.slice, t.comparator, t.value, t.unit) for t in listed] == [
        ("ml", "f1", "", ">=", 0.85, ""), ("ml", "recall", "sex=F", ">=", 0.8, ""),
        ("software", "p95_latency_ms", "", "<=", 50.0, "ms"), ("business", "cost per loan", "", "<=", 3.0, "EUR"),
    ]
    with session_scope(engine) as s:
        assert scoping.delete_target(s, project_id=project_id, target_id=listed[2].id) == "p95_latency_ms <= 50"
    assert len(read(engine, lambda s: scoping.list_targets(s, project_id))) == 3
    with pytest.raises(scoping.ScopingError, match="already deleted"):
        with session_scope(engine) as s:
            scoping.delete_target(s, project_id=project_id, target_id=listed[2].id)
    assert actions(engine, project_id).count("added target") == 4
    assert actions(engine, project_id).count("deleted target") == 1


def test_stored_targets_feed_evaluate_targets(engine, project_id):
    add(engine, project_id, "f1 >= 0.85")
    add(engine, project_id, "recall[sex=F] >= 0.8")
    stored = read(engine, lambda s: scoping.list_targets(s, project_id))
    results = evaluate_targets({"f1": 0.85, "recall[sex=F]": 0.7}, stored)
    assert [r.status for r in results] == ["met", "not met"]


def test_a_duplicate_target_is_refused_and_nothing_is_added(engine, project_id):
    first = add(engine, project_id, "f1 >= 0.85")
    with pytest.raises(TargetError) as refused:
        add(engine, project_id, "f1 >= 0.9")
    assert str(refused.value) == DUPLICATE_TARGET.format(existing="f1 >= 0.85", new="f1 >= 0.9")
    assert [t.id for t in read(engine, lambda s: scoping.list_targets(s, project_id))] == [first.id]


def test_the_database_refuses_a_repeated_target_too(engine, project_id):
    add(engine, project_id, "f1 >= 0.85")
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(Target(project_id=project_id, kind="ml", metric="f1", comparator=">=", value=0.9))


def test_an_out_of_range_target_never_reaches_storage(engine, project_id):
    with pytest.raises(TargetError, match=SHARE_OUT_OF_RANGE.format(label="Accuracy", value="1.5")):
        add(engine, project_id, "accuracy >= 1.5")
    assert read(engine, lambda s: scoping.list_targets(s, project_id)) == []


# --- effort plan ----------------------------------------------------------------------------

def test_effort_plan_is_saved_one_activity_at_a_time(engine, project_id):
    assert read(engine, lambda s: scoping.load_effort_plan(s, project_id)) is None
    with session_scope(engine) as s:
        scoping.save_effort_days(s, project_id=project_id, activity="training", days=3)
    with session_scope(engine) as s:
        plan = scoping.save_effort_days(s, project_id=project_id, activity="labeling", days=1.5)
    assert plan == EffortPlan(1.5, 3.0, 0.0)
    assert read(engine, lambda s: scoping.load_effort_plan(s, project_id)) == plan
    with pytest.raises(ValueError) as refused:
        with session_scope(engine) as s:
            scoping.save_effort_days(s, project_id=project_id, activity="labeling", days=-2)
    assert str(refused.value) == DAYS_OUT_OF_RANGE.format(label="Labeling", max_days=MAX_DAYS, days="-2")
    assert read(engine, lambda s: scoping.load_effort_plan(s, project_id)) == plan
    assert actions(engine, project_id).count("planned effort") == 2


# --- datasets, worked examples, and the project-wide operations ----------------------------

def test_data_answer_is_prefilled_from_the_newest_versions_once(engine, project_id):
    with session_scope(engine) as s:
        assert scoping.prefill_data_answer(s, project_id=project_id) is None  # no data yet
        for n_rows in (50, 20_000):
            datasets.add_dataset_version(s, project_id=project_id, name="loans", frame=small_frame(n_rows),
                                         source="t", column_kinds={"x": "numeric", "colour": "categorical",
                                                                   "y": "numeric"}, roles={"target": "y"})
    facts = read(engine, lambda s: scoping.data_facts(s, project_id))
    assert [(f.name, f.version, f.n_rows, f.target) for f in facts] == [("loans", 2, 20_000, "y")]
    with session_scope(engine) as s:
        row = scoping.prefill_data_answer(s, project_id=project_id)
    assert row.status == "to do"
    assert row.value == "loans v2: 20,000 rows, 3 columns — big, structured data; labels in column “y”."
    with session_scope(engine) as s:
        scoping.save_answer(s, project_id=project_id, item_key=scoping.DATA_ITEM, value="")
    with session_scope(engine) as s:  # once touched, even emptied, the user's answer stays
        assert scoping.prefill_data_answer(s, project_id=project_id) is None
    assert read(engine, lambda s: scoping.load_answers(s, project_id))[scoping.DATA_ITEM].value == ""


@pytest.mark.parametrize("scenario", sorted(WORKED_EXAMPLES))
def test_worked_example_fills_answers_targets_and_effort_with_one_event(engine, project_id, scenario):
    with session_scope(engine) as s:
        assert scoping.apply_worked_example(s, project_id=project_id, scenario=scenario)
    sheet = read(engine, lambda s: scoping.load_scoping(s, project_id))
    example = WORKED_EXAMPLES[scenario]
    assert {k: (a.value, a.status) for k, a in sheet.answers.items()} == dict(example.answers)
    assert sorted(t.text for t in map(parse_target, example.targets)) == sorted(
        scoping.target_text(t) for t in sheet.targets)
    assert sheet.effort == EffortPlan(**{f"{a}_days": d for a, d in example.effort_days.items()})
    assert actions(engine, project_id) == ["filled in worked-example scoping", "created project"]


def test_worked_example_keeps_what_the_user_already_wrote(engine, project_id):
    with session_scope(engine) as s:
        scoping.save_answer(s, project_id=project_id, item_key="problem.owner", value="Me")
        scoping.add_target(s, project_id=project_id, target=parse_target("f1 >= 0.5"))
        assert scoping.apply_worked_example(s, project_id=project_id, scenario="loan_approval")
        assert not scoping.apply_worked_example(s, project_id=project_id, scenario="blank")
    sheet = read(engine, lambda s: scoping.load_scoping(s, project_id))
    assert sheet.answers["problem.owner"].value == "Me"
    f1 = [t for t in sheet.targets if t.metric == "f1"]
    assert [t.value for t in f1] == [0.5]


def test_scoping_rows_count_for_progress_go_with_delete_and_travel_with_export(engine, project_id):
    with session_scope(engine) as s:
        scoping.apply_worked_example(s, project_id=project_id, scenario="breast_cancer")
    facts = read(engine, lambda s: progress_facts(s, project_id))
    assert stage_progress(facts)[0].status == "done"
    imported = transfer.import_project(engine, transfer.export_project(engine, project_id))
    copied = read(engine, lambda s: scoping.load_scoping(s, imported.id))
    original = read(engine, lambda s: scoping.load_scoping(s, project_id))
    assert {k: (a.value, a.status) for k, a in copied.answers.items()} == {
        k: (a.value, a.status) for k, a in original.answers.items()}
    assert [scoping.target_text(t) for t in copied.targets] == [scoping.target_text(t) for t in original.targets]
    assert copied.effort == original.effort
    with session_scope(engine) as s:
        projects.delete_project(s, project_id=project_id)
    contents = read(engine, lambda s: projects.project_contents(s, project_id))
    assert contents == {}
