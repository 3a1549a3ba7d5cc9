"""The effort plan made at scoping: days for labeling, training and error analysis.

The rule of thumb it checks: with about 3 days of training and 2 of error analysis, about
1 to 2 days of labeling keep the project balanced. Labeling is cheap to start and costly
to scale, so more than 2 labeling days per 5 days of training and error analysis is worth
a second look: label part of the data, train, study the errors, then label where it helps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Activity = Literal["labeling", "training", "error_analysis"]
# "balanced" covers light labeling too: fewer labeling days only warrant a remark, not a warning.
EffortLevel = Literal["no plan", "balanced", "labeling heavy"]
ACTIVITY_LABELS: dict[Activity, str] = {
    "labeling": "Labeling", "training": "Training", "error_analysis": "Error analysis",
}
MAX_DAYS = 365.0
# Labeling days per day of training plus error analysis: 1-2 days for 3 + 2 days.
LABELING_RATIO_LOW = 1 / 5
LABELING_RATIO_HIGH = 2 / 5

DAYS_OUT_OF_RANGE = "{label} days must be between 0 and {max_days:g}; {days} is not possible."
DAYS_NOT_NUMBER = "{label} days must be a number of days, such as 1.5."
NO_PLAN = "No effort is planned yet. Give the days you expect to spend on labeling, training and error analysis."
BALANCED = (
    "Labeling takes {share:.0%} of the planned days, within the rule of thumb of about "
    "{low:g}–{high:g} labeling days for {rest:g} days of training and error analysis."
)
LABELING_LIGHT = (
    "Labeling takes {share:.0%} of the planned days, less than the rule of thumb of about {low:g}–{high:g} "
    "labeling days for {rest:g} days of training and error analysis. Fine when the data comes labeled; "
    "otherwise plan more time for labels."
)
LABELING_HEAVY = (
    "Labeling takes {share:.0%} of the planned days ({labeling:g} of {total:g}). The rule of thumb "
    "for {rest:g} days of training and error analysis is about {low:g}–{high:g} labeling days. "
    "Label a first part, train, study the errors, and label more where they show it helps."
)
LABELING_ONLY = (
    "Only labeling is planned ({labeling:g} days), with no days for training or error analysis. "
    "Plan those too: labels are worth most when a model and its errors tell you which ones to add."
)


@dataclass(frozen=True)
class EffortPlan:
    """Planned days per activity."""

    labeling_days: float = 0.0
    training_days: float = 0.0
    error_analysis_days: float = 0.0

    @property
    def total_days(self) -> float:
        return self.labeling_days + self.training_days + self.error_analysis_days

    @property
    def modeling_days(self) -> float:
        """Return the days of training and error analysis, the base the rule of thumb scales with."""
        return self.training_days + self.error_analysis_days

    def days(self, activity: Activity) -> float:
        return getattr(self, f"{activity}_days")


@dataclass(frozen=True)
class EffortCheck:
    """What the rule of thumb says about a plan."""

    level: EffortLevel
    message: str
    labeling_share: float | None
    suggested_labeling_days: tuple[float, float] | None


def checked_days(activity: Activity, days: float) -> float:
    """Return the days as a float; raise ValueError when they are not a number in 0..MAX_DAYS."""
    label = ACTIVITY_LABELS[activity]
    try:
        number = float(days)
    except (TypeError, ValueError):
        raise ValueError(DAYS_NOT_NUMBER.format(label=label)) from None
    if not math.isfinite(number) or not 0.0 <= number <= MAX_DAYS:
        raise ValueError(DAYS_OUT_OF_RANGE.format(label=label, max_days=MAX_DAYS, days=f"{number:g}"))
    return number


def check_effort(plan: EffortPlan) -> EffortCheck:
    """Return the level of the plan (no plan, balanced, labeling heavy) and a message saying why.

    >>> check_effort(EffortPlan(2, 3, 2)).level, check_effort(EffortPlan(2.5, 3, 2)).level
    ('balanced', 'labeling heavy')
    """
    if plan.total_days == 0:
        return EffortCheck("no plan", NO_PLAN, None, None)
    share = plan.labeling_days / plan.total_days
    rest = plan.modeling_days
    if rest == 0:
        return EffortCheck("labeling heavy", LABELING_ONLY.format(labeling=plan.labeling_days), share, None)
    low, high = round(rest * LABELING_RATIO_LOW, 1), round(rest * LABELING_RATIO_HIGH, 1)
    # Compared unrounded, so a plan exactly at the limit (2 days for 3 + 2) stays balanced.
    if plan.labeling_days > rest * LABELING_RATIO_HIGH * (1 + 1e-9):
        message = LABELING_HEAVY.format(share=share, labeling=plan.labeling_days, total=plan.total_days,
                                        rest=rest, low=low, high=high)
        return EffortCheck("labeling heavy", message, share, (low, high))
    below = plan.labeling_days < rest * LABELING_RATIO_LOW * (1 - 1e-9)
    message = (LABELING_LIGHT if below else BALANCED).format(share=share, low=low, high=high, rest=rest)
    return EffortCheck("balanced", message, share, (low, high))
