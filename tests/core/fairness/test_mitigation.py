"""Per-group thresholds against fairlearn's ThresholdOptimizer on the loan scenario, and the before/after table."""

import numpy as np
import pytest
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate
from fairlearn.postprocessing import ThresholdOptimizer
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import accuracy_score

from core.fairness.disparities import FAIR_HIGH, FAIR_LOW
from core.fairness.mitigation import before_after, mitigate
from core.fairness.thresholds import apply_thresholds, check_scores, fit_group_thresholds
from tests.core.fairness.fairness_factories import loan_decisions

FAIRLEARN_CONSTRAINT = {"demographic_parity": ("demographic_parity", selection_rate),
                        "equal_opportunity": ("true_positive_rate_parity", true_positive_rate)}


class StoredScores(ClassifierMixin, BaseEstimator):
    """A 'model' whose probability is the stored score column, so ThresholdOptimizer sees the same scores."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):
        scores = np.asarray(X)[:, 0]
        return np.column_stack([1 - scores, scores])

    def predict(self, X):
        return (np.asarray(X)[:, 0] >= 0.5).astype(int)


def fairlearn_decisions(frame, constraint):
    optimizer = ThresholdOptimizer(estimator=StoredScores().fit(None, None), constraints=FAIRLEARN_CONSTRAINT[constraint][0],
                                   objective="accuracy_score", predict_method="predict_proba", prefit=True)
    optimizer.fit(frame[["proba_1"]], frame["label"], sensitive_features=frame["sex"])
    return optimizer.predict(frame[["proba_1"]], sensitive_features=frame["sex"], random_state=0)


def rate_by_group(frame, decisions, metric):
    return MetricFrame(metrics=metric, y_true=frame["label"], y_pred=decisions, sensitive_features=frame["sex"])


@pytest.mark.parametrize("constraint", ["demographic_parity", "equal_opportunity"])
def test_thresholds_reach_the_constraint_like_threshold_optimizer(constraint):
    """loan_approval, seed 0, bias 0.5, a model that learned the bias; mitigation on the dev half."""
    frame = loan_decisions()
    rule = fit_group_thresholds(frame["label"], frame["proba_1"], frame["sex"], positive=1, constraint=constraint)
    ours = apply_thresholds(rule, frame["proba_1"], frame["sex"]).astype(int)
    theirs = fairlearn_decisions(frame, constraint)
    metric = FAIRLEARN_CONSTRAINT[constraint][1]
    before, after, reference = (rate_by_group(frame, d, metric) for d in (frame["prediction"], ours, theirs))
    assert before.difference() > 0.1 > 0.02 > after.difference()   # the learned bias is there, then gone
    assert FAIR_LOW <= after.ratio() <= FAIR_HIGH
    assert abs(after.difference() - reference.difference()) <= 0.02
    assert accuracy_score(frame["label"], ours) >= accuracy_score(frame["label"], theirs) - 0.01


def test_thresholds_are_deterministic_and_a_group_without_positives_keeps_its_best_cut():
    frame = loan_decisions(n_rows=3000)
    first = fit_group_thresholds(frame["label"], frame["proba_1"], frame["sex"], positive=1, constraint="equal_opportunity")
    again = fit_group_thresholds(frame["label"], frame["proba_1"], frame["sex"], positive=1, constraint="equal_opportunity")
    assert first == again
    labels = np.array([0, 0, 0, 1, 1, 0])
    scores = np.array([0.2, 0.6, 0.7, 0.9, 0.4, 0.1])
    groups = np.array(["n", "n", "n", "p", "p", "p"])
    rule = fit_group_thresholds(labels, scores, groups, positive=1, constraint="equal_opportunity")
    assert rule.thresholds["n"] == np.inf            # no positives: rejecting all is its most accurate cut


def test_hand_case_demographic_parity_thresholds():
    """Two groups of four, each with two positives scored highest; selecting half of each is all correct."""
    labels = np.array([1, 1, 0, 0, 1, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.3, 0.1, 0.4, 0.35, 0.3, 0.2])
    groups = np.array(["a"] * 4 + ["b"] * 4)
    rule = fit_group_thresholds(labels, scores, groups, positive=1, constraint="demographic_parity")
    assert rule.thresholds == {"a": 0.8, "b": 0.35} and 0.375 < rule.target_rate <= 0.5
    assert apply_thresholds(rule, scores, groups).tolist() == [True, True, False, False, True, True, False, False]


def test_before_after_table_shows_every_gap_and_the_cost():
    frame = loan_decisions()
    rule = fit_group_thresholds(frame["label"], frame["proba_1"], frame["sex"], positive=1)
    after = apply_thresholds(rule, frame["proba_1"], frame["sex"]).astype(int)
    table = before_after(frame["label"], frame["prediction"], after, frame["sex"], positive=1)
    assert {"demographic parity difference", "equalized odds difference", "overall accuracy",
            "selection rate [F]"} <= set(table.index)
    dp = table.loc["demographic parity difference"]
    assert dp["after"] < 0.02 < dp["before"]
    assert table.loc["overall accuracy", "before"] == pytest.approx(accuracy_score(frame["label"], frame["prediction"]))
    assert table.loc["overall accuracy", "change"] == pytest.approx(
        accuracy_score(frame["label"], after) - accuracy_score(frame["label"], frame["prediction"]))


@pytest.mark.parametrize("scores, message", [([], "none were stored"), ([np.nan, np.nan], "none were stored"),
                                             ([0.2, 1.3], "outside 0 to 1"), ([0.2, np.nan], "missing")])
def test_missing_probabilities_say_why_mitigation_needs_them(scores, message):
    with pytest.raises(ValueError, match=f"probability of the positive class.*{message}"):
        check_scores(scores)


def test_unknown_constraint_and_unseen_group_are_refused():
    with pytest.raises(ValueError, match="one of demographic_parity, equal_opportunity"):
        fit_group_thresholds([1, 0], [0.4, 0.6], ["a", "b"], positive=1, constraint="equalized_odds")
    rule = fit_group_thresholds([1, 0], [0.4, 0.6], ["a", "b"], positive=1)
    with pytest.raises(ValueError, match="Group 'c' has no threshold"):
        apply_thresholds(rule, [0.5], ["c"])


def test_mitigate_a_run_s_predictions_end_to_end():
    frame = loan_decisions()
    result = mitigate(frame, frame[["sex"]], ["sex"], classes=[0, 1], constraint="demographic_parity")
    rule = fit_group_thresholds(frame["label"], frame["proba_1"], frame["sex"], positive=1)
    assert result.rule == rule and set(result.decisions.unique()) <= {0, 1}
    assert result.decisions.index.equals(frame.index)
    stored = result.to_dict()
    assert stored["constraint"] == "demographic_parity" and set(stored["thresholds"]) == {"F", "M"}
    assert stored["before_after"]["overall accuracy"]["after"] == pytest.approx(
        accuracy_score(frame["label"], result.decisions))


def test_mitigate_without_probabilities_says_why():
    frame = loan_decisions(n_rows=1000).drop(columns="proba_1")
    with pytest.raises(ValueError, match="no usable probabilities"):
        mitigate(frame, frame[["sex"]], ["sex"], classes=[0, 1])
