"""Workshop packs: a demo-scenario project carried up to a stage, so a class starts there.

A pack is named by the stage the learner starts at. It holds the work of every earlier step and
nothing of its own stage: the "error analysis" pack has a champion but no tags, slices or audit.
The steps run in lifecycle order; which ones a scenario can take is decided here, the storage
layer carries them out (`storage.packs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

PackStep = Literal["scoping", "data", "labeling", "baselines", "experiments", "errors", "fairness", "deployment"]
PackStage = Literal[PackStep, "monitoring"]
PACK_SCENARIOS = ("loan_approval", "digits", "breast_cancer")

# A fairness audit needs two classes and sensitive columns: of the scenarios only loan_approval has
# them (a test checks this against the generated scenarios).
AUDITABLE_SCENARIOS = frozenset({"loan_approval"})
# Rows generated for a pack: loan_approval's default 20,000 makes a class wait for training and the
# replay; 5,000 keep every slice and the planted bias visible. The others are fixed-size data sets.
PACK_ROWS = {"loan_approval": 5_000}

UNKNOWN_SCENARIO = "“{scenario}” has no workshop packs; choose one of: {names}."
UNKNOWN_STAGE = "“{stage}” is not a stage a pack can start at; choose one of: {names}."
NOT_AUDITABLE = (
    "The {scenario} scenario has no sensitive columns (or more than two classes), so it has no fairness stage. "
    "Choose loan_approval for a fairness workshop, or another stage."
)

STEP_DONE: dict[PackStep, str] = {
    "scoping": "scoping answered (the scenario's worked example: checklist, targets, effort plan)",
    "data": "the data split into train, dev and test",
    "labeling": "a batch of 100 items labelled by the three simulated labelers, half of them twice",
    "baselines": "baselines computed (dummies, a simple model, human-level performance{legacy})",
    "experiments": "two models trained and the better one promoted to champion",
    "errors": "the champion's top-priority slices saved and its most confident mistakes tagged",
    "fairness": "a fairness audit of the champion saved, not signed off",
    "deployment": "a shadow deployment of the champion replayed",
}


@dataclass(frozen=True)
class PackStart:
    """The stage a pack starts at: the page the learner lands on and the work that is theirs."""

    stage: PackStage
    page: str
    learner: str


PACK_STARTS: dict[PackStage, PackStart] = {start.stage: start for start in (
    PackStart("scoping", "Scoping", "answer the scoping checklist and set the targets the model must meet"),
    PackStart("data", "Datasets", "check the column roles and split the data"),
    PackStart("labeling", "Labeling", "plan a batch, label it, and measure how well the labelers agree"),
    PackStart("baselines", "Baselines", "compute the baselines and measure human-level performance"),
    PackStart("experiments", "Experiments", "train models, compare them and promote a champion through the gate"),
    PackStart("errors", "Error analysis", "browse and tag the champion's errors, prioritise slices, iterate"),
    PackStart("fairness", "Fairness audit", "audit the champion group by group, mitigate, and sign off"),
    PackStart("deployment", "Deployment", "plan and replay a rollout of the champion"),
    PackStart("monitoring", "Monitoring", "watch the deployment's windows, drift and alerts"),
)}


@dataclass(frozen=True)
class Pack:
    """A scenario carried up to a stage: the steps already done, in order."""

    scenario: str
    start: PackStart
    steps: tuple[PackStep, ...]

    def summary(self) -> str:
        """Return one line: what is already done and what the learner does next."""
        legacy = ", the legacy rule" if self.scenario == "loan_approval" else ""
        done = [STEP_DONE[step].format(legacy=legacy) for step in self.steps]
        already = "; ".join(done) if done else "nothing yet beyond the generated data"
        return f"Done: {already}. Next, the learner will {self.start.learner}."


def scenario_steps(scenario: str) -> tuple[PackStep, ...]:
    """Return the steps the scenario can take, in lifecycle order."""
    _check_scenario(scenario)
    return tuple(step for step in get_args(PackStep) if step != "fairness" or scenario in AUDITABLE_SCENARIOS)


def pack_stages(scenario: str) -> tuple[PackStage, ...]:
    """Return the stages the scenario's packs start at, in lifecycle order."""
    return (*scenario_steps(scenario), "monitoring")


def plan_pack(scenario: str, stage: str) -> Pack:
    """Return the pack of a scenario that starts at the stage; raise ValueError naming a bad choice."""
    if stage not in PACK_STARTS:
        raise ValueError(UNKNOWN_STAGE.format(stage=stage, names=", ".join(PACK_STARTS)))
    stages = pack_stages(scenario)
    if stage not in stages:
        raise ValueError(NOT_AUDITABLE.format(scenario=scenario))
    steps = scenario_steps(scenario)
    return Pack(scenario, PACK_STARTS[stage], steps[: stages.index(stage)])


def _check_scenario(scenario: str) -> None:
    if scenario not in PACK_SCENARIOS:
        raise ValueError(UNKNOWN_SCENARIO.format(scenario=scenario, names=", ".join(PACK_SCENARIOS)))
