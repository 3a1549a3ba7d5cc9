"""Class display names: shown in place of values, checked before they are kept."""

import pandas as pd
import pytest

from core.labeling.classes import (
    DUPLICATE_NAME, EMPTY_NAME, LOOKS_LIKE_A_CLASS, NOT_A_CLASS, ClassNameError, ClassNames, check_class_names,
)

LOAN = ClassNames({"0": "rejected", "1": "approved"})


def test_a_value_shows_its_name_and_an_unnamed_value_shows_itself():
    assert LOAN.show(1) == "approved" and LOAN.show("0") == "rejected"
    assert LOAN.show("unclear") == "unclear" and ClassNames().show(7) == "7"
    assert LOAN.show_all([1, 0, 1]) == ["approved", "rejected", "approved"]


def test_relabel_names_index_columns_and_value_columns_and_leaves_the_input_alone():
    confusion = pd.DataFrame([[5, 1], [2, 7]], index=pd.Index(["0", "1"], name="true"), columns=["0", "1"])
    shown = LOAN.relabel(confusion, index=True, columns=True)
    assert list(shown.index) == ["rejected", "approved"] and list(shown.columns) == ["rejected", "approved"]
    assert shown.index.name == "true" and shown.to_numpy().tolist() == [[5, 1], [2, 7]]
    assert list(confusion.index) == ["0", "1"]  # the stored values are untouched
    rows = pd.DataFrame({"label": ["1", None, "0"], "n": [1, 2, 3]})
    shown = LOAN.relabel(rows, values=["label", "absent"])["label"]
    assert shown[[0, 2]].tolist() == ["approved", "rejected"] and pd.isna(shown[1])


def test_names_are_trimmed_and_keyed_by_the_value_as_text():
    assert check_class_names({0: "  rejected ", "1": "approved"}, [0, 1]) == {"0": "rejected", "1": "approved"}


@pytest.mark.parametrize(("names", "message"), [
    ({"0": "", "1": "approved"}, EMPTY_NAME.format(value="0")),
    ({"0": "   ", "1": "approved"}, EMPTY_NAME.format(value="0")),
    ({"0": "yes", "1": "Yes"}, DUPLICATE_NAME.format(values="0 and 1", name="yes")),
    ({"2": "maybe"}, NOT_A_CLASS.format(value="2", classes="0, 1")),
    ({"0": "1", "1": "approved"}, LOOKS_LIKE_A_CLASS.format(name="1")),
])
def test_bad_names_are_refused_with_a_message_naming_the_problem(names, message):
    with pytest.raises(ClassNameError) as refused:
        check_class_names(names, ["0", "1"])
    assert str(refused.value) == message


def test_a_name_longer_than_forty_characters_is_refused():
    with pytest.raises(ClassNameError, match="longer than 40 characters"):
        check_class_names({"0": "x" * 41}, ["0", "1"])


def test_a_class_may_keep_its_own_value_as_its_name():
    assert check_class_names({"0": "0", "1": "approved"}, ["0", "1"]) == {"0": "0", "1": "approved"}
