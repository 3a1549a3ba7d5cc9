"""Agreement measures against scikit-learn, statsmodels and the krippendorff package."""

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from core.labeling import agreement

TOLERANCE = 1e-9


def labelers(n_items=300, accuracies=(0.9, 0.8, 0.7), missing=0.2, classes=4, seed=0) -> pd.DataFrame:
    """Labelers of set accuracy on random true classes; a share of labels left out."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, n_items)
    columns = {}
    for i, accuracy in enumerate(accuracies):
        values = np.where(rng.random(n_items) < accuracy, truth, rng.integers(0, classes, n_items))
        labels = np.array([f"c{v}" for v in values], dtype=object)
        labels[rng.random(n_items) < missing] = None
        columns[f"labeler{i}"] = labels
    return pd.DataFrame(columns)


def reliability_data(matrix: pd.DataFrame) -> np.ndarray:
    codes, _ = agreement._codes(matrix)
    return np.where(codes.T >= 0, codes.T, np.nan).astype(float)


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_equals_scikit_learn_on_shared_items(seed):
    matrix = labelers(seed=seed)
    for a, b in [("labeler0", "labeler1"), ("labeler1", "labeler2"), ("labeler0", "labeler2")]:
        both = matrix[a].notna() & matrix[b].notna()
        expected = cohen_kappa_score(matrix.loc[both, a].astype(str), matrix.loc[both, b].astype(str))
        assert agreement.cohen_kappa(matrix[a], matrix[b]) == pytest.approx(expected, abs=TOLERANCE)


def test_pairwise_kappa_is_a_symmetric_matrix_of_the_pairs():
    matrix = labelers(seed=3)
    table = agreement.pairwise_kappa(matrix)
    assert list(table.index) == list(matrix.columns) == list(table.columns)
    assert np.allclose(table.to_numpy(), table.to_numpy().T) and (np.diag(table) == 1).all()
    assert table.loc["labeler0", "labeler2"] == agreement.cohen_kappa(matrix["labeler0"], matrix["labeler2"])


@pytest.mark.parametrize("seed", range(5))
def test_fleiss_kappa_equals_statsmodels_on_fully_labeled_items(seed):
    matrix = labelers(accuracies=(0.9, 0.75, 0.6, 0.8), missing=0.1, seed=seed)
    value, used = agreement.fleiss_kappa(matrix)
    complete = matrix.dropna()
    table, _ = aggregate_raters(complete.to_numpy())
    assert used == len(complete)
    assert value == pytest.approx(statsmodels_fleiss(table), abs=TOLERANCE)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("missing", [0.0, 0.3, 0.6])
def test_krippendorff_alpha_equals_the_reference_with_missing_labels(seed, missing):
    matrix = labelers(missing=missing, seed=seed)
    expected = krippendorff.alpha(reliability_data=reliability_data(matrix), level_of_measurement="nominal")
    assert agreement.krippendorff_alpha(matrix) == pytest.approx(expected, abs=TOLERANCE)


def test_identical_labelers_agree_perfectly():
    matrix = pd.DataFrame({"a": ["x", "y", "z", "x"], "b": ["x", "y", "z", "x"]})
    report = agreement.agreement_report(matrix)
    assert report.percent_agreement == 1 and report.fleiss_kappa == pytest.approx(1)
    assert report.krippendorff_alpha == pytest.approx(1) and report.pairwise_kappa.loc["a", "b"] == pytest.approx(1)


def test_percent_agreement_known_answer():
    # Item 1: 3 labels, pairs agree 1 of 3; item 2: both agree; item 3 has one label only.
    matrix = pd.DataFrame({"a": ["x", "y", "z"], "b": ["x", "y", None], "c": ["y", None, None]})
    assert agreement.percent_agreement(matrix) == pytest.approx((1 / 3 + 1) / 2)
    assert agreement.agreement_report(matrix).n_items == 2


def test_measures_do_not_depend_on_item_order():
    matrix = labelers(seed=7)
    shuffled = matrix.sample(frac=1, random_state=1)
    assert agreement.krippendorff_alpha(shuffled) == pytest.approx(agreement.krippendorff_alpha(matrix), abs=1e-12)
    assert agreement.percent_agreement(shuffled) == pytest.approx(agreement.percent_agreement(matrix), abs=1e-12)


def test_labeler_confusion_counts_pairs_of_classes_both_ways():
    matrix = pd.DataFrame({"a": ["1", "1", "3"], "b": ["7", "1", "8"]})
    confusion = agreement.labeler_confusion(matrix)
    assert confusion.loc["1", "7"] == confusion.loc["7", "1"] == 1
    assert confusion.loc["1", "1"] == 2  # one agreeing pair, counted in both directions
    top = agreement.most_confused(confusion)
    assert set(map(tuple, top[["class", "mixed up with"]].to_numpy())) == {("1", "7"), ("3", "8")}


def test_labeler_quality_is_agreement_with_the_others():
    matrix = pd.DataFrame({"a": ["x", "x", "y"], "b": ["x", "x", "x"], "c": ["x", None, "x"]})
    quality = agreement.labeler_quality(matrix)
    assert quality["a"] == pytest.approx(3 / 5)  # with b: 2 of 3, with c: 1 of 2
    assert quality["b"] == pytest.approx(4 / 5)


def test_too_little_data_gives_nan_not_an_error():
    matrix = pd.DataFrame({"a": ["x", None], "b": [None, "y"]})
    report = agreement.agreement_report(matrix)
    assert np.isnan(report.percent_agreement) and np.isnan(report.krippendorff_alpha) and report.fleiss_items == 0


def test_every_kappa_comes_with_the_shared_items_behind_it_and_few_are_flagged():
    matrix = labelers(n_items=60, seed=4)
    matrix.loc[3:, "labeler2"] = None  # labeler2 shares at most 3 items with the others
    report = agreement.agreement_report(matrix)
    for a, b in [("labeler0", "labeler1"), ("labeler0", "labeler2"), ("labeler1", "labeler2")]:
        both = int((matrix[a].notna() & matrix[b].notna()).sum())
        assert report.shared_items.loc[a, b] == report.shared_items.loc[b, a] == both
    pairs = agreement.kappa_pairs(report, min_items=20).set_index(["labeler A", "labeler B"])
    assert pairs.loc[("labeler0", "labeler1"), "note"] == ""
    few = pairs.loc[("labeler0", "labeler2")]
    assert few["shared items"] <= 3 and few["note"] == f"too few shared items ({few['shared items']} < 20)"
    assert agreement.kappa_pairs(report, min_items=2).loc[1, "note"] == ""  # the minimum is the user's


def test_the_kappa_heatmap_greys_pairs_with_few_items_and_shows_n():
    from core.labeling.charts import kappa_heatmap

    matrix = labelers(n_items=60, seed=4)
    matrix.loc[3:, "labeler2"] = None
    report = agreement.agreement_report(matrix)
    figure = kappa_heatmap(report.pairwise_kappa, report.shared_items, min_items=20)
    coloured, grey = figure.data
    n01, n02 = report.shared_items.loc["labeler0", "labeler1"], report.shared_items.loc["labeler0", "labeler2"]
    assert coloured.text[0][1].endswith(f"<br>n={n01}") and "(few)" not in coloured.text[0][1]
    assert "(few)" in grey.text[0][2] and grey.text[0][2].endswith(f"n={n02}")
    assert np.isnan(coloured.z[0][2]) and grey.z[0][2] == report.pairwise_kappa.loc["labeler0", "labeler2"]
    assert np.isnan(grey.z[0][1]) and "shared items" in coloured.hovertemplate
