"""Disparities and overall gaps against fairlearn; the reference choices; the planted bias found."""

import numpy as np
import pytest
from fairlearn.metrics import (
    MetricFrame, demographic_parity_difference, demographic_parity_ratio, equal_opportunity_difference,
    equalized_odds_difference, selection_rate, true_positive_rate,
)

from core.fairness.disparities import (
    disparity_table, flagged_groups, four_fifths_table, overall_disparities, reference_group, verdict,
)
from core.fairness.metrics import group_metrics
from tests.core.fairness.fairness_factories import hand_case, loan_decisions


def audited(frame, column):
    return group_metrics(frame["label"], frame["prediction"], frame[column], positive=1, n_resamples=0).values


@pytest.mark.parametrize("column", ["sex", "age_band", "region"])
def test_overall_gaps_equal_fairlearn_on_the_loan_scenario(column):
    frame = loan_decisions()
    gaps = overall_disparities(audited(frame, column))
    args = dict(y_true=frame["label"], y_pred=frame["prediction"], sensitive_features=frame[column])
    assert gaps["demographic_parity_difference"] == pytest.approx(demographic_parity_difference(**args), abs=1e-12)
    assert gaps["demographic_parity_ratio"] == pytest.approx(demographic_parity_ratio(**args), abs=1e-12)
    assert gaps["equalized_odds_difference"] == pytest.approx(equalized_odds_difference(**args), abs=1e-12)
    assert gaps["equal_opportunity_difference"] == pytest.approx(equal_opportunity_difference(**args), abs=1e-12)


def test_differences_and_ratios_equal_metricframe_against_the_reference():
    frame = loan_decisions()
    values = audited(frame, "age_band")
    reference = reference_group(values)
    table = disparity_table(values, reference)
    mf = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate}, y_true=frame["label"],
                     y_pred=frame["prediction"], sensitive_features=frame["age_band"])
    for metric in ("selection_rate", "tpr"):
        rows = table[table["metric"] == metric].set_index("group")
        expected = mf.by_group[metric]
        np.testing.assert_allclose(rows["difference"], expected - expected[reference], atol=1e-12)
        np.testing.assert_allclose(rows["ratio"], expected / expected[reference], atol=1e-12)
    # MetricFrame's own gap to the worst group equals the largest distance from the reference's value here.
    assert mf.difference(method="between_groups")["selection_rate"] == pytest.approx(
        values["selection_rate"].max() - values["selection_rate"].min())


def test_hand_case_gaps_skip_undefined_groups():
    case = hand_case()
    values = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=0).values
    gaps = overall_disparities(values)
    assert gaps["demographic_parity_difference"] == 0.5      # a 0.5, b 0.5, c 0
    assert gaps["demographic_parity_ratio"] == 0.0
    # tpr: a 2/3, c 0 (b undefined); fpr: a 1/3, b 1/2, c 0
    assert gaps["equalized_odds_difference"] == pytest.approx(2 / 3)
    table = disparity_table(values, "a")
    undefined = table[(table["group"] == "b") & (table["metric"] == "tpr")].iloc[0]
    assert np.isnan(undefined["ratio"]) and undefined["verdict"] == "undefined"


def test_reference_choices():
    case = hand_case()
    values = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=0).values
    assert reference_group(values) == "a"                                   # 6 rows, the largest
    assert reference_group(values, how="best", metric="selection_rate") == "a"  # a and b tie at 0.5: first
    assert reference_group(values, how="best", metric="fpr") == "c"            # lower is better
    assert reference_group(values, how="named", named="c") == "c"
    with pytest.raises(ValueError, match="no group 'q'"):
        reference_group(values, how="named", named="q")
    with pytest.raises(ValueError, match="one of largest, best, named"):
        reference_group(values, how="smallest")
    with pytest.raises(ValueError, match="not a group metric"):
        reference_group(values, how="best", metric="f1")


@pytest.mark.parametrize("ratio, expected", [(0.8, "fair"), (1.25, "fair"), (0.7999, "unfair"), (1.2501, "unfair"),
                                             (1.0, "fair"), (np.nan, "undefined"), (np.inf, "undefined")])
def test_four_fifths_verdict_at_the_edges(ratio, expected):
    assert verdict(ratio) == expected


def test_four_fifths_table_has_a_ratio_per_group_and_rate():
    values = audited(loan_decisions(n_rows=2000), "sex")
    table = four_fifths_table(disparity_table(values, "M"))
    assert list(table.index) == ["F", "M"] and (table.loc["M"].dropna() == 1).all()


def test_the_planted_bias_against_women_is_flagged():
    """loan_approval, seed 0, default bias 0.5: half of women's approvals were overturned in the labels.

    A model that sees sex learns it; the audit flags F on selection rate against the reference.
    """
    values = audited(loan_decisions(bias_strength=0.5), "sex")
    disparities = disparity_table(values, reference_group(values, how="named", named="M"))
    assert flagged_groups(disparities, "selection_rate") == ["F"]
    assert flagged_groups(disparities, "base_rate") == ["F"]


def test_no_bias_is_flagged_without_the_planted_bias():
    """The same scenario and seed with bias_strength 0: no group of sex is outside the band."""
    values = audited(loan_decisions(bias_strength=0.0), "sex")
    for how in ("largest", "best"):
        disparities = disparity_table(values, reference_group(values, how=how))
        assert flagged_groups(disparities, "selection_rate") == []
        assert flagged_groups(disparities, "base_rate") == []
