import numpy as np
import pytest
from sklearn import metrics as sk

from core.errors.scoring import METRICS, class_codes, group_counts, mask_counts, metric_values, row_loss


def sklearn_metric(metric, y_true, y_pred, n_classes):
    if metric == "accuracy":
        return sk.accuracy_score(y_true, y_pred)
    scorer = {"precision": sk.precision_score, "recall": sk.recall_score, "f1": sk.f1_score}[metric]
    options = {"labels": [1], "average": "macro"} if n_classes == 2 else {"average": "macro"}
    return scorer(y_true, y_pred, zero_division=0, **options)


@pytest.mark.parametrize("n_classes", [2, 3, 10])
@pytest.mark.parametrize("metric", METRICS)
def test_slice_metrics_equal_scikit_learn_on_boolean_masks(metric, n_classes):
    rng = np.random.default_rng(n_classes)
    true = rng.integers(0, n_classes, 2_000)
    pred = np.where(rng.random(2_000) < 0.7, true, rng.integers(0, n_classes, 2_000))
    groups = rng.integers(-1, 6, 2_000)
    counts = group_counts(groups, 6, true, pred, n_classes)
    values = metric_values(counts, metric)
    for g in range(6):
        mask = groups == g
        assert values[g] == pytest.approx(sklearn_metric(metric, true[mask], pred[mask], n_classes), abs=1e-12)
        single = metric_values(mask_counts(mask, true, pred, n_classes), metric)[0]
        assert single == pytest.approx(values[g])


def test_slice_missing_a_class_scores_like_scikit_learn():
    # A slice with no positive rows: precision and recall of the positive class are 0, as scikit-learn's.
    true, pred = np.array([0, 0, 0, 1]), np.array([0, 1, 0, 1])
    mask = np.array([True, True, True, False])
    for metric in METRICS:
        got = metric_values(mask_counts(mask, true, pred, 2), metric)[0]
        assert got == pytest.approx(sklearn_metric(metric, true[mask], pred[mask], 2))


def test_empty_group_has_no_metric():
    counts = group_counts(np.array([0, 0]), 2, np.array([0, 1]), np.array([0, 0]), 2)
    assert np.isnan(metric_values(counts, "accuracy")[1])


def test_class_codes_compare_as_text():
    assert class_codes([1, "7", 3], [1, 3, 7]).tolist() == [0, 2, 1]
    assert class_codes(["9"], [1, 3]).tolist() == [-1]


def test_row_loss_equals_log_loss():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet([1, 1, 1], 200)
    true = rng.integers(0, 3, 200)
    assert row_loss(proba, true).mean() == pytest.approx(sk.log_loss(true, proba, labels=[0, 1, 2]))
