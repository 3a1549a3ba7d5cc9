"""Where a project stands in the lifecycle, computed from what it has stored.

Each stage has a rule over `facts`: a mapping from a fact name (mostly a table name) to how
many rows the project has there. Facts a project has none of are simply absent, so a stage
whose tables do not exist yet reads as not started.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

StageName = Literal["Scope", "Data", "Model", "Deploy", "Review"]
Status = Literal["done", "partly", "not started"]
STATUS_MARKS: dict[Status, str] = {"done": "●", "partly": "◐", "not started": "○"}


@dataclass(frozen=True)
class StageStatus:
    stage: StageName
    status: Status
    detail: str

    @property
    def mark(self) -> str:
        return STATUS_MARKS[self.status]


Facts = Mapping[str, int]
StageRule = Callable[[Facts], tuple[Status, str]]


def _scope(facts: Facts) -> tuple[Status, str]:
    if facts.get("scope_ready"):
        return "done", "Every required checklist item is done and an ML target is set."
    if facts.get("target") or facts.get("scope_answer"):
        return "partly", "Scoping has begun; finish the checklist and set targets."
    return "not started", "State the problem, its value and the targets the model must meet."


def _data(facts: Facts) -> tuple[Status, str]:
    if not facts.get("dataset"):
        return "not started", "Add a dataset: upload a file or generate a demo scenario."
    if not facts.get("dataset_with_target"):
        return "partly", "Choose the target column of the dataset."
    if not facts.get("split"):
        return "partly", "Split the data into train, dev and test sets."
    return "done", "A dataset with a target and train/dev/test splits is ready."


def _model(facts: Facts) -> tuple[Status, str]:
    if facts.get("champion"):
        return "done", "A champion model is registered."
    if facts.get("tag") or facts.get("slice_definition"):
        return "partly", "Errors are being analysed; act on the top slices and promote a champion."
    if facts.get("run"):
        return "partly", "Runs are trained; analyse their errors and promote a champion."
    if facts.get("label") or facts.get("baseline") or facts.get("registry_alias"):
        return "partly", "Work is under way; train models and promote a champion."
    return "not started", "Label data, set baselines and train a first model."


def _deploy(facts: Facts) -> tuple[Status, str]:
    if facts.get("monitor_window"):
        return "done", "A deployment is running and being monitored."
    if facts.get("deployment"):
        return "partly", "A rollout is planned; replay it and watch the monitoring."
    return "not started", "Plan a shadow or canary rollout of the champion."


def _review(facts: Facts) -> tuple[Status, str]:
    if facts.get("signed_audit"):
        return "done", "The audit is signed off."
    if facts.get("audit"):
        return "partly", "An audit exists and waits for sign-off."
    return "not started", "Audit fairness and have the product owner sign off."


STAGE_RULES: dict[StageName, StageRule] = {
    "Scope": _scope, "Data": _data, "Model": _model, "Deploy": _deploy, "Review": _review,
}


def stage_progress(facts: Facts) -> tuple[StageStatus, ...]:
    """Return the status of every stage, in lifecycle order."""
    return tuple(StageStatus(stage, *rule(facts)) for stage, rule in STAGE_RULES.items())


@dataclass(frozen=True)
class FollowUp:
    """Work a done stage still invites: a champion's errors to analyse, its fairness to audit."""

    stage: StageName
    page: str  # the page's label, as the sidebar shows it
    detail: str
    pending: Callable[[Facts], bool]


# A champion marks the Model stage done, yet error analysis and the fairness audit (Model-stage
# pages) are still to come: without these the home page skipped straight past them.
FOLLOW_UPS: tuple[FollowUp, ...] = (
    FollowUp("Model", "Error analysis", "A champion is registered: find where it errs, slice by slice, against the "
             "baseline.", lambda f: not (f.get("tag") or f.get("slice_definition"))),
    FollowUp("Model", "Fairness audit", "Audit the champion's decisions group by group and have the product owner "
             "sign off.", lambda f: not f.get("signed_audit")),
)


@dataclass(frozen=True)
class NextStep:
    """What to do next: the stage, why, and the pages to open (all the stage's pages when empty)."""

    stage: StageName
    detail: str
    pages: tuple[str, ...] = ()


def next_step(stages: tuple[StageStatus, ...], *, available: set[str], facts: Facts | None = None) -> NextStep | None:
    """Return the first unfinished stage that has a page in `available`, or a done stage's pending follow-up."""
    for stage in stages:
        if stage.stage not in available:
            continue
        if stage.status != "done":
            return NextStep(stage.stage, stage.detail)
        follow = next((f for f in FOLLOW_UPS if f.stage == stage.stage and f.pending(facts or {})), None)
        if follow is not None:
            return NextStep(stage.stage, follow.detail, (follow.page,))
    return None
