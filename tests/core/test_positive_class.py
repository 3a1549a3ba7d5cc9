"""A chosen positive class that is not the default, on string classes: every stage's scores equal scikit-learn's
with ``pos_label`` set to it (runs, baselines, error analysis, fairness), and the default stays the last class."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, log_loss, precision_recall_curve, precision_score, recall_score, roc_auc_score

from core.baselines.metrics import classification_scores, positive_class as baseline_positive
from core.errors.classes import threshold_curve
from core.errors.data import analysis_data
from core.errors.scoring import mask_counts, metric_values
from core.fairness.audit import positive_class as audited_positive
from core.fairness.metrics import group_metrics
from core.modeling.evaluation import evaluate_predictions
from core.predictions import positive_last, predictions_frame

CLASSES = ["benign", "malignant"]  # sorted: "malignant" is the default positive class


@pytest.fixture(scope="module")
def rows():
    """200 rows with a skewed, imperfect classifier, so every class's scores differ."""
    rng = np.random.default_rng(7)
    truth = np.where(rng.random(200) < 0.35, "benign", "malignant")
    p_benign = np.clip(np.where(truth == "benign", 0.65, 0.3) + rng.normal(0, 0.2, 200), 0.01, 0.99)
    predicted = np.where(p_benign > 0.5, "benign", "malignant")
    proba = np.column_stack([p_benign, 1 - p_benign])  # columns in sorted class order
    frame = predictions_frame(np.arange(200), truth, predicted, proba, classes=CLASSES)
    groups = pd.Series(np.where(rng.random(200) < 0.4, "F", "M"), index=frame.index)
    return frame, groups


def sklearn_headline(frame, positive, mask=slice(None)):
    truth, predicted = frame["label"].to_numpy()[mask], frame["prediction"].to_numpy()[mask]
    return [metric(truth, predicted, pos_label=positive) for metric in (precision_score, recall_score, f1_score)]


def test_the_choice_orders_the_classes_and_refuses_a_class_the_target_lacks():
    assert positive_last(CLASSES, "benign") == ["malignant", "benign"]
    assert positive_last(CLASSES) == CLASSES and positive_last(CLASSES, "malignant") == CLASSES
    assert positive_last([0, 1, 2], "0") == [0, 1, 2]  # more than two classes: averaged, no positive
    with pytest.raises(ValueError, match="“healthy” is not one of the target's two classes"):
        positive_last(CLASSES, "healthy")


@pytest.mark.parametrize("positive", ["benign", "malignant", None])
def test_run_metrics_equal_scikit_learn_with_pos_label(rows, positive):
    frame, _ = rows
    metrics = evaluate_predictions(frame, classes=positive_last(CLASSES, positive)).metrics
    expected = sklearn_headline(frame, positive or "malignant")
    assert [metrics[k] for k in ("precision", "recall", "f1")] == pytest.approx(expected)
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(frame["label"] == "benign", frame["proba_benign"]))
    expected_loss = log_loss(frame["label"], frame[["proba_benign", "proba_malignant"]], labels=CLASSES)
    assert metrics["log_loss"] == pytest.approx(expected_loss)  # a measure of both classes: unchanged


def test_baseline_scores_equal_scikit_learn_with_pos_label(rows):
    frame, _ = rows
    classes = positive_last(CLASSES, "benign")
    scores = classification_scores(frame["label"], frame["prediction"], classes=classes,
                                   positive_scores=frame["proba_benign"]).metrics
    assert [scores[k] for k in ("precision", "recall", "f1")] == pytest.approx(sklearn_headline(frame, "benign"))
    assert scores["roc_auc"] == pytest.approx(roc_auc_score(frame["label"] == "benign", frame["proba_benign"]))
    assert baseline_positive(classes) == "benign" == audited_positive(classes)


def test_error_analysis_slices_and_pr_curve_use_the_chosen_class(rows):
    frame, groups = rows
    data = analysis_data(frame, groups.to_frame("sex"), classes=positive_last(CLASSES, "benign"),
                         numeric=[], categorical=["sex"])
    women = (groups == "F").to_numpy()
    counts = mask_counts(women, data.true, data.pred, data.n_classes)
    values = [metric_values(counts, m)[0] for m in ("precision", "recall", "f1")]
    assert values == pytest.approx(sklearn_headline(frame, "benign", women))
    curve = threshold_curve(data, positive=data.n_classes - 1)  # the page's default: the positive class
    precision, recall, thresholds = precision_recall_curve(frame["label"] == "benign", frame["proba_benign"])
    assert curve["threshold"].tolist() == pytest.approx(thresholds.tolist())
    assert curve["recall"].tolist() == pytest.approx(recall[:-1].tolist())


def test_fairness_rates_count_the_chosen_class_as_positive(rows):
    frame, groups = rows
    result = group_metrics(frame["label"], frame["prediction"], groups, positive="benign", n_resamples=0)
    for group in ("F", "M"):
        mask = (groups == group).to_numpy()
        truth, predicted = frame["label"].to_numpy()[mask], frame["prediction"].to_numpy()[mask]
        assert result.values.loc[group, "tpr"] == pytest.approx(recall_score(truth, predicted, pos_label="benign"))
        negatives = truth == "malignant"
        assert result.values.loc[group, "fpr"] == pytest.approx(np.mean(predicted[negatives] == "benign"))
