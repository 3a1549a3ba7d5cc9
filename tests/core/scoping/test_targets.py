import doctest
import math

import pytest

from core.scoping import targets
from core.scoping.targets import (
    BUSINESS_NAME_TAKEN,
    BUSINESS_UNIT_EMPTY,
    CONTRADICTING_TARGET,
    DUPLICATE_TARGET,
    METRICS,
    NOT_POSITIVE,
    SHARE_OUT_OF_RANGE,
    SLICE_BAD,
    SLICE_NOT_ML,
    TARGET_UNPARSEABLE,
    UNIT_MISMATCH,
    UNIT_NOT_ALLOWED,
    UNKNOWN_COMPARATOR,
    UNKNOWN_METRIC,
    VALUE_MISSING,
    VALUE_NOT_NUMBER,
    TargetError,
    TargetSpec,
    check_new_target,
    compare,
    evaluate_targets,
    make_target,
    metric_key,
    metric_names,
    parse_target,
)


def test_docstring_examples_hold():
    assert doctest.testmod(targets).failed == 0


@pytest.mark.parametrize("text, expected", [
    ("f1 >= 0.85", TargetSpec("ml", "f1", ">=", 0.85)),
    ("  F1 Score≥.85 ", TargetSpec("ml", "f1", ">=", 0.85)),
    ("ROC-AUC > 0.9", TargetSpec("ml", "roc_auc", ">", 0.9)),
    ("balanced accuracy >= 0.7", TargetSpec("ml", "balanced_accuracy", ">=", 0.7)),
    ("recall[sex = F] >= 0.8", TargetSpec("ml", "recall", ">=", 0.8, slice="sex=F")),
    ("latency <= 50 ms", TargetSpec("software", "p95_latency_ms", "<=", 50.0, unit="ms")),
    ("p95_latency_ms =< 50", TargetSpec("software", "p95_latency_ms", "<=", 50.0, unit="ms")),
    ("throughput >= 1e3", TargetSpec("software", "throughput_rps", ">=", 1000.0, unit="requests/s")),
    ("memory_mb < 512", TargetSpec("software", "memory_mb", "<", 512.0, unit="MB")),
    ("time to decision <= 1 days", TargetSpec("business", "time to decision", "<=", 1.0, unit="days")),
    ("cost per loan <  3.5   EUR per loan", TargetSpec("business", "cost per loan", "<", 3.5, unit="EUR per loan")),
])
def test_parse_target_reads_metric_slice_comparator_value_and_unit(text, expected):
    assert parse_target(text) == expected


def test_text_round_trips_through_parse():
    for text in ["f1 >= 0.85", "recall[sex=F] >= 0.8", "p95_latency_ms <= 50", "cost per loan <= 3 EUR"]:
        assert parse_target(text).text == text
        assert parse_target(parse_target(text).text) == parse_target(text)


@pytest.mark.parametrize("text, message", [
    ("accuracy >= 1.5", SHARE_OUT_OF_RANGE.format(label="Accuracy", value="1.5")),
    ("recall >= -0.1", SHARE_OUT_OF_RANGE.format(label="Recall", value="-0.1")),
    ("latency <= -3", NOT_POSITIVE.format(label="p95 latency", unit="ms", value="-3")),
    ("throughput_rps >= 0", NOT_POSITIVE.format(label="Throughput", unit="requests/s", value="0")),
    ("f1 >= abc", VALUE_NOT_NUMBER.format(value="abc")),
    ("f1 >= 85%", VALUE_NOT_NUMBER.format(value="85%")),
    ("f1 >= 0,85", VALUE_NOT_NUMBER.format(value="0,85")),
    ("f1 >= nan", VALUE_NOT_NUMBER.format(value="nan")),
    ("f1 == 0.85", UNKNOWN_COMPARATOR.format(comparator="==")),
    ("f1 = 0.85", UNKNOWN_COMPARATOR.format(comparator="=")),
    ("f1 0.85", TARGET_UNPARSEABLE.format(text="f1 0.85")),
    ("", TARGET_UNPARSEABLE.format(text="")),
    (">= 0.85", TARGET_UNPARSEABLE.format(text=">= 0.85")),
    ("recall[sex] >= 0.8", SLICE_BAD.format(slice="sex")),
    ("recall[sex=F,age=1] >= 0.8", SLICE_BAD.format(slice="sex=F,age=1")),
    ("latency[sex=F] <= 50", SLICE_NOT_ML.format(slice="sex=F")),
    ("labeling days <= 2", BUSINESS_UNIT_EMPTY),
    ("f1 >= 0.8 points", UNIT_NOT_ALLOWED.format(label="F1", unit="points")),
    ("latency <= 50 s", UNIT_MISMATCH.format(label="p95 latency", expected="ms", unit="s")),
])
def test_bad_targets_are_refused_with_a_message_naming_the_fix(text, message):
    with pytest.raises(TargetError) as refused:
        parse_target(text)
    assert str(refused.value) == message


def test_form_fields_are_checked_against_the_chosen_kind():
    assert make_target(kind="ml", metric="F1", comparator=">=", value="0.9") == TargetSpec("ml", "f1", ">=", 0.9)
    with pytest.raises(TargetError, match="is not a known ML metric"):
        make_target(kind="ml", metric="p95_latency_ms", comparator="<=", value="50")
    with pytest.raises(TargetError) as refused:
        make_target(kind="business", metric="F1", comparator=">=", value="0.9", unit="points")
    assert str(refused.value) == BUSINESS_NAME_TAKEN.format(metric="F1", kind="ML")
    with pytest.raises(TargetError) as refused:
        make_target(kind="ml", metric="f1", comparator=">=", value="  ")
    assert str(refused.value) == VALUE_MISSING
    with pytest.raises(TargetError, match="is not a kind of target"):
        make_target(kind="legal", metric="f1", comparator=">=", value="0.9")
    with pytest.raises(TargetError) as refused:
        make_target(kind="software", metric="bogus", comparator="<=", value="1")
    assert str(refused.value) == UNKNOWN_METRIC.format(metric="bogus", kind="Software",
                                                        names="p95_latency_ms, throughput_rps, memory_mb")


def test_shares_accept_their_bounds():
    assert make_target(kind="ml", metric="accuracy", comparator=">=", value=0.0).value == 0.0
    assert make_target(kind="ml", metric="accuracy", comparator="<=", value=1.0).value == 1.0


def test_every_metric_of_the_registry_has_a_label_and_help():
    assert metric_names("ml") == ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc"]
    assert metric_names("business") == []
    for spec in METRICS.values():
        assert spec.label and spec.help
        assert (spec.unit == "") == (spec.kind == "ml")


@pytest.mark.parametrize("measured, comparator, threshold, expected", [
    # at equality only the inclusive comparators hold
    (0.85, ">=", 0.85, True), (0.85, ">", 0.85, False), (0.85, "<=", 0.85, True), (0.85, "<", 0.85, False),
    # a score computed with rounding error still counts as equal
    (0.1 + 0.2, ">=", 0.3, True), (0.1 + 0.2, ">", 0.3, False), (0.1 + 0.2, "<=", 0.3, True),
    (0.7 * 3, "<", 2.1, False),
    # just beyond the boundary on either side
    (0.8501, ">", 0.85, True), (0.8499, ">=", 0.85, False), (49.9, "<", 50, True), (50.1, "<=", 50, False),
])
def test_compare_at_and_around_equality(measured, comparator, threshold, expected):
    assert compare(measured, comparator, threshold) is expected


def test_evaluate_targets_says_met_not_met_or_not_measured_in_order():
    goals = [parse_target(t) for t in [
        "f1 >= 0.85", "accuracy > 0.9", "recall[sex=F] >= 0.8", "recall[sex=M] >= 0.8",
        "p95_latency_ms <= 50", "roc_auc >= 0.9", "precision >= 0.5",
    ]]
    metrics = {"f1": 0.85, "accuracy": 0.9, metric_key("recall", "sex=F"): 0.79, "recall": 0.95,
               "p95_latency_ms": 12.5, "roc_auc": math.nan, "precision": None}
    results = evaluate_targets(metrics, goals)
    assert [r.status for r in results] == ["met", "not met", "not met", "not measured", "met",
                                           "not measured", "not measured"]
    assert [r.target for r in results] == goals
    assert results[2].value == 0.79 and results[3].value is None
    assert [r.met for r in results[:2]] == [True, False]


def test_evaluate_reads_anything_with_target_fields():
    class Row:  # the attributes a stored target has
        metric, slice, comparator, value = "f1", "", ">=", 0.8

    assert evaluate_targets({"f1": 0.81}, [Row()])[0].status == "met"
    assert evaluate_targets({}, []) == ()


@pytest.mark.parametrize("existing, new, message", [
    ("f1 >= 0.8", "f1 >= 0.9", DUPLICATE_TARGET),
    ("f1 >= 0.8", "F1 > 0.7", DUPLICATE_TARGET),
    ("p95_latency_ms <= 50", "latency < 80", DUPLICATE_TARGET),
    ("cost per loan <= 3 EUR", "Cost per loan < 4 EUR", DUPLICATE_TARGET),
    ("f1 >= 0.9", "f1 <= 0.8", CONTRADICTING_TARGET),
    ("f1 > 0.8", "f1 <= 0.8", CONTRADICTING_TARGET),
    ("f1 >= 0.8", "f1 < 0.8", CONTRADICTING_TARGET),
])
def test_repeated_or_contradicting_targets_are_refused(existing, new, message):
    old, fresh = parse_target(existing), parse_target(new)
    with pytest.raises(TargetError) as refused:
        check_new_target(fresh, [old])
    assert str(refused.value) == message.format(existing=old.text, new=fresh.text)


@pytest.mark.parametrize("existing, new", [
    ("f1 >= 0.8", "f1 <= 0.99"),        # a range
    ("f1 >= 0.8", "f1 <= 0.8"),         # a range of one point can be met
    ("recall >= 0.8", "recall[sex=F] >= 0.8"),
    ("recall[sex=M] >= 0.8", "recall[sex=F] >= 0.8"),
    ("f1 >= 0.8", "precision >= 0.8"),
])
def test_targets_on_other_measures_or_other_sides_coexist(existing, new):
    check_new_target(parse_target(new), [parse_target(existing)])
