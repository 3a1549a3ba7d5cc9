from dataclasses import dataclass

import pytest

from markdown_it import MarkdownIt

from core.scoping import report as scoping_report
from core.scoping.checklist import (
    ANSWER_REQUIRED,
    ANSWER_TOO_LONG,
    CHECKLIST,
    ITEMS,
    MAX_ANSWER_LENGTH,
    REQUIRED_NOT_APPLICABLE,
    UNKNOWN_ITEM,
    UNKNOWN_STATUS,
    WORKED_EXAMPLES,
    DataFacts,
    check_answer,
    check_status,
    describe_data,
    example_for,
    status_after_edit,
)
from core.scoping.effort import EffortPlan, check_effort
from core.data.scenarios import SCENARIOS
from core.scoping.report import (
    NO_ML_TARGET,
    READY,
    scoping_markdown,
    scoping_readiness,
    step_label,
    step_status,
)
from core.scoping.targets import parse_target


@dataclass(frozen=True)
class Answer:
    value: str
    status: str


def done_everything() -> dict[str, Answer]:
    return {key: Answer(f"answer to {key}", "done") for key in ITEMS}


# --- the definition -------------------------------------------------------------------------

def test_the_checklist_has_the_seven_steps_in_order():
    assert [step.title for step in CHECKLIST] == [
        "Business problem", "Candidate solutions", "Feasibility", "Value", "Ethics and risks",
        "Milestones and resources", "Proof of concept",
    ]
    assert all(step.items and step.summary for step in CHECKLIST)


def test_every_item_has_a_question_why_it_matters_and_what_a_good_answer_is():
    keys = [item.key for step in CHECKLIST for item in step.items]
    assert len(keys) == len(set(keys)) == len(ITEMS)
    for step in CHECKLIST:
        for item in step.items:
            assert item.key.startswith(step.key + ".")
            assert item.question.endswith("?"), item.key
            assert len(item.why) > 60 and len(item.good_answer) > 20, item.key


def test_each_step_asks_at_least_one_required_question():
    assert all(any(item.required for item in step.items) for step in CHECKLIST)


def test_the_issue_topics_are_covered():
    questions = " ".join(item.question.lower() for item in ITEMS.values())
    for topic in ["business terms", "owns", "different solutions", "human-level", "features", "history", "10,000",
                  "structured", "business metric", "ml metric", "agreed", "harmed", "go wrong", "people",
                  "timeline", "budget", "proof of concept"]:
        assert topic in questions, topic


def test_every_demo_scenario_has_a_worked_example_that_the_rules_accept():
    assert set(WORKED_EXAMPLES) == set(SCENARIOS)
    for scenario, example in WORKED_EXAMPLES.items():
        for key, (value, status) in example.answers.items():
            assert check_status(key, status, value) == status
            assert check_answer(key, value) == value
        answered = {key for key, (_, status) in example.answers.items() if status == "done"}
        assert {key for key, item in ITEMS.items() if item.required} <= answered, scenario
        targets = [parse_target(text) for text in example.targets]
        assert any(t.kind == "ml" for t in targets)
        assert check_effort(EffortPlan(**{f"{a}_days": d for a, d in example.effort_days.items()})).level == "balanced"


def test_teaching_examples_prefer_the_projects_own_scenario():
    assert example_for("problem.statement", "digits")[0] == "digits"
    assert example_for("problem.statement", None)[0] == "loan_approval"
    assert example_for("feasibility.features", "digits")[0] == "loan_approval"
    assert example_for("poc.result", "digits") is None


# --- status rules ---------------------------------------------------------------------------

def test_done_needs_an_answer_on_a_required_item():
    with pytest.raises(ValueError) as refused:
        check_status("problem.statement", "done", "   \n")
    assert str(refused.value) == ANSWER_REQUIRED.format(question=ITEMS["problem.statement"].question)
    assert check_status("problem.statement", "done", "Slow loan decisions") == "done"
    assert check_status("solutions.choice", "done", "") == "done"  # optional: done may mean "nothing to add"


def test_a_required_item_cannot_be_not_applicable_but_an_optional_one_can():
    with pytest.raises(ValueError) as refused:
        check_status("problem.owner", "not applicable", "")
    assert str(refused.value) == REQUIRED_NOT_APPLICABLE.format(question=ITEMS["problem.owner"].question)
    assert check_status("feasibility.hlp", "not applicable", "") == "not applicable"


def test_unknown_items_statuses_and_long_answers_are_refused():
    with pytest.raises(ValueError, match=UNKNOWN_ITEM.format(key="nope")):
        check_status("nope", "done", "x")
    with pytest.raises(ValueError) as refused:
        check_status("problem.owner", "finished", "x")
    assert str(refused.value) == UNKNOWN_STATUS.format(status="finished")
    with pytest.raises(ValueError, match=ANSWER_TOO_LONG):
        check_answer("problem.owner", "x" * (MAX_ANSWER_LENGTH + 1))
    assert check_answer("problem.owner", "Head of lending  \n\n") == "Head of lending"


def test_emptying_a_done_required_answer_reopens_it():
    assert status_after_edit("problem.owner", "done", "") == "to do"
    assert status_after_edit("problem.owner", "done", "Head of lending") == "done"
    assert status_after_edit("solutions.choice", "done", "") == "done"
    assert status_after_edit("feasibility.hlp", "not applicable", "") == "not applicable"


# --- feasibility facts from the datasets ----------------------------------------------------

def test_data_is_small_up_to_ten_thousand_rows_and_unstructured_with_image_or_text_features():
    tabular = {"income": "numeric", "region": "categorical", "approved": "categorical"}
    assert DataFacts("loans", 1, 10_000, tabular).is_small
    assert not DataFacts("loans", 1, 10_001, tabular).is_small
    assert DataFacts("loans", 1, 10, tabular).is_structured
    assert not DataFacts("digits", 1, 10, {"pixel_0": "image", "digit": "numeric"}).is_structured
    assert not DataFacts("reviews", 1, 10, {"review": "text", "stars": "numeric"}).is_structured
    # a text target does not make a table unstructured
    assert DataFacts("tickets", 1, 10, {"x": "numeric", "team": "text"}, target="team").is_structured
    # one free-text column among many features leaves a table structured (the Datasets profile agrees)
    cases = {"age": "numeric", "income": "numeric", "region": "categorical", "notes": "text", "y": "categorical"}
    assert DataFacts("cases", 1, 7000, cases, target="y").is_structured
    assert describe_data([DataFacts("cases", 1, 7000, cases, target="y")]).endswith("small, structured data; "
                                                                                  "labels in column “y”.")


def test_describe_data_says_rows_size_structure_and_labels():
    text = describe_data([
        DataFacts("loan_approval", 2, 20_000, {"income": "numeric", "approved": "numeric"}, "approved"),
        DataFacts("scans", 1, 1_797, {"pixel_0": "image", "pixel_1": "image"}),
    ])
    assert text == (
        "loan_approval v2: 20,000 rows, 2 columns — big, structured data; labels in column “approved”. "
        "scans v1: 1,797 rows, 2 columns — small, unstructured data; no target column chosen yet."
    )


# --- completeness and readiness -------------------------------------------------------------

def test_an_empty_scoping_scores_zero_and_lists_every_required_item_and_the_missing_ml_target():
    readiness = scoping_readiness({}, [])
    assert readiness.score == 0.0 and readiness.verdict == "not ready"
    required = [item for item in ITEMS.values() if item.required]
    assert len(readiness.open_points) == len(required) + 1
    assert readiness.open_points[-1] == NO_ML_TARGET
    assert readiness.open_points[0] == f"Business problem: {ITEMS['problem.statement'].question}"


def test_ready_needs_every_required_item_done_and_an_ml_target():
    answers = done_everything()
    assert scoping_readiness(answers, [parse_target("f1 >= 0.8")]).verdict == "ready"
    assert scoping_readiness(answers, [parse_target("f1 >= 0.8")]).message == READY
    assert scoping_readiness(answers, [parse_target("latency <= 50")]).open_points == (NO_ML_TARGET,)
    answers["problem.owner"] = Answer("Head of lending", "to do")
    readiness = scoping_readiness(answers, [parse_target("f1 >= 0.8")])
    assert readiness.verdict == "not ready" and len(readiness.open_points) == 1


def test_score_counts_done_and_not_applicable_as_settled():
    answers = {"problem.statement": Answer("x", "done"), "feasibility.hlp": Answer("", "not applicable"),
               "problem.owner": Answer("typed but not done", "to do")}
    readiness = scoping_readiness(answers, [])
    assert (readiness.settled, readiness.total) == (2, len(ITEMS))
    assert readiness.score == pytest.approx(2 / len(ITEMS))


def test_optional_items_left_open_do_not_block_readiness():
    answers = {key: a for key, a in done_everything().items() if ITEMS[key].required}
    readiness = scoping_readiness(answers, [parse_target("recall >= 0.9")])
    assert readiness.verdict == "ready" and readiness.score < 1.0


def test_step_status_and_jump_list_label():
    problem = CHECKLIST[0]
    assert step_status(problem, {}) == "not started"
    assert step_status(problem, {"problem.owner": Answer("typed", "to do")}) == "partly"
    assert step_status(problem, {"problem.owner": Answer("x", "done")}) == "partly"
    both = {"problem.owner": Answer("x", "done"), "problem.statement": Answer("y", "done")}
    assert step_status(problem, both) == "done"
    assert step_label(0, problem, both) == "● 1. Business problem"
    assert step_label(6, CHECKLIST[6], {}) == "○ 7. Proof of concept"


# --- the Markdown document ------------------------------------------------------------------

def test_markdown_has_every_question_the_answers_targets_and_effort():
    answers = {"problem.statement": Answer("Loans take 3 days.\n\n# not a heading", "done")}
    targets = [parse_target("f1 >= 0.8"), parse_target("recall[sex=F] >= 0.8"),
               parse_target("cost per loan <= 3 EUR|x")]  # a pipe in a unit must not break the table
    text = scoping_markdown(project_name="Loans", answers=answers, targets=targets, effort=EffortPlan(5, 3, 2))
    assert text.startswith("# Scoping: Loans\n")
    assert "**Completeness:** 1 of 18 items settled (6%)." in text
    assert "Not ready for data work yet." in text and f"- {NO_ML_TARGET}" not in text
    for number, step in enumerate(CHECKLIST, start=1):
        assert f"## {number}. {step.title}" in text
        for item in step.items:
            assert f"**{item.question}**" in text
    assert "> Loans take 3 days.\n>\n> \\# not a heading" in text
    assert text.count("_No answer yet._") == len(ITEMS) - 1
    assert "| ML | recall\\[sex=F\\] >= 0.8 |" in text
    assert "| Business | cost per loan \\<= 3 EUR\\|x |" in text
    assert "- Labeling: 5 days" in text and "Labeling takes 50% of the planned days" in text


def test_markdown_shows_user_text_inert():
    payloads = "<script>alert(1)</script> <img src=x onerror=alert(1)> ![x](http://e/x.png) [link](http://e)"
    answers = {"problem.statement": Answer(payloads, "done")}
    targets = [parse_target("cost <= 3 ![x](http://e/x.png)")]
    text = scoping_markdown(project_name=payloads, answers=answers, targets=targets, effort=None)
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    for tag in ("<script", "<img", "<a "):
        assert tag not in rendered
    assert "![x](http://e/x.png)" in rendered  # shown as typed
    live = MarkdownIt("commonmark").render(payloads)
    assert "<script" in live and "<img" in live  # the same text unescaped runs and fetches


def test_markdown_of_an_untouched_project_says_what_is_missing():
    text = scoping_markdown(project_name="Blank", answers={}, targets=[], effort=None)
    assert "_No targets set._" in text and "_No effort plan yet._" in text
    assert f"- {NO_ML_TARGET}" in text
    assert scoping_report.READY not in text
