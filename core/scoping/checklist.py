"""The scoping checklist: seven steps of questions, why each matters, and worked examples.

Every item has a key that answers are stored under, a question, a "why this matters" help,
a short description of a good answer (shown in teaching mode) and, for each demo scenario,
a worked example answer. A demo project starts with its scenario's worked example filled in
(`WORKED_EXAMPLES`), which the learner can then edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from core.structure import data_structure, size_class

ItemStatus = Literal["to do", "done", "not applicable"]
ITEM_STATUSES: tuple[ItemStatus, ...] = get_args(ItemStatus)
MAX_ANSWER_LENGTH = 5_000

UNKNOWN_ITEM = "There is no checklist item “{key}”. Reload the page."
UNKNOWN_STATUS = "“{status}” is not a status. Use to do, done or not applicable."
ANSWER_TOO_LONG = f"The answer is longer than {MAX_ANSWER_LENGTH:,} characters. Shorten it or link to a document."
ANSWER_REQUIRED = "“{question}” needs an answer before it can be marked done. Write the answer first."
REQUIRED_NOT_APPLICABLE = (
    "“{question}” applies to every project, so it cannot be marked not applicable. Answer it, even briefly."
)
REOPENED = "The answer to “{question}” is now empty, so the item is back to to do."


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    question: str
    why: str
    good_answer: str
    required: bool
    examples: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    title: str
    summary: str
    items: tuple[ChecklistItem, ...]


def _item(key: str, question: str, why: str, good: str, *, required: bool, **examples: str) -> ChecklistItem:
    return ChecklistItem(key, question, why, good, required, examples)


CHECKLIST: tuple[ChecklistStep, ...] = (
    ChecklistStep("problem", "Business problem", "Say what is wrong today, in the business's words, and who owns it.", (
        _item("problem.statement",
              "Which business problem are you solving, in business terms rather than as an AI task?",
              "A model is only worth building if it moves something the business cares about. Describing the "
              "problem without mentioning AI keeps simpler solutions on the table.",
              "Says who is affected, what goes wrong today and what it costs, without naming a model.",
              required=True,
              loan_approval="Loan officers take about three days to decide on a consumer loan, and applicants who "
              "wait often go elsewhere. Decisions also vary between officers, and a past review found them harsher "
              "on women with the same credit profile.",
              digits="Digits handwritten on paper forms are typed in by clerks. It is slow, some digits are "
              "mistyped, and the backlog grows at every month-end.",
              breast_cancer="Pathologists spend much of their time on biopsy reports that turn out benign, which "
              "delays the reports that matter. The clinic wants likely malignant cases looked at first."),
        _item("problem.owner",
              "Who owns the problem, and who will use the result?",
              "Someone outside the data team has to accept the targets, judge the result and carry the change "
              "into daily work. Without an owner, even a good model stays unused.",
              "A named role with the authority to decide, plus the people who will work with the output.",
              required=True,
              loan_approval="The head of consumer lending owns it; loan officers use the recommendations; the "
              "compliance team signs off on fairness.",
              digits="The manager of the forms-processing team owns it; the clerks check what the system reads.",
              breast_cancer="The head of pathology owns it; pathologists work from the reordered queue; the "
              "clinical governance board approves its use."),
    )),
    ChecklistStep("solutions", "Candidate solutions", "List several ways to solve it, and choose one to try first.", (
        _item("solutions.candidates",
              "What different solutions, AI and non-AI, could solve the problem?",
              "The first idea is rarely the only one. Listing alternatives, from a rule or a process change to a "
              "model, makes the choice a decision rather than a habit, and gives the model something to beat.",
              "Two or more options, a sentence each, including the simplest thing that could work.",
              required=True,
              loan_approval="1) Automate the current rule (credit score at least 650 and debt-to-income below "
              "0.40). 2) A classifier trained on past decisions that recommends approve or reject to the "
              "officer. 3) A classifier that approves clear cases on its own and sends the rest to officers.",
              digits="1) Ask customers to type the numbers online. 2) A bought OCR service. 3) A small digit "
              "classifier on the scanned boxes, with clerks checking the reads it is unsure about.",
              breast_cancer="1) Order the queue by a rule on nucleus size. 2) A classifier on the 30 nucleus "
              "measurements that ranks cases by risk. 3) No system: hire another pathologist."),
        _item("solutions.choice",
              "How do the candidates compare, and which one do you try first?",
              "Comparing value, effort and risk makes clear what each option gives up, and what to fall back "
              "on if the first choice fails.",
              "A short comparison on value, effort and risk, and the choice with its reason.",
              required=False,
              loan_approval="Option 2 first: officers stay in the loop while we learn, and it can grow into option 3 "
              "for clear cases. Option 1 is the baseline the model has to beat.",
              digits="Option 3: the OCR service reads our form's boxes badly and charges per page; online entry "
              "is a longer-term change.",
              breast_cancer="Option 2: the measurements exist for every case, and a ranking only changes the order "
              "of work, not who decides."),
    )),
    ChecklistStep("feasibility", "Feasibility", "Check that the data, the signal and past experience make it doable.", (
        _item("feasibility.data",
              "What data is there: how much (small is up to 10,000 rows), structured or unstructured, and "
              "where do its labels come from?",
              "The kind of data shapes the plan. With small data every label counts; with big data processing "
              "is the hard part. Images, text and audio can be labeled by people and augmented; tables are "
              "hard to extend.",
              "Row count, structured or unstructured, where the labels come from and how far they can be trusted.",
              required=True,
              loan_approval="About 20,000 applications from one year: big, structured data (numbers such as income "
              "and credit score, categories such as purpose and region). The labels are the officers' past "
              "decisions, which may carry their bias and some recording errors.",
              digits="1,797 scanned digits as 8×8 grey images: small, unstructured data. Clerks label them; "
              "more labels can be added quickly and the images can be augmented.",
              breast_cancer="569 cases with 30 numeric measurements each: small, structured data. The labels are "
              "confirmed diagnoses; each one matters and new cases cannot be made up."),
        _item("feasibility.hlp",
              "For unstructured data: how well do people do this task? Is there a human-level reference?",
              "If a trained person can do the task from the same input, a model probably can too, and the "
              "person's accuracy is a realistic bar. Where people disagree, the instructions may be unclear.",
              "How well people do today and how that was or will be measured, e.g. several people labeling "
              "the same items.",
              required=False,
              loan_approval="Less telling for a table, but officers disagree on borderline cases; two officers "
              "will label the same sample so we can compare.",
              digits="Clerks read clean digits almost without error and mix up 1/7, 3/8 and 4/9 most. Three "
              "clerks will label an overlapping batch to measure it.",
              breast_cancer="Pathologists read the cell images, not these 30 numbers, so there is no direct human "
              "reference for this input; published results on this data give the bar instead."),
        _item("feasibility.features",
              "For structured data: are there features that plausibly predict the outcome, and are they known "
              "when the prediction is made?",
              "A model on a table learns only from columns that carry signal. A column filled in after the "
              "decision leaks the answer: the model looks good in tests and fails in use.",
              "The features you expect to matter, why, and a check that each is known at decision time.",
              required=False,
              loan_approval="Credit score, debt-to-income, income, late payments and employment are known when "
              "the application arrives and plausibly predict repayment. Sex and age must not drive the "
              "decision; they are kept for the fairness audit.",
              breast_cancer="The size, shape and texture measurements are taken before the report is written, "
              "and they describe what pathologists themselves look at."),
        _item("feasibility.history",
              "What is the history of progress on this problem: earlier systems, published results, quick trials?",
              "Steady past progress suggests more is possible; years without progress are a warning. Earlier "
              "results also give baselines to compare with.",
              "What has been tried, how well it worked, and what that suggests for this project.",
              required=False,
              loan_approval="The rule has been used for years; officers often overrule it, which suggests it "
              "rejects some good applicants.",
              digits="Reading handwritten digits is a well-studied task; simple models do well on clean images.",
              breast_cancer="The data is a standard teaching benchmark; simple linear models already do well, so "
              "a sound baseline is easy to get."),
    )),
    ChecklistStep("value", "Value", "Tie a business metric to an ML metric, and agree on both.", (
        _item("value.business_metric",
              "Which business metric will show the value?",
              "The business judges the project by its own numbers: time, cost, revenue, complaints. Naming it "
              "first makes the value measurable.",
              "A metric the owner already tracks, its level today and the change you expect.",
              required=True,
              loan_approval="Time to decision, today about three days; goal: same-day decisions for most "
              "applications, with approval rates for women and men no further apart than the four-fifths rule.",
              digits="Forms processed per clerk-hour, and the share of mistyped numbers.",
              breast_cancer="How long a malignant case waits before a pathologist reads it; goal: none waits "
              "behind routine benign cases."),
        _item("value.ml_metric",
              "Which ML metric will you optimise, and how does it relate to the business metric?",
              "Teams train on ML metrics but are judged on business results. Writing down the link shows where "
              "a better score might not help the business.",
              "The metric, why it fits the cost of each kind of error, and the number it must reach (set it "
              "in the Targets tab).",
              required=True,
              loan_approval="F1 on approvals, and recall for women of at least 0.8 so good applicants are not "
              "turned away because of their sex. A fast answer (p95 under 200 ms) so officers see it at once.",
              digits="Accuracy over the ten digits, and balanced accuracy so rare digits are not neglected.",
              breast_cancer="Recall on malignant cases first, since a missed cancer costs far more than an extra "
              "early look; then precision, so the front of the queue stays useful."),
        _item("value.agreement",
              "Have the technical and business sides agreed on these metrics and targets?",
              "A target only the data team believes in gets argued over after the model is built. Agreeing now "
              "turns the targets into a shared definition of done.",
              "Who agreed, when, and any point still open.",
              required=True,
              loan_approval="Agreed with the head of lending and with compliance; compliance wants the fairness "
              "check repeated before every release.",
              digits="Agreed with the team manager: the system types the digits it is sure about and hands the "
              "rest to clerks.",
              breast_cancer="Agreed with the head of pathology that the system only reorders the queue; the recall "
              "target comes from the pathologists."),
    )),
    ChecklistStep("ethics", "Ethics and risks", "Name who could be harmed and how the system could go wrong.", (
        _item("ethics.concerns",
              "Who could be harmed, and which groups could be treated unfairly?",
              "A model learns the patterns of past data, unfair ones included. Naming the groups now means "
              "they are checked on the fairness page before anything is released.",
              "The people affected, the groups to compare and the harm that would matter most.",
              required=True,
              loan_approval="Applicants wrongly rejected lose access to credit. Past decisions were harsher on "
              "women, so a model trained on them may repeat it; compare groups by sex, age band and region.",
              digits="Little harm per error, but a misread number can lead to a wrong bill; people with unusual "
              "handwriting may see more errors.",
              breast_cancer="A missed malignant case delays treatment. The data comes from one clinic and may not "
              "represent other patient groups."),
        _item("ethics.failure_modes",
              "How could the system go wrong once it is in use, and how would you notice?",
              "Data changes after launch: new customers, new forms, new rules. Failure modes listed now become "
              "the first alert rules on the monitoring page.",
              "Concrete ways it could fail, each with a signal that would reveal it.",
              required=True,
              loan_approval="Applicants change (incomes drift), the lending policy changes, the service slows "
              "down. Watch drift per input column, approval rate per group and p95 latency.",
              digits="A new scanner makes noisier or shifted images; watch the model's confidence and the share "
              "handed to clerks.",
              breast_cancer="A new lab instrument shifts the measurements; watch input drift and the share of "
              "cases flagged."),
    )),
    ChecklistStep("milestones", "Milestones and resources", "Plan the people, help, time and money it takes.", (
        _item("milestones.resources",
              "What data, people and help from other teams do you need?",
              "Most delays come from waiting: for data access, for labelers, for an engineer to deploy. "
              "Listing needs early lets you ask in time.",
              "Each need, who provides it and by when.",
              required=True,
              loan_approval="An extract from the lending system (IT, week 1); two officers for half a day to "
              "relabel disputed cases; an engineer from the platform team for the rollout.",
              digits="Three clerks for one to two days of labeling; scans from the forms archive.",
              breast_cancer="A pathologist for half a day to review doubtful labels; approval to use the data."),
        _item("milestones.timeline",
              "What are the milestones and the timeline?",
              "Milestones turn an open question into a plan that can be checked. Short iterations with a review "
              "after each keep the project on course.",
              "A few milestones, each with a date and what is delivered.",
              required=True,
              loan_approval="Week 2: baselines and a first model. Week 4: fairness audit. Week 6: shadow mode. "
              "Week 8: canary release.",
              digits="Week 1: a labeled batch and its agreement. Week 2: a first model. Week 3: shadow mode on "
              "incoming forms.",
              breast_cancer="Month 1: model and error analysis. Month 2: check on recent cases. Month 3: decision "
              "on use."),
        _item("milestones.budget",
              "What is the budget, in money and people's time?",
              "The budget caps how much labeling, computing and engineering you can buy, and tells you when "
              "to stop.",
              "An amount or a number of person-days, and what it covers. Plan the labeling days in the "
              "Effort plan tab.",
              required=False,
              loan_approval="Two data scientists for eight weeks and a small computing budget.",
              digits="Ten person-days, no extra spending.",
              breast_cancer="One data scientist for three months."),
    )),
    ChecklistStep("poc", "Proof of concept", "Decide whether a small trial should come first.", (
        _item("poc.decision",
              "Do you need a proof of concept first, and why?",
              "When nobody is sure it can work, a small, quick trial costs less than a full project. When "
              "feasibility is clear, a trial only delays.",
              "Yes or no, the open question a trial would answer, and how long it would take.",
              required=True,
              loan_approval="Yes: two weeks on last year's data, to see whether a model beats the rule without "
              "widening the gap between women and men.",
              digits="No: reading digits is known to work; we go straight to a first model.",
              breast_cancer="Yes: a short trial to confirm that malignant cases can be found reliably before "
              "involving clinicians."),
        _item("poc.result",
              "If you ran a proof of concept, what did it show?",
              "The result decides whether the project goes on, changes course or stops; writing it down keeps "
              "that decision honest.",
              "What was tried, the numbers reached against the targets, and the decision taken.",
              required=False),
    )),
)

ITEMS: dict[str, ChecklistItem] = {item.key: item for step in CHECKLIST for item in step.items}
STEP_OF_ITEM: dict[str, ChecklistStep] = {item.key: step for step in CHECKLIST for item in step.items}


@dataclass(frozen=True)
class WorkedExample:
    """A demo scenario's scoping: answers (with their status), targets and effort plan."""

    answers: Mapping[str, tuple[str, ItemStatus]]
    targets: tuple[str, ...]
    effort_days: Mapping[str, float]


def _worked_answers(scenario: str, *, not_applicable: Sequence[str] = ()) -> dict[str, tuple[str, ItemStatus]]:
    answers: dict[str, tuple[str, ItemStatus]] = {
        key: (item.examples[scenario], "done") for key, item in ITEMS.items() if scenario in item.examples
    }
    for key in not_applicable:
        answers[key] = ("", "not applicable")
    return answers


WORKED_EXAMPLES: dict[str, WorkedExample] = {
    "loan_approval": WorkedExample(
        _worked_answers("loan_approval"),
        ("f1 >= 0.8", "recall[sex=F] >= 0.8", "p95_latency_ms <= 200", "time to decision <= 1 days"),
        {"labeling": 1.0, "training": 3.0, "error_analysis": 2.0},
    ),
    "digits": WorkedExample(
        _worked_answers("digits", not_applicable=("feasibility.features", "poc.result")),
        ("accuracy >= 0.95", "balanced_accuracy >= 0.95", "p95_latency_ms <= 50"),
        {"labeling": 2.0, "training": 3.0, "error_analysis": 2.0},
    ),
    "breast_cancer": WorkedExample(
        _worked_answers("breast_cancer"),
        ("recall >= 0.95", "precision >= 0.9", "roc_auc >= 0.97"),
        {"labeling": 0.5, "training": 3.0, "error_analysis": 2.0},
    ),
}


def item(key: str) -> ChecklistItem:
    """Return the checklist item with this key; raise ValueError for an unknown key."""
    if key not in ITEMS:
        raise ValueError(UNKNOWN_ITEM.format(key=key))
    return ITEMS[key]


def check_status(key: str, status: str, answer: str) -> ItemStatus:
    """Return the status to store when the user sets it; raise ValueError when it is not allowed.

    Done needs an answer on a required item, and a required item is never "not applicable".
    """
    checked = item(key)
    if status not in ITEM_STATUSES:
        raise ValueError(UNKNOWN_STATUS.format(status=status))
    if checked.required and status == "done" and not answer.strip():
        raise ValueError(ANSWER_REQUIRED.format(question=checked.question))
    if checked.required and status == "not applicable":
        raise ValueError(REQUIRED_NOT_APPLICABLE.format(question=checked.question))
    return status


def check_answer(key: str, answer: str) -> str:
    """Return the answer to store (trailing space trimmed); raise ValueError when it is too long."""
    item(key)
    cleaned = (answer or "").rstrip()
    if len(cleaned) > MAX_ANSWER_LENGTH:
        raise ValueError(ANSWER_TOO_LONG)
    return cleaned


def status_after_edit(key: str, status: ItemStatus, answer: str) -> ItemStatus:
    """Return the status an item keeps after its answer changed: a required item emptied is to do again."""
    if status == "done" and item(key).required and not answer.strip():
        return "to do"
    return status


def example_for(key: str, scenario: str | None) -> tuple[str, str] | None:
    """Return (scenario, worked example answer) for teaching mode: the project's own scenario
    when it has one, else the first scenario that answers the item."""
    examples = item(key).examples
    if scenario in examples:
        return scenario, examples[scenario]
    return next(iter(examples.items()), None)


@dataclass(frozen=True)
class DataFacts:
    """What the feasibility step needs to know about one dataset version."""

    name: str
    version: int
    n_rows: int
    column_kinds: Mapping[str, str]
    target: str | None = None

    @property
    def is_small(self) -> bool:
        return size_class(self.n_rows) == "small"

    @property
    def is_structured(self) -> bool:
        return data_structure(self.column_kinds, target=self.target) == "structured"


def describe_data(datasets: Sequence[DataFacts]) -> str:
    """Return a sentence per dataset: rows, small or big, structured or unstructured, labeled or not."""
    return " ".join(_describe_one(facts) for facts in datasets)


def _describe_one(facts: DataFacts) -> str:
    size = "small" if facts.is_small else "big"
    structure = "structured" if facts.is_structured else "unstructured"
    labels = f"labels in column “{facts.target}”" if facts.target else "no target column chosen yet"
    return (f"{facts.name} v{facts.version}: {facts.n_rows:,} rows, {len(facts.column_kinds)} columns — "
            f"{size}, {structure} data; {labels}.")
