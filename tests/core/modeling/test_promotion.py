import pytest

from core.modeling.promotion import NO_CHAMPION, NO_DEV, NO_TARGETS, promotion_gate
from core.scoping.targets import parse_target

TARGETS = [parse_target("f1 >= 0.80"), parse_target("recall >= 0.7"), parse_target("p95_latency_ms <= 1")]


def gate(candidate, champion=None, *, targets=TARGETS, metric="f1", margin=0.02):
    return promotion_gate(candidate, targets=targets, champion=champion, metric=metric, margin=margin)


def beats(decision):
    return next(c for c in decision.checks if c.condition == "beats the champion")


@pytest.mark.parametrize("candidate_f1, passes", [
    (0.87, True),          # gain 0.02 exactly the margin (0.87 - 0.85 is 0.0200000000000000178 in floats)
    (0.8700001, True),     # just above
    (0.8699999, False),    # just below
    (0.85, False),         # equal to the champion
])
def test_margin_at_equal_just_above_and_just_below(candidate_f1, passes):
    decision = gate({"f1": candidate_f1, "recall": 0.9}, {"f1": 0.85})
    assert decision.passed is passes and beats(decision).passed is passes
    if not passes:
        assert "does not beat the champion on f1 by the margin" in beats(decision).message


def test_missing_target_metric_blocks_and_says_which():
    decision = gate({"f1": 0.9}, None)
    assert not decision.passed
    (failure,) = decision.failures
    assert failure.condition == "target recall >= 0.7"
    assert "not measured for this run: it has no value for recall" in failure.message


def test_a_target_not_met_names_the_value_and_software_targets_are_not_gated():
    decision = gate({"f1": 0.79, "recall": 0.9, "p95_latency_ms": 50.0}, None)
    assert [c.message for c in decision.failures] == ["Target f1 >= 0.8 is not met: the run has 0.7900 on dev."]
    assert [c.condition for c in decision.checks] == ["target f1 >= 0.8", "target recall >= 0.7", "beats the champion"]


def test_slice_targets_read_the_slice_key():
    targets = [parse_target("recall[sex=F] >= 0.8")]
    assert not gate({"f1": 0.9}, targets=targets).passed
    assert gate({"f1": 0.9, "recall[sex=F]": 0.81}, targets=targets).passed


def test_first_champion_needs_only_the_targets_and_no_targets_is_said():
    decision = gate({"f1": 0.5}, None, targets=[])
    assert decision.passed and [c.message for c in decision.checks] == [NO_TARGETS, NO_CHAMPION]


def test_no_dev_evaluation_is_one_failing_check():
    for empty in (None, {}):
        decision = gate(empty, {"f1": 0.8})
        assert not decision.passed and [c.message for c in decision.checks] == [NO_DEV]


def test_lower_is_better_metric_gains_by_going_down():
    assert beats(gate({"log_loss": 0.30, "f1": 0.9, "recall": 0.9}, {"log_loss": 0.35}, metric="log_loss",
                      margin=0.05)).passed
    assert not beats(gate({"log_loss": 0.31, "f1": 0.9, "recall": 0.9}, {"log_loss": 0.35}, metric="log_loss",
                          margin=0.05)).passed


def test_champion_without_the_metric_cannot_be_compared():
    check = beats(gate({"f1": 0.9, "recall": 0.9, "roc_auc": 0.9}, {"f1": 0.8, "roc_auc": None}, metric="roc_auc"))
    assert not check.passed and "champion has no roc_auc" in check.message


@pytest.mark.parametrize("metric, margin, message", [
    ("speed", 0.0, "“speed” cannot be compared"), ("f1", -0.1, "margin must be between 0 and 1"),
    ("f1", 1.5, "margin must be between 0 and 1"),
])
def test_bad_comparison_settings_are_refused(metric, margin, message):
    with pytest.raises(ValueError, match=message):
        gate({"f1": 0.9}, metric=metric, margin=margin)


def test_a_reason_for_an_unmeasurable_target_replaces_the_bare_not_measured():
    reason = "Column “sex” has no value “X”. Its values are: F, M."
    decision = promotion_gate({"f1": 0.9}, targets=[parse_target("recall[sex=X] >= 0.8")], champion=None,
                              metric="f1", margin=0.0, reasons={"recall[sex=X]": reason})
    (failure,) = decision.failures
    assert failure.message == f"Target recall[sex=X] >= 0.8 cannot be measured for this run: {reason}"
