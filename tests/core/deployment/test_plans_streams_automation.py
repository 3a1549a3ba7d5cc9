"""Ramp plans, deployment cases, streams and their schema check, and the automation curve."""

import numpy as np
import pytest

from core.deployment.automation import (
    AutomationSetting,
    automation_curve,
    check_setting,
    cheapest_threshold,
    routed_to_human,
)
from core.deployment.plans import check_ramp, parse_ramp, recommended_mode, recommended_path, recommended_ramp
from core.deployment.plans import RolloutSettings
from core.deployment.rollouts import replay
from core.deployment.servers import HumanServer, human_answers
from core.deployment.streams import check_stream_schema, degraded_stream, loan_stream
from tests.core.deployment.factories import COLUMNS, fitted, scenario, server, stream


@pytest.mark.parametrize("text, message", [
    ("", "no steps"), ("10, 5, 100", "10% is followed by 5%"), ("10, 10, 100", "10% is followed"),
    ("10, 50, 120", "120% is not"), ("10, 50", "ends at 50%"), ("10, ten, 100", "“ten” in the ramp plan"),
    ("0, 50, 100", "0% is not"),
])
def test_bad_ramp_plans_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_ramp(text)


def test_the_default_ramp_and_written_forms_parse():
    assert parse_ramp("10 → 25 → 50 → 100") == parse_ramp("10%, 25%, 50%, 100%") == (10, 25, 50, 100)
    assert check_ramp((100,)) == (100,)


def test_each_case_recommends_its_path_with_one_sentence_per_step():
    assert recommended_mode("replacing") == "shadow" and recommended_mode("new_capability") == "canary"
    assert [s.mode for s in recommended_path("assisting")] == ["shadow", "ai_assistance", "partial_automation"]
    assert recommended_ramp("new_capability")[0] < recommended_ramp("replacing")[0]
    for case in ("new_capability", "replacing", "assisting"):
        assert all(step.why.count(". ") == 0 and step.why.endswith(".") for step in recommended_path(case))
    with pytest.raises(ValueError, match="not a deployment case"):
        recommended_path("moonshot")


def test_loan_stream_has_the_later_months_with_the_planted_drift():
    s = loan_stream(scenario().ground_truth, n_requests=3_000, start_month=6, seed=1)
    months = s.times.dt.month
    assert len(s) == 3_000 and months.min() == 6 and s.times.is_monotonic_increasing
    before, after = s.frame.loc[months < 9, "credit_score"], s.frame.loc[months >= 9, "credit_score"]
    assert before.mean() - after.mean() == pytest.approx(30, abs=6)  # the scenario's -30 points from month 9


def test_degraded_stream_worsens_over_time_and_the_model_follows():
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression

    digits = load_digits(as_frame=True).frame.rename(columns={"target": "digit"})
    pixels = [c for c in digits.columns if c != "digit"]
    model = LogisticRegression(max_iter=2_000).fit(digits[pixels].iloc[:1_200], digits["digit"].iloc[:1_200])
    s = degraded_stream(digits.iloc[1_200:], target="digit", pixels=pixels, n_requests=2_000, seed=0)
    right = model.predict(s.frame[pixels]) == s.labels.to_numpy()
    assert right[:200].mean() > 0.85 > right[-200:].mean() + 0.1
    assert s.frame[pixels].to_numpy().min() >= 0 and s.frame[pixels].to_numpy().max() <= 16


def test_stream_schema_check_names_missing_extra_and_changed_columns():
    training = {"x": "numeric", "colour": "categorical", "y": "categorical"}
    with pytest.raises(ValueError, match="lacks the columns colour"):
        check_stream_schema({"x": "numeric", "y": "categorical"}, training)
    with pytest.raises(ValueError, match="columns the training data lacks: size"):
        check_stream_schema({**training, "size": "numeric"}, training)
    with pytest.raises(ValueError, match="colour is numeric in the stream but categorical"):
        check_stream_schema({**training, "colour": "numeric"}, training)
    check_stream_schema(dict(reversed(training.items())), training)


def test_automation_curve_ends_at_the_models_and_the_humans_error_rates():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.5, 1.0, 1_000)
    correct = rng.random(1_000) < confidence
    curve = automation_curve(correct, confidence, human_accuracy=0.9, review_cost=2.0, error_cost=10.0)
    first, last = curve.iloc[0], curve.iloc[-1]
    assert first["automation_rate"] == 1.0 and first["error_rate"] == pytest.approx(1 - correct.mean())
    assert last["automation_rate"] == 0.0 and last["error_rate"] == pytest.approx(0.1)
    assert last["cost_per_case"] == pytest.approx(2.0 + 0.1 * 10.0)


def test_automation_costs_add_up_on_a_hand_case():
    # Four cases; at threshold 0.7 the two above it are automated (one wrong), two go to a person (90% right).
    curve = automation_curve(np.array([True, False, True, True]), np.array([0.9, 0.8, 0.7, 0.6]),
                             human_accuracy=0.9, review_cost=3.0, error_cost=20.0, thresholds=np.array([0.7]))
    row = curve.iloc[0]
    assert row["automation_rate"] == 0.5
    assert row["error_rate"] == pytest.approx((1 + 2 * 0.1) / 4)
    assert row["cost_per_case"] == pytest.approx(2 / 4 * 3.0 + (1.2 / 4) * 20.0)
    assert cheapest_threshold(curve) == 0.7


def test_routing_by_level_and_threshold():
    confidence = np.array([0.55, 0.7, 0.95])
    assert routed_to_human(confidence, AutomationSetting("partial_automation", 0.7)).tolist() == [True, True, False]
    assert routed_to_human(confidence, AutomationSetting("ai_assistance")).all()
    assert not routed_to_human(confidence, AutomationSetting("full_automation")).any()
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        check_setting(AutomationSetting("partial_automation", 1.5))
    with pytest.raises(ValueError, match="not a degree of automation"):
        check_setting(AutomationSetting("autopilot"))


def test_simulated_human_is_right_at_the_set_accuracy():
    labels = np.random.default_rng(1).integers(0, 10, 50_000)
    answers = human_answers(labels, list(range(10)), 0.8, np.random.default_rng(2))
    assert (answers == labels).mean() == pytest.approx(0.8, abs=0.01)
    assert HumanServer("person", 1.0, [0, 1]).proba(None, np.array([1, 0])).tolist() == [[0, 1], [1, 0]]


def test_replay_sends_to_people_exactly_the_cases_at_or_below_the_threshold():
    setting = AutomationSetting("partial_automation", threshold=0.8, human_accuracy=0.95)
    outcome = replay(stream(), server("good"), server("good", "same"), RolloutSettings(mode="shadow", batch_size=500),
                     automation=setting, keep_requests=True)
    confidence = fitted("good").predict_proba(stream().frame[COLUMNS]).max(axis=1)
    assert outcome.requests["to_human"].tolist() == (confidence <= 0.8).tolist()
    assert sum(w["n_to_human"] for w in outcome.log.windows) == int((confidence <= 0.8).sum())


def test_a_level_with_people_needs_a_measured_human_accuracy():
    with pytest.raises(ValueError, match="no human-level accuracy is known"):
        replay(stream(), server("good"), server("good", "b"), RolloutSettings(mode="shadow"),
               automation=AutomationSetting("partial_automation", 0.8))
