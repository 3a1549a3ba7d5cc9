import doctest

import pytest

from core.scoping import slices
from core.scoping.slices import (
    NOT_A_CATEGORY,
    UNKNOWN_SLICE_COLUMN,
    UNKNOWN_SLICE_VALUE,
    closest,
    slice_problem,
)

KINDS = {"sex": "categorical", "region": "categorical", "age": "numeric", "income": "numeric", "bio": "text"}
VALUES = {"sex": {"F", "M"}, "region": {"North", "South", "East", "West"}, "age": {"18–30", "31–45", "46–70"}}


def problem(slice):
    return slice_problem(slice, kinds=KINDS, values=VALUES.get(slice.partition("=")[0], set()))


@pytest.mark.parametrize("slice, expected", [
    ("gender=F", UNKNOWN_SLICE_COLUMN.format(column="gender", hint="", names="age, bio, income, region, sex")),
    ("Region=North", UNKNOWN_SLICE_COLUMN.format(column="Region", hint=" (did you mean “region”?)",
                                                 names="age, bio, income, region, sex")),
    ("sex=X", UNKNOWN_SLICE_VALUE.format(column="sex", value="X", hint="", names="F, M")),
    ("region=north", UNKNOWN_SLICE_VALUE.format(column="region", value="north", hint=" (did you mean “North”?)",
                                                names="East, North, South, West")),
    ("region=Nort", UNKNOWN_SLICE_VALUE.format(column="region", value="Nort", hint=" (did you mean “North”?)",
                                               names="East, North, South, West")),
    ("age=30", UNKNOWN_SLICE_VALUE.format(column="age", value="30", hint=" (did you mean “18–30”?)",
                                          names="18–30, 31–45, 46–70")),
    ("bio=short", NOT_A_CATEGORY.format(column="bio", kind="text", names="age, income, region, sex")),
])
def test_a_slice_the_data_does_not_hold_is_named_with_the_closest_choice(slice, expected):
    assert problem(slice) == expected


def test_a_slice_the_data_holds_has_no_problem():
    assert problem("sex=F") is None and problem("region=North") is None and problem("age=31–45") is None


def test_case_wins_over_spelling_and_nothing_close_gives_no_suggestion():
    # "sOuth" differs from "South" only by case, though "Soutn" would be a closer spelling of it.
    assert closest("sOuth", ["Soutn", "South"]) == "South"
    assert closest("zebra", ["North", "South"]) is None


def test_long_lists_are_cut_with_a_count_and_data_without_categories_says_so():
    kinds = {f"c{i:02d}": "categorical" for i in range(20)}
    assert slice_problem("zz=1", kinds=kinds, values=set()).endswith("c11 and 8 more.")
    only_text = slice_problem("bio=3", kinds={"bio": "text"}, values={"3"})
    assert only_text == NOT_A_CATEGORY.format(column="bio", kind="text", names="none in this data")


def test_docstring_examples_hold():
    assert doctest.testmod(slices).failed == 0
