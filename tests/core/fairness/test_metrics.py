"""Group metrics against fairlearn's MetricFrame, hand-counted cases, and the bootstrap's properties."""

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate, true_positive_rate,
)
from scipy.stats import bootstrap
from sklearn.metrics import accuracy_score, precision_score

from core.fairness.metrics import METRICS, confusion_by_group, group_metrics
from tests.core.fairness.fairness_factories import hand_case, loan_decisions


def _ratio(top, bottom):
    return lambda y, p: (((top(y, p)).sum() / bottom(y, p).sum()) if bottom(y, p).sum() else np.nan)


# fairlearn and scikit-learn definitions of each metric, for MetricFrame.
FAIRLEARN = {
    "count": count,
    "base_rate": lambda y, p: np.mean(y),
    "selection_rate": selection_rate,
    "accuracy": accuracy_score,
    "precision": lambda y, p: precision_score(y, p, zero_division=np.nan),
    "tpr": true_positive_rate,
    "fpr": false_positive_rate,
    "fnr": false_negative_rate,
    "for": _ratio(lambda y, p: (y == 1) & (p == 0), lambda y, p: p == 0),
    "fdr": _ratio(lambda y, p: (y == 0) & (p == 1), lambda y, p: p == 1),
    "fp_share": lambda y, p: np.mean((y == 0) & (p == 1)),
    "fn_share": lambda y, p: np.mean((y == 1) & (p == 0)),
}


def fairlearn_frame(frame, sensitive):
    return MetricFrame(metrics=FAIRLEARN, y_true=frame["label"], y_pred=frame["prediction"],
                       sensitive_features=sensitive)


@pytest.mark.parametrize("columns", [["sex"], ["age_band"], ["sex", "region"]])
def test_group_metrics_equal_metricframe_on_the_loan_scenario(columns):
    frame = loan_decisions()
    groups = frame[columns].astype(str).agg(" × ".join, axis=1)
    ours = group_metrics(frame["label"], frame["prediction"], groups, positive=1, n_resamples=0)
    theirs = fairlearn_frame(frame, groups)
    pd.testing.assert_frame_equal(ours.values, theirs.by_group[list(METRICS)].astype(float), check_names=False,
                                  atol=1e-12)
    pd.testing.assert_series_equal(ours.overall, theirs.overall[list(METRICS)].astype(float), check_names=False,
                                   atol=1e-12)


def test_hand_case_counts_and_undefined_rates():
    case = hand_case()
    result = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=0)
    # a: tp 2 (rows 0, 4), fn 1, fp 1, tn 2.  b: no positive labels.  c: nobody selected.
    assert confusion_by_group(case["label"], case["prediction"], case["group"], positive=1).loc["a"].tolist() == [2, 1, 1, 2]
    a, b, c = (result.values.loc[g] for g in "abc")
    assert (a["tpr"], a["precision"], a["selection_rate"]) == (2 / 3, 2 / 3, 0.5)
    assert np.isnan(b["tpr"]) and np.isnan(b["fnr"]) and b["fpr"] == 0.5
    assert np.isnan(c["precision"]) and np.isnan(c["fdr"]) and c["for"] == 0.4 and c["selection_rate"] == 0
    theirs = fairlearn_frame(case, case["group"]).by_group[list(METRICS)].astype(float)
    # fairlearn's rate functions return 0 where the rate is undefined; here it stays undefined.
    assert theirs.loc["b", "tpr"] == 0 and theirs.loc["b", "fnr"] == 0
    pd.testing.assert_frame_equal(result.values, theirs.mask(result.values.isna()), check_names=False)


def test_hidden_group_case_other_positive_label():
    """Text labels, positive class 'yes', groups in no particular order: the same as MetricFrame on booleans."""
    rng = np.random.default_rng(3)
    label = rng.choice(["no", "yes"], 400)
    prediction = np.where(rng.random(400) < 0.8, label, rng.choice(["no", "yes"], 400))
    groups = rng.choice(["z", "x", "y"], 400, p=[0.6, 0.3, 0.1])
    ours = group_metrics(label, prediction, groups, positive="yes", n_resamples=0)
    theirs = fairlearn_frame(pd.DataFrame({"label": label == "yes", "prediction": prediction == "yes"}).astype(int),
                             groups)
    pd.testing.assert_frame_equal(ours.values, theirs.by_group[list(METRICS)].astype(float), check_names=False)


def test_row_order_does_not_change_the_metrics():
    frame = loan_decisions(n_rows=2000)
    shuffled = frame.sample(frac=1, random_state=1)
    a = group_metrics(frame["label"], frame["prediction"], frame["sex"], positive=1, n_resamples=50, seed=4)
    b = group_metrics(shuffled["label"], shuffled["prediction"], shuffled["sex"], positive=1, n_resamples=50, seed=4)
    pd.testing.assert_frame_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.lower, b.lower)


def test_bootstrap_is_seeded_reproducible_and_covers_the_point_estimate():
    frame = loan_decisions(n_rows=4000)
    runs = [group_metrics(frame["label"], frame["prediction"], frame["age_band"], positive=1, n_resamples=200,
                          seed=seed) for seed in (7, 7, 8)]
    pd.testing.assert_frame_equal(runs[0].lower, runs[1].lower)
    pd.testing.assert_frame_equal(runs[0].upper, runs[1].upper)
    assert not runs[0].lower.equals(runs[2].lower)
    defined = runs[0].values.notna()
    assert ((runs[0].lower <= runs[0].values + 1e-12) | ~defined).all().all()
    assert ((runs[0].upper >= runs[0].values - 1e-12) | ~defined).all().all()


def test_bootstrap_interval_matches_scipy_resampling_rows():
    """Drawing counts from a multinomial is the same bootstrap as resampling a group's rows (scipy's)."""
    frame = loan_decisions(n_rows=4000)
    rows = frame[frame["sex"] == "F"]
    ours = group_metrics(rows["label"], rows["prediction"], rows["sex"], positive=1, n_resamples=4000, seed=0)
    correct = (rows["label"] == rows["prediction"]).to_numpy(dtype=float)
    scipy_ci = bootstrap((correct,), np.mean, n_resamples=4000, method="percentile", random_state=0).confidence_interval
    assert ours.lower.loc["F", "accuracy"] == pytest.approx(scipy_ci.low, abs=0.005)
    assert ours.upper.loc["F", "accuracy"] == pytest.approx(scipy_ci.high, abs=0.005)


def test_small_groups_are_marked_not_hidden_and_progress_is_reported():
    case = hand_case()
    seen = []
    result = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=60,
                           min_rows=5, progress=lambda done, total: seen.append((done, total)))
    assert list(result.values.index) == ["a", "b", "c"]
    assert result.small.to_dict() == {"a": False, "b": True, "c": False}
    assert seen[-1] == (60, 60) and len(seen) == 3


def test_undefined_metric_has_an_undefined_interval():
    case = hand_case()
    result = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=50)
    assert np.isnan(result.lower.loc["b", "tpr"]) and np.isnan(result.upper.loc["b", "tpr"])


@pytest.mark.parametrize("bad, message", [
    (dict(n_resamples=-1), "whole number from 0"),
    (dict(n_resamples=2.5), "whole number from 0"),
])
def test_bad_settings_are_refused(bad, message):
    case = hand_case()
    with pytest.raises(ValueError, match=message):
        group_metrics(case["label"], case["prediction"], case["group"], positive=1, **bad)


def test_mismatched_lengths_and_no_rows_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        confusion_by_group([1, 0], [1], ["a", "b"], positive=1)
    with pytest.raises(ValueError, match="no rows to audit"):
        confusion_by_group([], [], [], positive=1)
