"""Sensitive groups (binning, intersections, refusals) and the audit chart's traces."""

import numpy as np
import pandas as pd
import pytest

from core.fairness.charts import BAND_COLOUR, SMALL_COLOUR, metric_by_group_chart
from core.fairness.groups import MISSING_GROUP, attribute_groups, binned_ranges, check_groups, column_groups
from core.fairness.metrics import group_metrics
from tests.core.fairness.fairness_factories import hand_case


def test_numbers_are_binned_into_quantile_ranges_with_missing_kept():
    ages = pd.Series([18, 20, 30, 40, 50, 60, 70, 80, np.nan, 35, 45, 55])
    groups = column_groups(ages)
    assert groups.iloc[8] == MISSING_GROUP
    assert groups.nunique() == 5 and groups.iloc[0].startswith("[18, ") and groups.iloc[7].endswith("80]")
    edges = np.nanquantile(ages, [0, 0.25, 0.5, 0.75, 1])
    # each number falls in the range its quantile edges give
    assert groups.iloc[3] == f"[{edges[1]:g}, {edges[2]:g})"


def test_few_valued_numbers_and_text_are_kept_as_values():
    assert column_groups(pd.Series([1, 2, 1, 2])).tolist() == ["1", "2", "1", "2"]
    assert column_groups(pd.Series(["F", None, "M"])).tolist() == ["F", MISSING_GROUP, "M"]
    assert binned_ranges(pd.Series([5.0, 5.0, 5.0])).tolist() == ["5", "5", "5"]


def test_intersection_of_two_columns():
    frame = pd.DataFrame({"sex": ["F", "M", "F"], "band": ["young", "old", "old"]})
    groups = attribute_groups(frame, ["sex", "band"])
    assert groups.name == "sex × band" and groups.tolist() == ["F × young", "M × old", "F × old"]


@pytest.mark.parametrize("columns, message", [(["sex", "band", "x"], "one column or the intersection of two"),
                                              (["nope"], "not in the dataset")])
def test_bad_attribute_is_refused(columns, message):
    frame = pd.DataFrame({"sex": ["F", "M"], "band": ["a", "b"], "x": [1, 2]})
    with pytest.raises(ValueError, match=message):
        attribute_groups(frame, columns)


def test_one_group_and_too_many_groups_are_refused():
    with pytest.raises(ValueError, match="single group \\('F'\\)"):
        check_groups(pd.Series(["F", "F"], name="sex"))
    many = pd.Series([f"id{i}" for i in range(500)], name="applicant")
    with pytest.raises(ValueError, match="500 groups among the audited rows, more than 50"):
        check_groups(many)
    check_groups(pd.Series(["a", "b"], name="ok"))


def test_chart_traces_intervals_band_and_small_groups():
    case = hand_case()
    result = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=50, min_rows=5)
    figure = metric_by_group_chart(result, metric="selection_rate", reference="a")
    bars, ratios = figure.data
    assert list(bars.x) == ["a", "b", "c"] and list(bars.y) == [0.5, 0.5, 0.0]
    np.testing.assert_allclose(bars.error_y.array, result.upper["selection_rate"] - result.values["selection_rate"])
    assert list(ratios.y) == [1.0, 1.0, 0.0]
    assert bars.marker.color[1] == SMALL_COLOUR
    band = figure.layout.shapes[0]
    assert (band.y0, band.y1, band.fillcolor) == (0.8, 1.25, BAND_COLOUR)
    undefined = metric_by_group_chart(result, metric="tpr", reference="a")
    assert np.isnan(undefined.data[0].y[1])   # b has no positives: no bar, not a bar at 0
    with pytest.raises(ValueError, match="not a group metric"):
        metric_by_group_chart(result, metric="f1", reference="a")


def test_interval_and_ratio_tables_spell_out_undefined_and_small_groups():
    from core.fairness.disparities import disparity_table
    from core.fairness.presentation import interval_table, ratio_table, verdict_styles

    case = hand_case()
    result = group_metrics(case["label"], case["prediction"], case["group"], positive=1, n_resamples=40, min_rows=5)
    table = interval_table(result)
    assert table.loc["b", "true positive rate"] == "undefined" and table.loc["b", "too small to judge"] == "yes"
    assert table.loc["a", "selection rate"].startswith("0.500 (")
    ratios, verdicts = ratio_table(disparity_table(result.values, "a"))
    assert ratios.loc["c", "selection rate"] == 0 and verdicts.loc["c", "selection rate"] == "unfair"
    assert verdicts.loc["b", "true positive rate"] == "undefined"
    assert verdict_styles(verdicts).loc["a", "selection rate"] == "background-color: #d4edda"


def test_another_reference_recomputes_disparities_without_resampling():
    from core.fairness.audit import AuditSettings, run_audit, with_reference

    case = hand_case().assign(proba_1=0.5)
    audit = run_audit(case, case[["group"]], classes=[0, 1], settings=AuditSettings(attributes=(("group",),),
                                                                                     n_resamples=10, min_rows=1))[0]
    moved = with_reference(audit, "b", metric="selection_rate")
    assert moved.reference == "b" and moved.flagged == ("c",) and moved.metrics is audit.metrics
    with pytest.raises(ValueError, match="no group 'z'"):
        with_reference(audit, "z", metric="selection_rate")
