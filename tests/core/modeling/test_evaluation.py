import math
import os
import time

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as sk

from core.modeling.evaluation import (
    evaluate_predictions,
    machine_busy,
    predict_latency_ms,
    slice_metrics,
    slice_table,
)
from core.predictions import predictions_frame


def random_predictions(n_classes, n_rows=400, seed=0, labels=None):
    rng = np.random.default_rng(seed)
    classes = labels or list(range(n_classes))
    proba = rng.dirichlet(np.ones(n_classes), size=n_rows)
    y_true = np.asarray(classes, dtype=object)[rng.integers(0, n_classes, n_rows)]
    y_pred = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
    if labels is None:
        y_true, y_pred = y_true.astype(int), y_pred.astype(int)
    return predictions_frame(np.arange(n_rows) * 3, y_true, y_pred, proba, classes=classes), classes


@pytest.mark.parametrize("labels", [None, ["benign", "malignant"]])
def test_binary_metrics_equal_scikit_learn_with_the_last_class_positive(labels):
    frame, classes = random_predictions(2, labels=labels)
    got = evaluate_predictions(frame, classes=classes).metrics
    y, p, positive = frame["label"], frame["prediction"], classes[-1]
    assert got["accuracy"] == pytest.approx(sk.accuracy_score(y, p))
    assert got["balanced_accuracy"] == pytest.approx(sk.balanced_accuracy_score(y, p))
    assert got["precision"] == pytest.approx(sk.precision_score(y, p, pos_label=positive))
    assert got["recall"] == pytest.approx(sk.recall_score(y, p, pos_label=positive))
    assert got["f1"] == pytest.approx(sk.f1_score(y, p, pos_label=positive))
    assert got["f1_macro"] == pytest.approx(sk.f1_score(y, p, average="macro"))
    assert got["roc_auc"] == pytest.approx(sk.roc_auc_score(y == positive, frame[f"proba_{positive}"]))
    assert got["log_loss"] == pytest.approx(sk.log_loss(y, frame[[f"proba_{c}" for c in classes]], labels=classes))


def test_multiclass_metrics_are_macro_averages_and_one_vs_rest_auc():
    frame, classes = random_predictions(4)
    evaluation = evaluate_predictions(frame, classes=classes)
    y, p = frame["label"], frame["prediction"]
    proba = frame[[f"proba_{c}" for c in classes]].to_numpy()
    assert evaluation.metrics["f1"] == pytest.approx(sk.f1_score(y, p, average="macro"))
    assert evaluation.metrics["precision"] == pytest.approx(sk.precision_score(y, p, average="macro"))
    assert evaluation.metrics["roc_auc"] == pytest.approx(sk.roc_auc_score(y, proba, multi_class="ovr", labels=classes))
    assert evaluation.metrics["log_loss"] == pytest.approx(sk.log_loss(y, proba, labels=classes))
    assert (evaluation.confusion.to_numpy() == sk.confusion_matrix(y, p, labels=classes)).all()
    f1 = sk.f1_score(y, p, average=None, labels=classes)
    assert np.allclose(evaluation.per_class["f1"], f1)
    assert list(evaluation.per_class["support"]) == [int((y == c).sum()) for c in classes]


def test_shuffling_rows_leaves_every_metric_unchanged():
    frame, classes = random_predictions(3, seed=4)
    before = evaluate_predictions(frame, classes=classes).metrics
    after = evaluate_predictions(frame.sample(frac=1, random_state=1), classes=classes).metrics
    assert before == pytest.approx(after)


def test_known_answers_perfect_and_one_class_present():
    proba = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    perfect = evaluate_predictions(predictions_frame([1, 2, 3], [0, 1, 0], [0, 1, 0], proba, classes=[0, 1]),
                                   classes=[0, 1]).metrics
    assert perfect["accuracy"] == perfect["f1"] == perfect["roc_auc"] == 1.0 and perfect["n_rows"] == 3
    single = evaluate_predictions(predictions_frame([1, 2], [1, 1], [1, 0], np.array([[0.2, 0.8], [0.6, 0.4]]),
                                                    classes=[0, 1]), classes=[0, 1]).metrics
    assert math.isnan(single["roc_auc"]) and single["accuracy"] == 0.5


def test_to_dict_is_json_safe_and_empty_predictions_are_refused():
    proba = np.array([[0.2, 0.8], [0.6, 0.4]])
    evaluation = evaluate_predictions(predictions_frame([1, 2], [1, 1], [1, 0], proba, classes=[0, 1]), classes=[0, 1])
    stored = evaluation.to_dict()
    assert stored["metrics"]["roc_auc"] is None
    assert stored["confusion"] == {"labels": ["0", "1"], "matrix": [[0, 0], [1, 1]]}
    with pytest.raises(ValueError, match="no labelled rows"):
        evaluate_predictions(predictions_frame([], [], [], np.empty((0, 2)), classes=[0, 1]), classes=[0, 1])


class CountingModel:
    """Predicts zeros; the first `slow_calls` calls take 50 ms, as a cold model's first calls do."""

    def __init__(self, slow_calls: int = 0, seconds: float = 0.0):
        self.calls, self.slow_calls, self.seconds = [], slow_calls, seconds

    def predict(self, rows):
        self.calls.append(len(rows))
        time.sleep(0.05 if len(self.calls) <= self.slow_calls else self.seconds)
        return np.zeros(len(rows))


def test_latency_times_one_row_at_a_time_after_warm_up_and_reports_the_calls():
    model = CountingModel()
    latency = predict_latency_ms(model, pd.DataFrame({"x": range(30)}), n_rows=20, max_calls=150)
    assert model.calls == [1] * (5 + 150) and latency.calls == 150  # rows are cycled through
    assert 0 <= latency.p50_ms <= latency.p95_ms
    assert latency.to_timings()["latency_calls"] == 150


def test_slow_first_calls_do_not_set_the_p95():
    # Before: no warm-up and as few as 20 timed calls, so three cold 50 ms calls made the p95.
    latency = predict_latency_ms(CountingModel(slow_calls=3), pd.DataFrame({"x": range(50)}))
    assert latency.calls >= 100 and latency.p95_ms < 20


def test_latency_stops_at_its_time_budget_after_the_minimum_calls():
    model = CountingModel(seconds=0.002)
    latency = predict_latency_ms(model, pd.DataFrame({"x": range(50)}), warm_up=0, min_calls=30, budget_seconds=0.01)
    assert latency.calls == len(model.calls) == 30


def test_a_process_held_off_the_cpu_is_reported_busy(monkeypatch):
    # A sleeping predict uses no CPU: as if other work held the core for the whole measurement.
    latency = predict_latency_ms(CountingModel(seconds=0.001), pd.DataFrame({"x": range(5)}), warm_up=0,
                                 min_calls=20, max_calls=20)
    assert latency.cpu_share < 0.5 and latency.busy
    monkeypatch.setattr(os, "getloadavg", lambda: (16.0, 8.0, 4.0))
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert predict_latency_ms(CountingModel(), pd.DataFrame({"x": [1]}), min_calls=5, max_calls=5).load_per_core == 4.0


@pytest.mark.parametrize("cpu_share, load_per_core, busy", [
    (1.0, 0.2, False), (0.8, 1.0, False), (0.79, 0.2, True), (1.9, 1.01, True),
])
def test_busy_means_less_than_most_of_a_core_or_more_runnable_work_than_cores(cpu_share, load_per_core, busy):
    assert machine_busy(cpu_share, load_per_core) is busy


def test_slice_metrics_equal_scikit_learn_on_each_group_and_use_the_target_keys():
    frame, classes = random_predictions(2, seed=5)
    groups = pd.DataFrame({"sex": np.where(frame.index % 2 == 0, "F", "M")}, index=frame.index)
    scores = slice_metrics(frame, groups, classes=classes)
    women = frame[groups["sex"] == "F"]
    assert scores["recall[sex=F]"] == pytest.approx(sk.recall_score(women["label"], women["prediction"]))
    assert scores["accuracy[sex=M]"] == pytest.approx(
        sk.accuracy_score(frame[groups["sex"] == "M"]["label"], frame[groups["sex"] == "M"]["prediction"]))
    assert len(scores) == 2 * 7
    assert scores["n_rows[sex=F]"] == len(women) and scores["n_rows[sex=M]"] == len(frame) - len(women)


def test_slice_table_pivots_slice_keys_and_ignores_overall_ones():
    table = slice_table({"f1": 0.8, "f1[sex=F]": 0.7, "f1[sex=M]": 0.9, "recall[sex=F]": 0.6, "n_rows": 10})
    assert list(table.index) == ["sex=F", "sex=M"] and list(table.columns) == ["n_rows", "f1", "recall", "note"]
    assert table.loc["sex=M", "f1"] == 0.9 and np.isnan(table.loc["sex=M", "recall"])
    assert list(table["note"]) == ["rows not recorded: read with care"] * 2  # a run stored before slices kept n
    assert slice_table({"f1": 0.8}).empty


def test_slice_table_shows_each_slices_rows_and_flags_those_below_the_minimum():
    metrics = {"f1[sex=F]": 0.0, "n_rows[sex=F]": 1, "f1[sex=M]": 0.7, "n_rows[sex=M]": 240}
    table = slice_table(metrics)
    assert table["n_rows"].to_dict() == {"sex=F": 1, "sex=M": 240}
    assert table["note"].to_dict() == {"sex=F": "too few rows (1 < 30)", "sex=M": ""}
    assert (slice_table(metrics, min_rows=1)["note"] == "").all()
