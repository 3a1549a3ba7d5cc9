"""How complete a project's scoping is, whether data work can start, and the Markdown document.

Completeness is the share of checklist items settled: done, or marked not applicable.
The project is ready for data work when every required item is done and at least one ML
target is set, since the ML targets are what training and the promotion gate check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from core.markdown_text import plain, plain_inline
from core.scoping.checklist import CHECKLIST, ITEMS, ChecklistStep, ItemStatus
from core.scoping.effort import ACTIVITY_LABELS, EffortPlan, check_effort
from core.project.progress import STATUS_MARKS, Status
from core.scoping.targets import KIND_LABELS, target_text

Verdict = Literal["ready", "not ready"]
NO_ML_TARGET = "No ML target is set yet: add one in the Targets tab (for example f1 >= 0.8)."
OPEN_ITEM = "{step}: {question}"
READY = "Ready for data work: every required item is done and ML targets are set."
NOT_READY = "Not ready for data work yet. Still open:"


class AnswerLike(Protocol):
    value: str
    status: str


class KindedTarget(Protocol):
    kind: str
    metric: str
    slice: str
    comparator: str
    value: float
    unit: str


@dataclass(frozen=True)
class Readiness:
    settled: int
    total: int
    verdict: Verdict
    open_points: tuple[str, ...]

    @property
    def score(self) -> float:
        """Return the share of checklist items settled (done or not applicable), 0 to 1."""
        return self.settled / self.total if self.total else 0.0

    @property
    def message(self) -> str:
        return READY if self.verdict == "ready" else NOT_READY


def status_of(answers: Mapping[str, AnswerLike], key: str) -> ItemStatus:
    answer = answers.get(key)
    return answer.status if answer is not None else "to do"  # type: ignore[return-value]


def scoping_readiness(answers: Mapping[str, AnswerLike], targets: Iterable[KindedTarget]) -> Readiness:
    """Return the completeness score and the verdict, with what is still open before data work.

    >>> scoping_readiness({}, []).verdict, scoping_readiness({}, []).score
    ('not ready', 0.0)
    """
    settled = sum(status_of(answers, key) != "to do" for key in ITEMS)
    open_points = [
        OPEN_ITEM.format(step=step.title, question=item.question)
        for step in CHECKLIST for item in step.items
        if item.required and status_of(answers, item.key) != "done"
    ]
    if not any(target.kind == "ml" for target in targets):
        open_points.append(NO_ML_TARGET)
    verdict: Verdict = "not ready" if open_points else "ready"
    return Readiness(settled, len(ITEMS), verdict, tuple(open_points))


def answer_text(answers: Mapping[str, AnswerLike], key: str) -> str:
    answer = answers.get(key)
    return answer.value if answer is not None else ""


def step_status(step: ChecklistStep, answers: Mapping[str, AnswerLike]) -> Status:
    """Return done when every item of the step is settled, partly when some work began."""
    statuses = [status_of(answers, item.key) for item in step.items]
    if all(s != "to do" for s in statuses):
        return "done"
    begun = any(s != "to do" for s in statuses) or any(answer_text(answers, i.key).strip() for i in step.items)
    return "partly" if begun else "not started"


def step_label(index: int, step: ChecklistStep, answers: Mapping[str, AnswerLike]) -> str:
    """Return the step's name for the jump list, e.g. ``● 1. Business problem``."""
    return f"{STATUS_MARKS[step_status(step, answers)]} {index + 1}. {step.title}"


def scoping_markdown(
    *, project_name: str, answers: Mapping[str, AnswerLike], targets: Sequence[KindedTarget],
    effort: EffortPlan | None,
) -> str:
    """Return the scoping document as Markdown: verdict, every step's answers, targets, effort plan."""
    readiness = scoping_readiness(answers, targets)
    lines = [f"# Scoping: {plain_inline(project_name)}", "",
             f"**Completeness:** {readiness.settled} of {readiness.total} items settled ({readiness.score:.0%}).  ",
             f"**Verdict:** {readiness.message}"]
    lines += [f"- {point}" for point in readiness.open_points]
    for number, step in enumerate(CHECKLIST, start=1):
        lines += ["", f"## {number}. {step.title}"]
        for item in step.items:
            text = answer_text(answers, item.key)
            required = ", required" if item.required else ""
            lines += ["", f"**{item.question}** _({status_of(answers, item.key)}{required})_", "",
                      _quoted(text) if text.strip() else "_No answer yet._"]
    lines += ["", "## Targets", ""] + _targets_table(targets)
    lines += ["", "## Effort plan", ""] + _effort_lines(effort)
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # Quoting keeps the answer's lines together; escaping shows its Markdown (images, links, raw
    # HTML, headings) as the typed text, so a viewer of the file fetches or runs nothing.
    return "\n".join(f"> {plain(line)}" if line.strip() else ">" for line in text.strip().splitlines())


def _targets_table(targets: Sequence[KindedTarget]) -> list[str]:
    if not targets:
        return ["_No targets set._"]
    rows = ["| Kind | Target |", "| --- | --- |"]
    return rows + [f"| {KIND_LABELS.get(t.kind, t.kind)} | {plain_inline(target_text(t))} |" for t in targets]


def _effort_lines(effort: EffortPlan | None) -> list[str]:
    if effort is None or effort.total_days == 0:
        return ["_No effort plan yet._"]
    days = [f"- {label}: {effort.days(activity):g} days" for activity, label in ACTIVITY_LABELS.items()]
    return days + ["", check_effort(effort).message]
