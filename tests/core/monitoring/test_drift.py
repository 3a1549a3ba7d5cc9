"""Drift statistics against scipy on the same data, Evidently's defaults, PSI, and bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.spatial import distance

from core.monitoring import stattests
from core.monitoring.drift import (
    DRIFT_METHODS, column_drift, dataset_drift, default_method, domain_classifier_auc, psi,
)

RNG = np.random.default_rng(7)


def normal(n, shift=0.0, scale=1.0, seed=0):
    return pd.Series(np.random.default_rng(seed).normal(shift, scale, n))


def categories(n, shares, seed=0, levels="abcdefgh"):
    return pd.Series(np.random.default_rng(seed).choice(list(levels[: len(shares)]), n, p=shares))


def test_ks_is_scipys_two_sample_p_value():
    ref, cur = normal(400), normal(600, 0.2, seed=1)
    result = column_drift("x", ref, cur, "numeric")
    assert result.method == "ks" and result.score_kind == "p_value"
    assert result.statistic == pytest.approx(stats.ks_2samp(ref, cur).pvalue, rel=1e-12)
    assert result.drifted == (result.statistic < 0.05)


def test_chisquare_is_scipys_goodness_of_fit_with_reference_counts_scaled_as_evidently_does():
    # Evidently (chisquare_stattest.py) calls scipy.stats.chisquare, not chi2_contingency.
    ref, cur = categories(700, [0.5, 0.3, 0.2]), categories(300, [0.4, 0.3, 0.3], seed=1)
    keys = ["a", "b", "c"]
    observed = cur.value_counts().reindex(keys).to_numpy(float)
    expected = ref.value_counts().reindex(keys).to_numpy(float) * len(cur) / len(ref)
    result = column_drift("c", ref, cur, "categorical")
    assert result.method == "chisquare"
    assert result.statistic == pytest.approx(stats.chisquare(observed, expected).pvalue, rel=1e-12)


def test_chisquare_differs_from_the_contingency_test_evidently_does_not_use():
    ref, cur = categories(700, [0.5, 0.3, 0.2]), categories(300, [0.4, 0.3, 0.3], seed=1)
    table = pd.concat([ref.value_counts(), cur.value_counts()], axis=1).to_numpy()
    ours = stattests.chisquare_p_value(ref.to_numpy(), cur.to_numpy(), "categorical")
    assert ours != pytest.approx(stats.chi2_contingency(table).pvalue, rel=1e-3)


def test_chisquare_of_a_value_the_reference_never_had_is_zero():
    ref, cur = pd.Series(list("aabbc") * 20), pd.Series(list("abcd") * 20)
    assert column_drift("c", ref, cur, "categorical").statistic == 0.0


def test_z_test_is_the_pooled_two_proportion_test_by_hand():
    ref, cur = pd.Series(["yes"] * 130 + ["no"] * 270), pd.Series(["yes"] * 90 + ["no"] * 110)
    p1, p2, n1, n2 = 270 / 400, 110 / 200, 400, 200  # share of "no", the first value sorted
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    result = column_drift("flag", ref, cur, "categorical")
    assert result.method == "z"
    assert result.statistic == pytest.approx(2 * (1 - stats.norm.cdf(abs(z))), rel=1e-12)


def test_z_test_of_one_and_the_same_value_is_one():
    assert column_drift("flag", pd.Series([1] * 50), pd.Series([1] * 30), "categorical").statistic == 1.0


def test_wasserstein_is_scipys_distance_over_the_reference_std():
    ref, cur = normal(5_000, scale=2.0), normal(4_000, 0.5, 2.5, seed=1)
    result = column_drift("x", ref, cur, "numeric")
    assert result.method == "wasserstein" and result.score_kind == "distance"
    expected = stats.wasserstein_distance(ref, cur) / np.std(ref)
    assert result.statistic == pytest.approx(expected, rel=1e-10)


def test_wasserstein_norm_is_at_least_a_thousandth_as_evidently_sets_it():
    ref, cur = pd.Series([3.0] * 2_000 + list(range(6))), pd.Series([3.0] * 1_000 + list(range(6)))
    expected = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    assert stattests.wasserstein_normed(ref.to_numpy(), cur.to_numpy(), "numeric") == pytest.approx(expected)


def test_wasserstein_on_large_samples_stays_within_its_stated_error_bound():
    ref = np.random.default_rng(1).lognormal(0, 1, 300_000)
    cur = np.random.default_rng(2).lognormal(0.05, 1, 250_000)
    approximate, bound = stattests.wasserstein_histogram(ref, cur)
    exact = stats.wasserstein_distance(ref, cur)
    assert abs(approximate - exact) <= bound
    normed = stattests.wasserstein_normed(ref, cur, "numeric")
    assert abs(normed - exact / np.std(ref)) <= stattests.WASSERSTEIN_MAX_ERROR


def test_wasserstein_falls_back_to_exact_when_an_outlier_makes_the_grid_coarse():
    # One value far out in 600,000: the grid's error bound is about 1.5e-3 of the std, above the limit.
    ref = np.r_[np.random.default_rng(1).normal(size=600_000), 1e12]
    cur = np.random.default_rng(2).normal(0.1, 1, 150_000)
    _, bound = stattests.wasserstein_histogram(ref, cur)
    assert bound / np.std(ref) > stattests.WASSERSTEIN_MAX_ERROR
    normed = stattests.wasserstein_normed(ref, cur, "numeric")
    assert normed == pytest.approx(stats.wasserstein_distance(ref, cur) / np.std(ref), rel=1e-9)


def test_jensenshannon_of_categories_is_scipys_over_the_union_of_values():
    ref = categories(3_000, [0.5, 0.3, 0.2])
    cur = categories(2_000, [0.3, 0.3, 0.2, 0.2], seed=1)
    keys = ["a", "b", "c", "d"]
    p = ref.value_counts().reindex(keys, fill_value=0).to_numpy() / len(ref)
    q = cur.value_counts().reindex(keys, fill_value=0).to_numpy() / len(cur)
    result = column_drift("c", ref, cur, "categorical")
    assert result.method == "jensenshannon"
    assert result.statistic == pytest.approx(distance.jensenshannon(p, q), rel=1e-12)


def test_jensenshannon_of_many_valued_numbers_uses_sturges_bins_over_both_samples():
    ref, cur = normal(2_000).round(2), normal(3_000, 0.3, seed=1).round(2)
    edges = np.histogram_bin_edges(np.r_[ref, cur], bins="sturges")
    p, q = np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)
    result = column_drift("x", ref, cur, "numeric", method="jensenshannon")
    assert result.statistic == pytest.approx(distance.jensenshannon(p, q), rel=1e-12)


def test_large_reference_numbers_with_few_values_use_jensenshannon():
    ref, cur = pd.Series(RNG.integers(0, 4, 2_000)), pd.Series(RNG.integers(0, 4, 500))
    assert column_drift("n", ref, cur, "numeric").method == "jensenshannon"


@pytest.mark.parametrize(
    ("n_ref", "values", "kind", "expected"),
    [
        (1_000, 6, "numeric", "ks"), (1_000, 5, "numeric", "chisquare"), (1_000, 2, "numeric", "z"),
        (1_000, 3, "categorical", "chisquare"), (1_000, 2, "categorical", "z"),
        (1_001, 6, "numeric", "wasserstein"), (1_001, 5, "numeric", "jensenshannon"),
        (1_001, 2, "categorical", "jensenshannon"), (1_001, 40, "categorical", "jensenshannon"),
        (50, 64, "image", "ks"),
    ],
)
def test_default_method_follows_evidentlys_switches(n_ref, values, kind, expected):
    reference = pd.Series(np.arange(n_ref) % values)
    assert default_method(reference, kind) == expected


def test_default_method_counts_distinct_values_over_both_samples_as_evidently_does():
    ref, cur = pd.Series([0, 1] * 100), pd.Series([2, 3, 4, 5] * 10)
    assert default_method(ref, "numeric") == "z"
    assert default_method(ref, "numeric", cur) == "ks"


def test_missing_and_infinite_values_are_dropped_before_the_test():
    ref = pd.Series([1.0, 2.0, np.nan, np.inf] * 100 + list(range(10)))
    cur = pd.Series([1.0, 2.5, -np.inf] * 100 + list(range(10)))
    result = column_drift("x", ref, cur, "numeric")
    clean_ref, clean_cur = ref[np.isfinite(ref)], cur[np.isfinite(cur)]
    assert (result.n_reference, result.n_current) == (len(clean_ref), len(clean_cur))
    assert result.statistic == pytest.approx(stats.ks_2samp(clean_ref, clean_cur).pvalue)


def test_psi_of_a_sample_with_itself_is_zero():
    x = normal(10_000)
    assert psi(x, x) == 0.0
    assert psi(categories(500, [0.2, 0.8]), categories(500, [0.2, 0.8]), kind="categorical") == 0.0


def test_psi_against_a_hand_computed_value():
    # Reference 1..10: the 9 inner deciles at 1.9, 2.8, ... 9.1 put one value in each of 10 bins.
    reference = pd.Series(np.arange(1.0, 11.0))
    current = pd.Series([1.0] * 5 + [10.0] * 5)  # half in the first bin, half in the last
    r, c_edge, c_zero = 0.1, 0.5, 0.0001  # empty current bins get Evidently's fill of 0.0001
    expected = 2 * (r - c_edge) * np.log(r / c_edge) + 8 * (r - c_zero) * np.log(r / c_zero)
    assert psi(reference, current) == pytest.approx(expected, rel=1e-12)


def test_psi_uses_ten_quantile_bins_of_the_reference():
    ref_shares, _ = stattests.psi_shares(normal(10_000).to_numpy(), normal(100).to_numpy(), "numeric")
    assert len(ref_shares) == 10 and np.allclose(ref_shares, 0.1, atol=1e-3)


def test_every_method_scores_identical_samples_as_not_drifted():
    x = normal(800).round(1)
    for name, method in DRIFT_METHODS.items():
        kind = "numeric" if method.numeric_only or name != "chisquare" else "categorical"
        assert not column_drift("x", x, x.sample(frac=1, random_state=1), kind, method=name).drifted, name


def test_empty_current_gives_a_note_and_no_decision():
    result = column_drift("x", normal(100), pd.Series([], dtype=float), "numeric")
    assert np.isnan(result.statistic) and not result.drifted
    assert "no rows" in result.note


def test_all_missing_current_gives_a_note_and_no_decision():
    result = column_drift("c", categories(100, [0.5, 0.5]), pd.Series([None] * 40, dtype=object), "categorical")
    assert np.isnan(result.statistic) and not result.drifted
    assert "All 40 current values are missing" in result.note


def test_one_row_reference_is_measured_with_a_note():
    result = column_drift("x", pd.Series([1.5]), normal(200), "numeric")
    assert result.method == "ks" and 0 <= result.statistic <= 1
    assert "Only 1 reference values" in result.note


def test_five_thousand_levels_are_measured_with_a_note():
    levels = np.array([f"id{i}" for i in range(5_000)])
    ref, cur = pd.Series(np.tile(levels, 4)), pd.Series(levels[RNG.integers(0, 5_000, 20_000)])
    result = column_drift("id", ref, cur, "categorical")
    # four rows a level: sampling noise alone puts the distance near the threshold, hence the note
    assert result.method == "jensenshannon" and 0 < result.statistic < 1
    assert "5,000 distinct values" in result.note


def test_text_columns_are_not_measured_and_say_so():
    result = column_drift("t", pd.Series(["a b"] * 5), pd.Series(["c"] * 5), "text")
    assert np.isnan(result.statistic) and "text" in result.note


def test_unknown_method_is_refused_by_name():
    with pytest.raises(ValueError, match="Unknown drift method 'kl'"):
        column_drift("x", normal(10), normal(10), "numeric", method="kl")


def test_a_numbers_only_method_on_categories_gives_a_note():
    result = column_drift("c", categories(50, [0.5, 0.5]), categories(50, [0.5, 0.5]), "categorical", method="ks")
    assert np.isnan(result.statistic) and "compares numbers" in result.note


def test_threshold_can_be_set_per_column():
    ref, cur = normal(2_000), normal(2_000, 0.15, seed=1)
    assert column_drift("x", ref, cur, "numeric").drifted
    assert not column_drift("x", ref, cur, "numeric", threshold=0.5).drifted


def test_dataset_drift_is_the_share_of_drifted_measured_columns():
    ref = pd.DataFrame({"a": normal(2_000), "b": normal(2_000, seed=2), "c": categories(2_000, [0.5, 0.5])})
    cur = pd.DataFrame({"a": normal(2_000, 1.0, seed=3), "b": normal(2_000, seed=4), "c": [None] * 2_000})
    result = dataset_drift(ref, cur, {"a": "numeric", "b": "numeric", "c": "categorical"})
    assert [c.drifted for c in result.columns] == [True, False, False]
    assert result.share_drifted == 0.5 and result.drifted  # c is not measured: 1 of 2
    assert not dataset_drift(ref, cur, {"a": "numeric", "b": "numeric"}, share_threshold=0.6).drifted


def test_domain_classifier_auc_is_near_half_without_drift_and_high_with_it():
    ref = pd.DataFrame({"x": normal(1_500), "c": categories(1_500, [0.5, 0.5])})
    same = pd.DataFrame({"x": normal(1_500, seed=5), "c": categories(1_500, [0.5, 0.5], seed=5)})
    moved = pd.DataFrame({"x": normal(1_500, 1.5, seed=6), "c": categories(1_500, [0.5, 0.5], seed=6)})
    kinds = {"x": "numeric", "c": "categorical"}
    assert abs(domain_classifier_auc(ref, same, kinds) - 0.5) < 0.05
    assert domain_classifier_auc(ref, moved, kinds) > 0.8
    assert np.isnan(domain_classifier_auc(ref, moved.head(2), kinds))


def test_a_reference_gridded_once_gives_scipys_distance_within_the_bound_even_past_its_range():
    ref = np.random.default_rng(1).normal(size=300_000)
    gridded = stattests.GriddedNumbers.of(ref)
    for shift in (0.0, 0.3, 8.0):  # the last window lies mostly beyond the reference's largest value
        cur = np.random.default_rng(2).normal(shift, 1.2, 50_000)
        exact = stats.wasserstein_distance(ref, cur) / np.std(ref)
        assert abs(stattests.wasserstein_normed(gridded, cur, "numeric") - exact) <= stattests.WASSERSTEIN_MAX_ERROR


def test_a_reference_counted_once_gives_the_same_categorical_scores():
    ref, cur = categories(5_000, [0.5, 0.3, 0.2]), categories(800, [0.3, 0.3, 0.2, 0.2], seed=1)
    counted = stattests.CountedCategories.of(ref)
    for statistic in (stattests.jensenshannon_distance, stattests.chisquare_p_value, stattests.psi):
        assert statistic(counted, cur, "categorical") == pytest.approx(statistic(ref, cur, "categorical"), rel=1e-12)
