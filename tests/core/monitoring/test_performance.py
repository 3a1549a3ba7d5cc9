"""CBPE against realised accuracy of a calibrated model, realised metrics against scikit-learn, and the concept-drift call."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score

from core.monitoring.performance import Estimate, cbpe_accuracy, concept_drift, realised

WEIGHTS = np.array([1.5, -2.0, 0.7])


def simulate(n, seed, shift=0.0):
    """Rows whose true label follows a logistic model of the features: no concept drift, ever."""
    rng = np.random.default_rng(seed)
    X = rng.normal(shift, 1.0, (n, 3))
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ WEIGHTS)))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def calibrated_model():
    X, y = simulate(50_000, seed=0)
    return LogisticRegression().fit(X, y)  # the right model family, so its probabilities are calibrated


@pytest.mark.parametrize("shift", [0.0, 0.6])  # 0.6: covariate shift, which CBPE allows for
def test_cbpe_is_within_its_band_and_one_point_of_realised_accuracy_without_concept_drift(calibrated_model, shift):
    errors = []
    for seed in range(1, 11):
        X, y = simulate(2_000, seed=seed, shift=shift)
        estimate = cbpe_accuracy(calibrated_model.predict_proba(X))
        actual = accuracy_score(y, calibrated_model.predict(X))
        assert estimate.low <= actual <= estimate.high, (seed, estimate, actual)
        errors.append(estimate.value - actual)
    assert abs(np.mean(errors)) < 0.01  # the stated tolerance: one accuracy point over 10 windows of 2,000


def test_cbpe_is_the_mean_probability_of_the_predicted_class_with_a_poisson_binomial_band():
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.5, 0.5]])
    confidence = np.array([0.9, 0.8, 0.6, 0.5])
    sigma = np.sqrt(np.sum(confidence * (1 - confidence))) / 4
    estimate = cbpe_accuracy(proba)
    assert estimate.value == pytest.approx(0.7)
    assert (estimate.low, estimate.high) == pytest.approx((0.7 - 3 * sigma, min(1.0, 0.7 + 3 * sigma)))


def test_cbpe_uses_the_served_class_when_given():
    proba = np.array([[0.9, 0.1], [0.2, 0.8]])
    assert cbpe_accuracy(proba, predicted=np.array([1, 1])).value == pytest.approx(0.45)


def test_cbpe_refuses_what_are_not_probabilities_and_empty_windows():
    with pytest.raises(ValueError, match="between 0 and 1"):
        cbpe_accuracy(np.array([[1.2, -0.2]]))
    with pytest.raises(ValueError, match="no predictions"):
        cbpe_accuracy(np.zeros((0, 2)))


def test_realised_metrics_equal_scikit_learns():
    rng = np.random.default_rng(3)
    y_true, y_pred = rng.integers(0, 2, 500), rng.integers(0, 2, 500)
    scores = realised(y_true, y_pred, classes=[0, 1])
    assert scores["accuracy"] == pytest.approx(accuracy_score(y_true, y_pred))
    assert scores["error_rate"] == pytest.approx(1 - accuracy_score(y_true, y_pred))
    assert scores["precision"] == pytest.approx(precision_score(y_true, y_pred))
    assert scores["f1"] == pytest.approx(f1_score(y_true, y_pred))


def test_concept_drift_is_called_on_a_drop_with_low_input_drift_only():
    call = concept_drift(0.08, 0.1)
    assert call.startswith("Concept drift: Accuracy fell by 8.0% from the reference while only 10% of the features drifted")
    assert concept_drift(0.02, 0.1) is None  # within ordinary noise
    assert concept_drift(-0.05, 0.0) is None  # better, not worse
    assert concept_drift(float("nan"), 0.0) is None
    assert "the inputs changed" in concept_drift(0.08, 0.6)  # a drop explained by data drift
    assert concept_drift(0.06, 0.1, metric="precision").startswith("Concept drift: Precision fell by 6.0%")


def test_estimate_is_a_value_with_its_band():
    assert Estimate(0.8, 0.7, 0.9).low < Estimate(0.8, 0.7, 0.9).high
