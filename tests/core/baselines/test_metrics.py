"""Every score of `classification_scores`, from one confusion matrix, equals scikit-learn's on the same rows."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as sk

from core.baselines.metrics import classification_scores

CLASSES = {2: ["no", "yes"], 3: ["ant", "bee", "cat"], 5: list("abcde")}


def expected(y_true, y_pred, positive, weight):
    """The scores as scikit-learn computes them, called one by one."""
    common = dict(sample_weight=weight, zero_division=0)
    headline = dict(average="macro", labels=[positive], **common) if positive else dict(average="macro", **common)
    present = sorted(set(y_true))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a class predicted but absent from y_true only warns
        values = {"accuracy": sk.accuracy_score(y_true, y_pred, sample_weight=weight),
                  "balanced_accuracy": sk.balanced_accuracy_score(y_true, y_pred, sample_weight=weight),
                  "f1_macro": sk.f1_score(y_true, y_pred, average="macro", **common),
                  "precision": sk.precision_score(y_true, y_pred, **headline),
                  "recall": sk.recall_score(y_true, y_pred, **headline),
                  "f1": sk.f1_score(y_true, y_pred, **headline)}
        recall = sk.recall_score(y_true, y_pred, labels=present, average=None, **common)
    return values, dict(zip(present, recall))


@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weighted", [False, True])
def test_every_score_equals_scikit_learn(n_classes, seed, weighted):
    rng = np.random.default_rng(seed)
    classes = CLASSES[n_classes]
    n = int(rng.integers(1, 60))
    # Small groups often lack a class in the truth or in the predictions, as slices do.
    y_true = list(rng.choice(classes[: max(1, n_classes - seed % 2)], n))
    y_pred = list(np.where(rng.random(n) < 0.6, y_true, rng.choice(classes, n)))
    weight = rng.uniform(0.5, 2.0, n) if weighted else None
    scores = classification_scores(y_true, y_pred, classes=classes, sample_weight=weight)
    values, recall = expected(y_true, y_pred, classes[-1] if n_classes == 2 else None, weight)
    assert scores.metrics == pytest.approx(values, abs=1e-12)
    assert scores.class_recall == pytest.approx(recall, abs=1e-12)
    weights = np.ones(n) if weight is None else weight
    assert scores.class_n == pytest.approx({c: weights[np.array(y_true) == c].sum() for c in set(y_true)})


def test_a_group_holding_only_the_negative_class_scores_zero_for_the_positive_class():
    scores = classification_scores(["no", "no"], ["no", "no"], classes=["no", "yes"])
    assert scores.metrics["accuracy"] == 1.0
    assert (scores.metrics["precision"], scores.metrics["recall"], scores.metrics["f1"]) == (0.0, 0.0, 0.0)
