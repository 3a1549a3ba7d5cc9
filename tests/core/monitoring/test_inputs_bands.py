"""Input metrics counted by hand, reference bands, and rule checks."""

import numpy as np
import pandas as pd
import pytest

from core.monitoring.bands import Band, Breach, Rule, band_rules, check_rules, reference_band
from core.monitoring.inputs import input_metrics

KINDS = {"x": "numeric", "c": "categorical"}
REFERENCE = pd.DataFrame({"x": [1.0, 5.0, 3.0, np.nan], "c": ["a", "b", "a", None]})
CURRENT = pd.DataFrame({"x": [0.5, 5.0, 6.0, np.nan, 2.0], "c": ["a", "z", None, "y", "b"]})


def test_input_metrics_by_hand():
    metrics = input_metrics(REFERENCE, CURRENT, KINDS)
    assert metrics["missing_share"] == pytest.approx(2 / 10)  # one missing cell in each column
    assert metrics["out_of_range_share"] == pytest.approx(2 / 4)  # 0.5 and 6.0 outside 1..5; 5.0 is inside
    assert metrics["unseen_share"] == pytest.approx(2 / 4)  # z and y among a, z, y, b
    assert metrics["columns"]["x"] == {"missing_share": 0.2, "out_of_range_share": 0.5}
    assert metrics["columns"]["c"] == {"missing_share": 0.2, "unseen_share": 0.5}


def test_input_metrics_of_an_empty_window_are_nan_not_an_error():
    metrics = input_metrics(REFERENCE, CURRENT.iloc[:0], KINDS)
    assert np.isnan(metrics["missing_share"]) and np.isnan(metrics["out_of_range_share"])


def test_a_column_the_reference_never_filled_has_nothing_out_of_range():
    reference = pd.DataFrame({"x": [np.nan, np.nan]})
    assert input_metrics(reference, pd.DataFrame({"x": [1.0, 2.0]}), {"x": "numeric"})["out_of_range_share"] == 0.0


def test_reference_band_is_mean_plus_minus_three_population_sds():
    values = [0.80, 0.82, 0.78, 0.81, 0.79]
    band = reference_band(values, distance=False)
    assert band.low == pytest.approx(np.mean(values) - 3 * np.std(values))
    assert band.high == pytest.approx(np.mean(values) + 3 * np.std(values))


def test_a_distance_band_has_only_an_upper_side():
    band = reference_band([0.02, 0.03, 0.025, float("nan")], distance=True)
    assert band.low is None and band.high == pytest.approx(0.025 + 3 * np.std([0.02, 0.03, 0.025]))
    assert band.contains(-5.0) and not band.contains(0.05)


def test_a_band_needs_two_reference_values():
    with pytest.raises(ValueError, match="at least 2 reference chunks; 1 had a value"):
        reference_band([0.5, float("nan")], distance=False)


def test_rules_state_what_must_hold_and_breaches_carry_the_value():
    rules = [Rule("accuracy", ">=", 0.85, "target"), Rule("missing_share", "<=", 0.05, "user"),
             *band_rules("share_drifted", Band(None, 0.3))]
    window = {"accuracy": 0.8, "missing_share": 0.05, "share_drifted": 0.4}
    assert check_rules(rules, window) == [Breach(rules[0], 0.8), Breach(rules[2], 0.4)]
    assert rules[2] == Rule("share_drifted", "<=", 0.3, "band") and rules[0].text() == "accuracy >= 0.85"


def test_a_metric_the_window_lacks_breaks_no_rule():
    assert check_rules([Rule("accuracy", ">=", 0.9)], {"accuracy": float("nan")}) == []
    assert check_rules([Rule("f1", ">=", 0.9)], {}) == []


def test_a_band_gives_a_rule_per_side():
    assert band_rules("accuracy", Band(0.7, 0.9)) == [Rule("accuracy", ">=", 0.7, "band"), Rule("accuracy", "<=", 0.9, "band")]
