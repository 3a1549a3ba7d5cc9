import doctest
import math

import pytest

from core.scoping import effort
from core.scoping.effort import (
    BALANCED,
    DAYS_NOT_NUMBER,
    DAYS_OUT_OF_RANGE,
    LABELING_LIGHT,
    LABELING_ONLY,
    MAX_DAYS,
    NO_PLAN,
    EffortPlan,
    check_effort,
    checked_days,
)


def test_docstring_examples_hold():
    assert doctest.testmod(effort).failed == 0


@pytest.mark.parametrize("labeling, level", [
    (0.0, "balanced"), (1.0, "balanced"), (2.0, "balanced"),   # the course's 1-2 days, limit included
    (2.01, "labeling heavy"), (5.0, "labeling heavy"),
])
def test_rule_of_thumb_for_three_days_training_and_two_of_error_analysis(labeling, level):
    checked = check_effort(EffortPlan(labeling, 3.0, 2.0))
    assert checked.level == level
    assert checked.suggested_labeling_days == (1.0, 2.0)
    assert checked.labeling_share == pytest.approx(labeling / (labeling + 5.0))


def test_the_limit_scales_with_training_and_error_analysis():
    assert check_effort(EffortPlan(4.0, 6.0, 4.0)).level == "balanced"
    assert check_effort(EffortPlan(4.5, 6.0, 4.0)).level == "labeling heavy"
    assert check_effort(EffortPlan(0.6, 1.0, 0.5)).level == "balanced"
    assert check_effort(EffortPlan(0.7, 1.0, 0.5)).level == "labeling heavy"


def test_heavy_labeling_message_names_share_and_suggestion():
    checked = check_effort(EffortPlan(5.0, 3.0, 2.0))
    assert "50% of the planned days (5 of 10)" in checked.message
    assert "about 1–2 labeling days" in checked.message


def test_light_labeling_is_remarked_on_but_not_warned_about():
    light = check_effort(EffortPlan(0.5, 3.0, 2.0))
    assert light.level == "balanced"
    assert light.message == LABELING_LIGHT.format(share=0.5 / 5.5, low=1.0, high=2.0, rest=5.0)
    assert check_effort(EffortPlan(1.0, 3.0, 2.0)).message == BALANCED.format(share=1 / 6, low=1.0, high=2.0, rest=5.0)


def test_no_plan_and_labeling_only():
    assert check_effort(EffortPlan()) == effort.EffortCheck("no plan", NO_PLAN, None, None)
    only = check_effort(EffortPlan(labeling_days=2.0))
    assert only.level == "labeling heavy" and only.labeling_share == 1.0
    assert only.message == LABELING_ONLY.format(labeling=2.0)


def test_plan_totals_and_days_by_activity():
    plan = EffortPlan(1.5, 3.0, 2.0)
    assert plan.total_days == 6.5 and plan.modeling_days == 5.0
    assert [plan.days(a) for a in ("labeling", "training", "error_analysis")] == [1.5, 3.0, 2.0]


@pytest.mark.parametrize("days, message", [
    (-1, DAYS_OUT_OF_RANGE.format(label="Labeling", max_days=MAX_DAYS, days="-1")),
    (366, DAYS_OUT_OF_RANGE.format(label="Labeling", max_days=MAX_DAYS, days="366")),
    (math.inf, DAYS_OUT_OF_RANGE.format(label="Labeling", max_days=MAX_DAYS, days="inf")),
    ("two", DAYS_NOT_NUMBER.format(label="Labeling")),
])
def test_days_outside_the_range_are_refused(days, message):
    with pytest.raises(ValueError) as refused:
        checked_days("labeling", days)
    assert str(refused.value) == message


def test_days_at_the_bounds_are_accepted():
    assert checked_days("training", 0) == 0.0 and checked_days("training", "365") == 365.0
