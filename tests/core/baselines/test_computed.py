"""Dummy and simple baselines against scikit-learn fitted and scored independently on the same rows."""

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as sk
from sklearn.dummy import DummyClassifier

from core.baselines.metrics import BaselineScores
from core.baselines.computed import (
    LEGACY_RULES,
    MODEL_BASELINES,
    NO_SPLIT_ROWS,
    ONE_CLASS_TRAIN,
    baseline_data,
    legacy_predictions,
    predict_baseline,
    score_predictions,
    slice_candidates,
)
from core.data.scenarios import generate_scenario

KINDS = {"x": "numeric", "colour": "categorical", "note": "text", "y": "categorical"}


def three_class_frame(n_rows=300, seed=0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    y = rng.choice(["ant", "bee", "cat"], size=n_rows, p=[0.6, 0.3, 0.1])
    frame = pd.DataFrame({"x": rng.normal(size=n_rows) + (y == "bee") * 2, "colour": rng.choice(["red", "blue"], n_rows),
                          "note": "free text", "y": y}, index=pd.RangeIndex(n_rows, name="row_id"))
    split = pd.Series(rng.choice(["train", "dev", "test"], n_rows, p=[0.6, 0.2, 0.2]), index=frame.index)
    return frame, split


def data_of(frame, split):
    return baseline_data(frame, split, target="y", features=["x", "colour", "note"], column_kinds=KINDS,
                         slice_candidates=slice_candidates(KINDS, exclude=("y",)))


def sklearn_dummy_scores(frame, split, strategy, seed):
    train, dev = frame[split == "train"], frame[split == "dev"]
    model = DummyClassifier(strategy=strategy, random_state=seed).fit(train[["x"]], train["y"])
    predicted = model.predict(dev[["x"]])
    return dev["y"], predicted


@pytest.mark.parametrize("strategy", ["most_frequent", "stratified", "prior"])
@pytest.mark.parametrize("seed", [0, 7])
def test_dummy_baselines_equal_sklearn_dummy_classifier(strategy, seed):
    frame, split = three_class_frame(seed=seed)
    data = data_of(frame, split)
    scores = score_predictions(data, predict_baseline(strategy, data, random_state=seed)).overall
    truth, predicted = sklearn_dummy_scores(frame, split, strategy, seed)
    assert scores.n == len(truth)
    assert scores.metrics["accuracy"] == pytest.approx(sk.accuracy_score(truth, predicted))
    assert scores.metrics["balanced_accuracy"] == pytest.approx(sk.balanced_accuracy_score(truth, predicted))
    assert scores.metrics["f1_macro"] == pytest.approx(sk.f1_score(truth, predicted, average="macro", zero_division=0))
    recall = sk.recall_score(truth, predicted, average=None, labels=["ant", "bee", "cat"], zero_division=0)
    assert [scores.class_recall[c] for c in ["ant", "bee", "cat"]] == pytest.approx(list(recall))


def test_most_frequent_scores_the_majority_share_known_answer():
    frame, split = three_class_frame()
    data = data_of(frame, split)
    scores = score_predictions(data, predict_baseline("most_frequent", data)).overall
    dev = frame.loc[split == "dev", "y"]
    assert data.train["y"].mode()[0] == "ant"
    assert scores.metrics["accuracy"] == pytest.approx((dev == "ant").mean())
    assert scores.metrics["balanced_accuracy"] == pytest.approx(1 / 3)  # one class of three always right
    assert scores.class_recall == {"ant": 1.0, "bee": 0.0, "cat": 0.0}


def test_binary_prior_ranks_nothing_and_logistic_regression_equals_sklearn():
    frame, split = three_class_frame()
    frame["y"] = np.where(frame["y"] == "bee", "yes", "no")
    data = data_of(frame, split)
    prior = score_predictions(data, predict_baseline("prior", data)).overall
    assert prior.metrics["roc_auc"] == pytest.approx(0.5)
    assert prior.metrics["recall"] == 0.0  # "yes", the positive class, is never predicted
    predictions = predict_baseline("logistic_regression", data)
    scores = score_predictions(data, predictions).overall
    dev = frame.loc[split == "dev"]
    assert scores.metrics["roc_auc"] == pytest.approx(sk.roc_auc_score(dev["y"] == "yes", predictions.positive_scores))
    assert scores.metrics["f1"] == pytest.approx(sk.f1_score(dev["y"], predictions.labels, pos_label="yes"))
    assert scores.metrics["accuracy"] > prior.metrics["accuracy"]  # x tells bees apart


def test_slices_equal_scores_on_the_rows_of_each_value():
    frame, split = three_class_frame()
    data = data_of(frame, split)
    predictions = predict_baseline("logistic_regression", data)
    result = score_predictions(data, predictions)
    assert set(result.slices) == {"colour"}
    dev = frame.loc[split == "dev"]
    for colour in ["red", "blue"]:
        rows = (dev["colour"] == colour).to_numpy()
        expected = sk.balanced_accuracy_score(dev["y"][rows], predictions.labels[rows])
        assert result.slices["colour"][colour].metrics["balanced_accuracy"] == pytest.approx(expected)
        assert result.slices["colour"][colour].n == rows.sum()
    assert result.flat_metrics()["accuracy[colour=red]"] == result.slices["colour"]["red"].metrics["accuracy"]


def test_scores_survive_a_round_trip_through_json():
    frame, split = three_class_frame()
    data = data_of(frame, split)
    result = score_predictions(data, predict_baseline("stratified", data))
    parts = result.overall.to_dict(), result.slices_to_dict()
    assert BaselineScores.from_parts(*parts) == result


def test_row_order_does_not_change_the_scores():
    frame, split = three_class_frame()
    shuffled = frame.sample(frac=1, random_state=3)
    data, moved = data_of(frame, split), data_of(shuffled, split)
    original = score_predictions(data, predict_baseline("logistic_regression", data)).overall.metrics
    reordered = score_predictions(moved, predict_baseline("logistic_regression", moved)).overall.metrics
    assert reordered == pytest.approx(original)


def test_refusals_name_the_problem():
    frame, split = three_class_frame()
    with pytest.raises(ValueError, match="dev split has no rows"):
        data_of(frame, split.replace("dev", "test"))
    one_class = frame.assign(y="ant")
    with pytest.raises(ValueError) as error:
        predict_baseline("most_frequent", data_of(one_class, split))
    assert str(error.value) == ONE_CLASS_TRAIN.format(value="ant")
    with pytest.raises(ValueError, match="not a baseline model"):
        predict_baseline("random_forest", data_of(frame, split))
    assert "{split}" in NO_SPLIT_ROWS


def test_legacy_rule_of_loan_approval_scores_the_rule_by_hand():
    scenario = generate_scenario("loan_approval", n_rows=2000)
    frame = scenario.frame
    split = pd.Series(np.where(frame.index % 5 == 0, "dev", "train"), index=frame.index)
    data = baseline_data(frame, split, target="approved", features=[], column_kinds={}, slice_candidates=[])
    scores = score_predictions(data, legacy_predictions(data, LEGACY_RULES["loan_approval"])).overall
    dev = frame[split == "dev"]
    rule = ((dev["credit_score"] >= 650) & (dev["debt_to_income"] < 0.40)).astype(int)
    assert scores.metrics["accuracy"] == pytest.approx((rule == dev["approved"]).mean())
    assert "roc_auc" not in scores.metrics  # a rule gives decisions, not probabilities
    assert set(MODEL_BASELINES) == {"most_frequent", "stratified", "prior", "logistic_regression"}
