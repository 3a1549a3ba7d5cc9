import string

import pytest

from core.labeling.shortcuts import SKIP_KEY, UNCLEAR_KEY, UNDO_KEY, class_shortcuts


def test_digit_classes_get_their_own_digit():
    digits = [str(d) for d in range(10)]
    assert class_shortcuts(digits) == {d: d for d in digits}


def test_named_classes_get_their_first_free_letter():
    assert class_shortcuts(["approved", "rejected"]) == {"approved": "A", "rejected": "E"}  # R is Streamlit's
    assert class_shortcuts(["benign", "malignant"]) == {"benign": "B", "malignant": "M"}
    assert class_shortcuts(["spam", "scam", "ham"]) == {"spam": "S", "scam": "A", "ham": "H"}


def test_names_without_a_usable_character_take_a_free_digit():
    assert class_shortcuts(["é", "—", "1"]) == {"é": "1", "—": "2", "1": "3"}


@pytest.mark.parametrize("count", [2, 12, 40])
def test_keys_are_distinct_usable_and_run_out_only_past_34(count):
    classes = [f"class {n}" for n in range(count)]
    keys = class_shortcuts(classes)
    given = [k for k in keys.values() if k is not None]
    assert len(given) == len(set(given)) == min(count, 34)
    assert all(len(k) == 1 and k.lower() in string.ascii_lowercase + string.digits and k not in "CR" for k in given)
    assert not {UNCLEAR_KEY, SKIP_KEY, UNDO_KEY} & set(given)
