"""Deployment plans: the case being deployed, the path it recommends, the ramp and the analysis settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, get_args

Case = Literal["new_capability", "replacing", "assisting"]
Mode = Literal["shadow", "canary", "blue_green"]
DEFAULT_RAMP = (10, 25, 50, 100)
SMALL_FIRST_STEP_RAMP = (5, 25, 50, 100)

CASE_LABELS: dict[Case, str] = {
    "new_capability": "A new product or capability",
    "replacing": "A new system replacing an old one",
    "assisting": "Automating or assisting a manual task",
}
MODE_LABELS: dict[Mode, str] = {"shadow": "Shadow", "canary": "Canary", "blue_green": "Blue-green"}


@dataclass(frozen=True)
class PathStep:
    """One step of a recommended path and why it comes there."""

    mode: str
    why: str


# Each case's recommended path, first step preselected; every step explained in one sentence.
RECOMMENDED_PATHS: dict[Case, tuple[PathStep, ...]] = {
    "new_capability": (
        PathStep("canary", "Nothing runs today, so a canary with a small first step (5%) limits how many users "
                           "meet a new failure before the analysis can stop it."),
    ),
    "replacing": (
        PathStep("shadow", "The new system first answers every request unseen beside the old one, so you learn "
                           "where they disagree before anyone is affected."),
        PathStep("canary", "Then it takes a growing share of real traffic, rolled back automatically if its error "
                           "rate or latency slips past the old system's."),
        PathStep("blue_green", "Or, where both cannot serve at once, it takes all traffic in one switch with the old "
                               "system kept warm for an instant rollback."),
    ),
    "assisting": (
        PathStep("shadow", "The model first predicts beside the people doing the task, so its agreement with them is "
                           "measured before it influences a decision."),
        PathStep("ai_assistance", "Then people see its suggestion and still decide, which keeps a person on every "
                                  "case while the model earns trust."),
        PathStep("partial_automation", "Then it decides the cases it is confident about and sends the rest to a "
                                       "person, at the threshold the cost chart picks."),
    ),
}

UNKNOWN_CASE = "“{case}” is not a deployment case; choose new_capability, replacing or assisting."
UNKNOWN_MODE = "“{mode}” is not a rollout mode; choose shadow, canary or blue_green."
RAMP_EMPTY = "The ramp plan has no steps. Give shares in percent, for example 10, 25, 50, 100."
RAMP_NOT_INCREASING = "The ramp plan must increase step by step; {before}% is followed by {after}%. Order the shares."
RAMP_NOT_NUMBER = "“{value}” in the ramp plan is not a number. Write shares in percent, for example 10, 25, 50, 100."
RAMP_OUT_OF_RANGE = "Every ramp step is a share of traffic from 1 to 100%; {value}% is not."
RAMP_NOT_FULL = "The ramp plan ends at {value}%, so the challenger would never take all traffic. End it at 100%."
BAD_STEP_REQUESTS = "Each step needs between {low} and {high:,} requests; {value} is not possible."
BAD_MARGIN = "The error-rate margin must be between 0 and 0.5; {value} is not."
BAD_MIN_LABELS = "An analysis needs between 10 and 100,000 labelled requests; {value} is not possible."
BAD_DELAY = "The label delay must be between 0 and 8,760 hours (a year); {value} is not."
BAD_BATCH = "A batch holds between 1 and 10,000 requests; {value} is not possible."


def recommended_path(case: Case) -> tuple[PathStep, ...]:
    """Return the path a case recommends; its first step is the mode to preselect."""
    if case not in get_args(Case):
        raise ValueError(UNKNOWN_CASE.format(case=case))
    return RECOMMENDED_PATHS[case]


def recommended_mode(case: Case) -> Mode:
    """Return the rollout mode to preselect for a case (its path's first rollout step)."""
    return next(step.mode for step in recommended_path(case) if step.mode in get_args(Mode))


def recommended_ramp(case: Case) -> tuple[int, ...]:
    return SMALL_FIRST_STEP_RAMP if case == "new_capability" else DEFAULT_RAMP


def parse_ramp(text: str) -> tuple[int, ...]:
    """Return the ramp shares written as "10, 25, 50, 100"; raise ValueError naming a bad one."""
    parts = [p.strip().rstrip("%") for p in text.replace(";", ",").replace("→", ",").split(",") if p.strip()]
    for part in parts:
        if not part.replace(".", "", 1).isdigit():
            raise ValueError(RAMP_NOT_NUMBER.format(value=part))
    return check_ramp(tuple(int(float(p)) for p in parts))


def check_ramp(shares: tuple[int, ...]) -> tuple[int, ...]:
    """Return the shares when they rise strictly from 1 to 100%; else raise ValueError naming the problem."""
    if not shares:
        raise ValueError(RAMP_EMPTY)
    for value in shares:
        if not 1 <= value <= 100:
            raise ValueError(RAMP_OUT_OF_RANGE.format(value=value))
    for before, after in zip(shares, shares[1:]):
        if after <= before:
            raise ValueError(RAMP_NOT_INCREASING.format(before=before, after=after))
    if shares[-1] != 100:
        raise ValueError(RAMP_NOT_FULL.format(value=shares[-1]))
    return tuple(shares)


@dataclass(frozen=True)
class RolloutSettings:
    """How a replay runs: mode, ramp, requests per step, the analysis' margin and minimum labels, delays."""

    mode: Mode = "canary"
    ramp: tuple[int, ...] = DEFAULT_RAMP
    step_requests: int = 2_000
    margin: float = 0.02
    min_labels: int = 50
    label_delay_hours: float = 24.0
    batch_size: int = 100
    check_requests: int = 2_000
    seed: int = 0
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**asdict(self), "ramp": list(self.ramp)}

    @classmethod
    def from_dict(cls, data: dict) -> RolloutSettings:
        return cls(**{**data, "ramp": tuple(data.get("ramp", DEFAULT_RAMP))})


def check_settings(settings: RolloutSettings) -> RolloutSettings:
    """Return the settings when every value is in range; raise ValueError naming the first that is not."""
    if settings.mode not in get_args(Mode):
        raise ValueError(UNKNOWN_MODE.format(mode=settings.mode))
    if settings.mode == "canary":
        check_ramp(settings.ramp)
    _in_range(settings.step_requests, 10, 1_000_000, BAD_STEP_REQUESTS)
    _in_range(settings.check_requests, 10, 1_000_000, BAD_STEP_REQUESTS)
    _in_range(settings.margin, 0.0, 0.5, BAD_MARGIN)
    _in_range(settings.min_labels, 10, 100_000, BAD_MIN_LABELS)
    _in_range(settings.label_delay_hours, 0.0, 8_760.0, BAD_DELAY)
    _in_range(settings.batch_size, 1, 10_000, BAD_BATCH)
    return settings


def _in_range(value: float, low: float, high: float, message: str) -> None:
    if not low <= value <= high:
        raise ValueError(message.format(value=value, low=low, high=high))
