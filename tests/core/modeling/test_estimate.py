"""The training-time estimate against the measured fit, on loan_approval-size data."""

import time

import pytest
import sklearn.ensemble  # noqa: F401 — loads scikit-learn's OpenMP runtime, so the limit below reaches it
from threadpoolctl import threadpool_limits

from core.data.scenarios import generate_scenario
from core.data.schema import infer_schema
from core.data.splits import make_splits
from core.modeling.checks import estimate_training_seconds
from core.modeling.preprocessing import plan_features
from core.modeling.training import TrainingConfig, fit_pipeline
from core.modeling.training_data import split_training_data


@pytest.fixture(scope="module")
def loan_data():
    scenario = generate_scenario("loan_approval", n_rows=20_000, seed=3)
    frame = scenario.frame
    plan = plan_features(infer_schema(frame), scenario.roles)
    split = make_splits(frame, strategy="stratified", target="approved", random_state=3)
    return plan, split_training_data(frame, frame["approved"], split, plan=plan)


def measured_fit_seconds(plan, data, config) -> float:
    """The faster of two fits on all training rows (single runs spike on a shared machine)."""
    times = []
    for _ in range(2):
        started = time.perf_counter()
        fit_pipeline(plan, config, data.train_X, data.train_y)
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.parametrize("model", ["hist_gradient_boosting", "random_forest"])
def test_estimate_is_within_a_factor_of_two_of_the_measured_fit(loan_data, model):
    plan, data = loan_data
    config = TrainingConfig(model)
    # OpenMP threads spin on one another when other processes hold the cores; one thread keeps both
    # sides' timings honest, and both sides run under the same limit.
    # A load spike from another process during one side's timing skews the pair, so the pair is
    # measured again, up to three times; an estimate off by a factor (the defect) is off every time.
    pairs = []
    for _ in range(3):
        with threadpool_limits(1):
            estimate = estimate_training_seconds(data, config=config, plan=plan)
            measured = measured_fit_seconds(plan, data, config)
        pairs.append((estimate.fit_seconds, measured))
        if measured / 2 <= estimate.fit_seconds <= measured * 2:
            break
    assert len(data.train_y) == 14_000
    # Before the fix gradient boosting was estimated 8-20x too high (a 2,000-row fit without early
    # stopping, scaled by n log n, against a full fit that stopped early).
    assert measured / 2 <= estimate.fit_seconds <= measured * 2, pairs


def test_estimate_reports_its_progress_step_by_step(loan_data):
    plan, data = loan_data
    seen = []
    estimate_training_seconds(data, config=TrainingConfig("logistic_regression", learning_curve=True), plan=plan,
                              progress=lambda fraction, message: seen.append((fraction, message)))
    assert [round(f, 3) for f, _ in seen] == [0.0, 0.333, 0.667]  # two sample fits, then the predictions
    assert seen[0][1] == "Estimating the training time: fitting 1,000 sample rows (1 of 2)…"
    assert seen[1][1] == "Estimating the training time: fitting 4,000 sample rows (2 of 2)…"
    assert seen[2][1] == "Estimating the training time: timing predictions…"
