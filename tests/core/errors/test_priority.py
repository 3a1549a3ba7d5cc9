import numpy as np
import pytest
from scipy.stats import false_discovery_control

from core.errors.priority import (
    RUN_OVERALL, BaselineLookup, benjamini_hochberg, error_p_values, priority_chart, priority_table, severity,
)
from core.errors.slices import Condition, SlicePredicate
from core.errors.table import ScoredSlice


def scored(name, n, metric, column="c"):
    predicate = SlicePredicate((Condition(column, "==", name),))
    return ScoredSlice(predicate.text(), "feature", predicate, n, int(round(n * (1 - metric))), metric)


def test_priority_is_gap_times_share_times_ease_highest_first():
    # Course example: a small slice far below its baseline can rank below a big one a little below.
    slices = [scored("clean", 600, 0.94), scored("noisy", 300, 0.80), scored("rare", 100, 0.70)]
    baseline = BaselineLookup("HLP", 0.95, {("c", "noisy"): 0.90, ("c", "rare"): 0.95})
    table = priority_table(slices, n_rows=1_000, overall=0.88, overall_error=0.12, baseline=baseline,
                           ease={'c == "rare"': 2.0})
    assert table["slice"].tolist() == ['c == "rare"', 'c == "noisy"', 'c == "clean"']
    by_name = table.set_index("slice")
    assert by_name.loc['c == "noisy"', "priority"] == pytest.approx((0.90 - 0.80) * 0.3)
    assert by_name.loc['c == "rare"', "priority"] == pytest.approx((0.95 - 0.70) * 0.1 * 2.0)
    assert by_name.loc['c == "clean"', "baseline from"] == "HLP overall"
    assert by_name.loc['c == "noisy"', "baseline from"] == "HLP on this slice"


def test_without_a_baseline_the_gap_is_to_the_run_overall():
    table = priority_table([scored("a", 100, 0.5)], n_rows=200, overall=0.8, overall_error=0.2, baseline=None)
    assert table.loc[0, "baseline from"] == RUN_OVERALL and table.loc[0, "gap"] == pytest.approx(0.3)


def test_severity_thresholds():
    assert severity(0.11) == "major" and severity(0.10) == "issue" and severity(0.06) == "issue"
    assert severity(0.05) == "" and severity(-0.2) == ""


def test_bad_ease_is_refused():
    with pytest.raises(ValueError, match="ease of improvement"):
        priority_table([scored("a", 10, 0.5)], n_rows=10, overall=0.5, overall_error=0.5, baseline=None,
                       ease={'c == "a"': -1})


def test_benjamini_hochberg_equals_scipy():
    p = np.random.default_rng(0).random(40) ** 3
    assert np.allclose(benjamini_hochberg(p), false_discovery_control(p, method="bh"))
    slices = [scored(str(i), 100, 0.6 + 0.01 * i) for i in range(20)]
    raw = error_p_values(slices, overall_error=0.3)
    table = priority_table(slices, n_rows=2_000, overall=0.7, overall_error=0.3, baseline=None, correct_p=True)
    expected = dict(zip([s.name for s in slices], false_discovery_control(raw, method="bh")))
    assert np.allclose(table["p-value"], [expected[n] for n in table["slice"]])


def test_p_value_is_the_binomial_test_of_the_error_rate():
    from scipy.stats import binomtest

    p = error_p_values([scored("a", 50, 0.6)], overall_error=0.25)[0]
    assert p == pytest.approx(binomtest(20, 50, 0.25, alternative="greater").pvalue)


def test_chart_shows_the_top_priorities():
    table = priority_table([scored("a", 100, 0.5), scored("b", 100, 0.7)], n_rows=200, overall=0.6,
                           overall_error=0.4, baseline=None)
    figure = priority_chart(table)
    assert list(figure.data[0].y) == ['c == "b"', 'c == "a"'] and "Priority" in figure.layout.title.text
    assert figure.data[0].x[-1] == pytest.approx(table.loc[0, "priority"])


def test_stored_baseline_reads_its_slices():
    slices = {"sex": {"F": {"metrics": {"accuracy": 0.8}}, "M": {"metrics": {"accuracy": None}}}}
    lookup = BaselineLookup.from_stored("HLP", "accuracy", {"accuracy": 0.9}, slices)
    assert lookup.per_value == {("sex", "F"): 0.8} and lookup.overall == 0.9


def test_slice_report_combines_every_source_and_adds_actions():
    from core.errors.report import SliceOptions, slice_report
    from tests.core.errors.errors_factories import loan_analysis

    _, data = loan_analysis()
    saved = {"low scores": SlicePredicate((Condition("credit_score", "<", 600),)),
             "broken": SlicePredicate((Condition("region_x", "==", "North"),))}
    report = slice_report(data, options=SliceOptions(), baseline=None, saved=saved)
    assert {"feature", "pair", "discovered", "saved"} <= set(report.table["source"])
    assert report.notes and "region_x" in report.notes[0]
    assert report.overall == pytest.approx((data.true == data.pred).mean())
    assert report.table["priority"].is_monotonic_decreasing
    assert set(report.table["action"]) <= {"none", "more data", "better features", "better labels", "augmentation"}
    assert report.table["why"].str.len().min() > 20
