"""Confident learning against cleanlab's find_label_issues, and against planted label noise."""

import warnings

import numpy as np
import pandas as pd
import pytest
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues

from core.labeling.confident_learning import LABEL_OUT_OF_RANGE, find_label_issues
from core.labeling.issues import (
    ONE_CLASS,
    detection_quality,
    explain_issue,
    out_of_fold_probabilities,
    rank_label_issues,
)
from core.data.scenarios import generate_scenario
from core.data.schema import infer_schema
from core.features import FeaturePlan, plan_features
from core.data.splits import make_splits


def noisy_problem(n, k, seed, *, rounded=False, drop_class=False):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, k)) * rng.uniform(0.5, 4)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    labels = probs.argmax(axis=1)
    flip = rng.random(n) < rng.uniform(0.02, 0.3)
    labels[flip] = rng.integers(0, k, flip.sum())
    if rounded:  # many exact ties in the margins
        probs = np.round(probs, 2)
        probs /= probs.sum(axis=1, keepdims=True)
    if drop_class:
        labels[labels == 0] = 1
    return labels, probs


def cleanlab_mask(labels, probs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cleanlab_find_label_issues(labels, probs)


@pytest.mark.parametrize("seed", range(30))
def test_flags_the_same_rows_as_cleanlab(seed):
    rng = np.random.default_rng(1000 + seed)
    n, k = int(rng.integers(30, 4000)), int(rng.integers(2, 12))
    labels, probs = noisy_problem(n, k, seed, rounded=seed % 3 == 0, drop_class=seed % 7 == 0 and k > 2)
    assert (find_label_issues(labels, probs) == cleanlab_mask(labels, probs)).all()


def test_flags_the_same_rows_as_cleanlab_on_a_large_binary_problem():
    labels, probs = noisy_problem(200_000, 2, 99)
    assert (find_label_issues(labels, probs) == cleanlab_mask(labels, probs)).all()


def test_bad_labels_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="class numbers 0..1"):
        find_label_issues(np.array([0, 2]), np.array([[0.5, 0.5], [0.4, 0.6]]))
    assert "Encode the labels" in LABEL_OUT_OF_RANGE


def training_issues(scenario, **params):
    generated = generate_scenario(scenario, **params)
    frame, roles = generated.frame, generated.roles
    split = make_splits(frame, strategy="stratified", target=roles.target, random_state=0)
    train = frame[split == "train"]
    plan = plan_features(infer_schema(frame), roles)
    probs = out_of_fold_probabilities(train, train[roles.target].astype(str), plan=plan, folds=5, random_state=0)
    issues = rank_label_issues(train[roles.target].astype(str), probs)
    flipped = pd.Index(generated.ground_truth["label_noise"]["flipped_row_ids"])
    return issues, flipped, train


def test_digits_flips_are_recovered_from_the_training_split():
    issues, flipped, train = training_issues("digits", label_noise=0.05)
    recall, precision = detection_quality(issues.table.index, flipped, checked=train.index)
    assert issues.n_checked == len(train)
    # README: 79% at 0.66 (seed 0; 79-88% at 0.58-0.67 over seeds 0-2), flips spread over all splits.
    assert recall >= 0.75 and precision >= 0.55, (recall, precision)
    assert (issues.table["self_confidence"].diff().dropna() >= 0).all()  # most suspicious first


def test_loan_approval_flips_are_found_better_than_chance():
    issues, flipped, train = training_issues("loan_approval", n_rows=5_000)
    recall, precision = detection_quality(issues.table.index, flipped, checked=train.index)
    # 5,000 rows here: 62% at 0.139 (README: 67% at 0.15 on 20,000); chance precision is 0.05.
    # The planted hard slice (the self-employed's unreliable records) makes unflipped rows look wrong too.
    assert recall >= 0.55 and precision >= 0.12, (recall, precision)


def test_out_of_fold_probabilities_need_two_classes_with_enough_rows():
    features, plan = pd.DataFrame({"x": np.arange(10.0)}), FeaturePlan(numeric=("x",), categorical=())
    with pytest.raises(ValueError, match="same label"):
        out_of_fold_probabilities(features, pd.Series(["a"] * 10), plan=plan)
    assert "same label" in ONE_CLASS
    with pytest.raises(ValueError, match="only 1 labeled"):
        out_of_fold_probabilities(features, pd.Series(["a"] * 9 + ["b"]), plan=plan)


def test_explanations_name_the_model_and_the_labelers():
    assert explain_issue("1", "7", 0.94, ["1", "1"]) == (
        "The model is 94% sure this is “7”; it was labeled “1” by two labelers."
    )
    assert explain_issue("1", "7", 0.6, ["1", "7", "1"]).endswith("labeled “1” by two labelers (of three).")
    assert explain_issue("0", "1", 0.8).endswith("labeled “0” in the data.")


def test_model_probabilities_keep_row_ids_and_class_names():
    from sklearn.linear_model import LogisticRegression

    from core.labeling.issues import model_probabilities

    features = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]}, index=pd.Index([10, 11, 12, 13], name="row_id"))
    model = LogisticRegression().fit(features, [0, 0, 1, 1])
    probs = model_probabilities(model, features)
    assert list(probs.columns) == ["0", "1"] and list(probs.index) == [10, 11, 12, 13]
    assert np.allclose(probs.to_numpy(), model.predict_proba(features))
