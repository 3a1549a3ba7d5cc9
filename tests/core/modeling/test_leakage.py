"""Leakage warnings on a generated frame with planted leaks, identifiers and names."""

import time

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import balanced_accuracy_score
from sklearn.tree import DecisionTreeClassifier

from core.data.scenarios import generate_scenario
from core.data.schema import infer_schema
from core.modeling.leakage import (
    Reference,
    check_training_data,
    far_above_references,
    single_column_scores,
)
from core.modeling.preprocessing import FeaturePlan, plan_features

HONEST = ("income", "credit_score", "debt_to_income", "purpose", "employment_type")


@pytest.fixture(scope="module")
def planted():
    """loan_approval with a repayment column recorded after the decision, a case number, a row counter and names."""
    frame = generate_scenario("loan_approval", n_rows=6000, seed=5).frame
    rng = np.random.default_rng(1)
    approved = frame["approved"].to_numpy()
    frame["amount_repaid"] = np.where(approved == 1, rng.uniform(500, 9000, len(frame)), 0.0)  # known afterwards
    frame["decision_code"] = np.where(approved == 1, "APR", "REJ")  # the outcome written as text
    frame["case_number"] = [f"C{13_000_000 + i * 7}CM" for i in range(len(frame))]
    frame["record_no"] = np.arange(len(frame)) + 1000
    first = rng.choice([f"name{i}" for i in range(3000)], len(frame))
    frame["applicant_name"] = pd.Series(first, dtype="string").where(rng.random(len(frame)) < 0.9, "name0")
    scenario_roles = generate_scenario("loan_approval", n_rows=1000).roles
    plan = plan_features(infer_schema(frame), scenario_roles)
    return frame, plan


def test_planted_leaks_identifiers_and_names_are_named_with_the_fix(planted):
    frame, plan = planted
    assert {"case_number", "applicant_name", "decision_code"} <= set(plan.categorical)
    started = time.perf_counter()
    checks = check_training_data(frame[plan.columns], frame["approved"], plan)
    assert time.perf_counter() - started < 5  # a sample of 4,000 rows keeps it quick at any size
    named = {w.kind: set() for w in checks.warnings}
    for warning in checks.warnings:
        named[warning.kind].update(warning.columns)
        assert "Datasets page (Roles tab)" in warning.message and warning.columns[0] in warning.message
    assert named["predicts_target"] == {"amount_repaid", "decision_code"}
    assert named["identifier"] == {"case_number", "record_no"}
    assert named["high_cardinality"] == {"applicant_name"}
    assert all(checks.scores[c] < 0.9 for c in HONEST)


def test_single_column_score_equals_an_eight_leaf_tree_fitted_on_the_other_half():
    rng = np.random.default_rng(0)
    x = rng.normal(size=400)
    y = pd.Series((x + rng.normal(scale=0.7, size=400) > 0).astype(int))
    frame = pd.DataFrame({"x": x})
    scores = single_column_scores(frame, y, FeaturePlan(("x",), ()), random_state=4)
    held = np.random.default_rng(4).permutation(400) % 2 == 1
    tree = DecisionTreeClassifier(max_leaf_nodes=8, random_state=4).fit(x[~held].reshape(-1, 1), y[~held].astype(str))
    expected = balanced_accuracy_score(y[held].astype(str), tree.predict(x[held].reshape(-1, 1)))
    assert scores["x"] == pytest.approx(expected) and 0.6 < expected < 0.98


def test_a_category_alone_is_scored_by_each_values_majority_on_unseen_rows():
    # Values "a" and "b" always mean 1 and 0; "c" is a coin flip; "d" is seen in one half only.
    values = pd.Series(["a", "b", "c", "c"] * 50, dtype="category")
    y = pd.Series([1, 0, 1, 0] * 50)
    scores = single_column_scores(pd.DataFrame({"v": values}), y, FeaturePlan((), ("v",)))
    assert 0.6 < scores["v"] < 0.98


def test_dev_far_above_every_baseline_and_hlp_is_flagged_with_the_strongest_columns():
    references = [Reference("Logistic regression", "simple", {"accuracy": 0.84, "roc_auc": 0.90}),
                  Reference("Human-level", "hlp", {"accuracy": 0.81})]
    scores = {"amount_repaid": 0.99, "income": 0.61, "purpose": 0.55, "age": 0.52}
    warning = far_above_references({"accuracy": 0.998, "roc_auc": 0.9997}, references, scores)
    assert warning.columns == ("amount_repaid", "income", "purpose")
    assert "Dev accuracy is 0.9980, far above the best baseline (Logistic regression: 0.8400) and human-level " \
           "performance (0.8100)" in warning.message
    assert far_above_references({"accuracy": 0.88, "roc_auc": 0.93}, references, scores) is None
    # At the edge: 0.05 above the best but not half its error, or half its error but less than 0.05 above.
    assert far_above_references({"accuracy": 0.97}, [Reference("Dummy", "dummy", {"accuracy": 0.95})], {}) is None
    assert far_above_references({"accuracy": 0.60}, [Reference("Dummy", "dummy", {"accuracy": 0.5})], {}) is None
    assert far_above_references({"accuracy": 0.99}, [], scores) is None
    only_dummy = far_above_references({"accuracy": 0.99}, [Reference("Prior", "dummy", {"accuracy": 0.7})], {})
    assert "no human-level performance is stored" in only_dummy.message


def test_a_leak_of_a_ten_class_target_is_found_and_missing_numbers_are_handled():
    rng = np.random.default_rng(3)
    digit = pd.Series(rng.integers(0, 10, 2000))
    frame = pd.DataFrame({"copy": (digit * 1.5 + rng.uniform(0, 0.5, 2000)).astype("Float64"),
                          "noise": pd.array(rng.integers(0, 100, 2000), dtype="Int64")})
    frame.loc[::50, "copy"] = pd.NA
    frame.loc[::7, "noise"] = pd.NA
    checks = check_training_data(frame, digit, FeaturePlan(("copy", "noise"), ()))
    assert checks.scores["copy"] >= 0.98 and checks.scores["noise"] < 0.3
    assert [w.columns for w in checks.warnings] == [("copy",)]
