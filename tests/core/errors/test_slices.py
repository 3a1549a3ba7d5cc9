import numpy as np
import pandas as pd
import pytest

from core.errors.slices import (
    Condition, SliceError, SlicePredicate, bin_codes, bin_predicate, check_readable, quantile_edges, slice_mask,
    tag_predicate,
)


@pytest.fixture
def frame():
    return pd.DataFrame({
        "employment": pd.Categorical(["self_employed", "salaried", "self_employed", "retired", None]),
        "income": [20_000.0, 30_000.0, 40_000.0, np.nan, 10_000.0],
    }, index=pd.Index([10, 11, 12, 13, 14], name="row_id"))


def test_text_reads_like_the_condition_it_tests():
    p = SlicePredicate((Condition("employment", "==", "self_employed"), Condition("income", "<", 28_000)))
    assert p.text() == 'employment == "self_employed" and income < 28,000'
    assert SlicePredicate((Condition("region", "in", ("North", "South")),)).text() == 'region in {"North", "South"}'
    assert Condition("x", ">=", 0.12345).text() == "x >= 0.1235"
    assert tag_predicate("blurry").text() == 'tagged "blurry"'


def test_json_round_trip_keeps_the_predicate():
    p = SlicePredicate((Condition("region", "in", ("North", "South")), Condition("income", ">", 1.5),
                        Condition("tag", "tagged", "ambiguous")))
    assert SlicePredicate.from_json(p.to_json()) == p


def test_mask_is_the_conjunction_of_conditions(frame):
    p = SlicePredicate((Condition("employment", "==", "self_employed"), Condition("income", "<", 28_000)))
    assert slice_mask(frame, p).tolist() == [True, False, False, False, False]
    # A missing value is never inside a range, and always "not equal".
    assert slice_mask(frame, SlicePredicate((Condition("income", ">=", 0),))).tolist() == [1, 1, 1, 0, 1]
    assert slice_mask(frame, SlicePredicate((Condition("employment", "!=", "retired"),))).tolist() == [1, 1, 1, 0, 1]


def test_tag_condition_reads_the_tags(frame):
    tags = pd.Series({11: frozenset({"blurry"}), 14: frozenset({"blurry", "x"})})
    assert slice_mask(frame, tag_predicate("blurry"), tags=tags).tolist() == [0, 1, 0, 0, 1]


def test_missing_column_is_named(frame):
    p = SlicePredicate((Condition("region", "==", "North"),))
    with pytest.raises(SliceError, match="“region”, which this data does not have"):
        slice_mask(frame, p, name="northerners")


def test_bad_predicates_are_refused():
    with pytest.raises(SliceError, match="at least one condition"):
        SlicePredicate(())
    with pytest.raises(SliceError, match="not a slice condition"):
        Condition("x", "~", 1)
    with pytest.raises(SliceError, match="not a list of conditions"):
        SlicePredicate.from_json([{"column": "x"}])


def test_quantile_bins_cover_every_row_once():
    values = pd.Series(np.arange(100, dtype=float), name="x")
    edges = quantile_edges(values, n_bins=4)
    codes = bin_codes(values, edges)
    assert np.bincount(codes).tolist() == [25, 25, 25, 25]
    frame = values.to_frame()
    for code in range(4):
        assert (slice_mask(frame, bin_predicate("x", edges, code)) == (codes == code)).all()


def test_numeric_column_with_one_value_cannot_be_binned():
    with pytest.raises(SliceError, match="holds a single value"):
        quantile_edges(pd.Series([3.0] * 10, name="flat"))
    with pytest.raises(SliceError, match="not numeric"):
        quantile_edges(pd.Series(["a", "b"], name="word"))


def test_skewed_column_gets_fewer_bins_not_empty_ones():
    values = pd.Series([0.0] * 90 + list(range(1, 11)), name="x", dtype=float)
    edges = quantile_edges(values, n_bins=4)
    assert (np.bincount(bin_codes(values, edges)) > 0).all()


def test_a_slice_on_tags_or_on_a_missing_column_is_unreadable_elsewhere_and_says_why():
    on_columns = SlicePredicate((Condition("employment", "==", "retired"), Condition("income", "<", 5)))
    check_readable(on_columns, name="old", columns=["employment", "income", "x"], place="monitoring")  # no error
    with pytest.raises(SliceError, match="“blurry ones” reads error tags.*so monitoring cannot place rows in it"):
        check_readable(tag_predicate("blurry"), name="blurry ones", columns=["employment"], place="monitoring")
    with pytest.raises(SliceError, match="“old” reads the column “income”, which this data does not have"):
        check_readable(on_columns, name="old", columns=["employment"], place="the audit")
