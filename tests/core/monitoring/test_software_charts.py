"""Software metrics per monitoring window from the replay log, and the monitoring figures."""

import math

import numpy as np
import pandas as pd
import pytest

from core.monitoring.charts import distribution_figure, drift_heatmap, metric_over_windows, relative_score
from core.monitoring.software import software_by_window


def log_window(first, n, p95, rps, failed=0, rss=100.0):
    return {"first_position": first, "n": n, "latency_ms": {"p50": p95 / 2, "p95": p95, "p99": p95 * 1.5},
            "throughput_rps": rps, "n_failed": failed, "peak_rss_mb": rss}


def test_a_monitoring_window_reports_the_worst_of_the_log_windows_it_holds():
    log = [log_window(0, 100, 10.0, 500.0, 1, 100.0), log_window(100, 100, 30.0, 200.0, 3, 120.0),
           log_window(200, 100, 20.0, 400.0, 0, 110.0)]
    table = software_by_window(log, [np.arange(0, 200), np.arange(200, 300), np.arange(0)])
    first, second, empty = table.to_dict("records")
    assert (first["p95_latency_ms"], first["p99_latency_ms"], first["throughput_rps"]) == (30.0, 45.0, 200.0)
    assert (first["failed_share"], first["peak_rss_mb"], first["log_windows"]) == (4 / 200, 120.0, 2)
    assert (second["p50_latency_ms"], second["failed_share"]) == (10.0, 0.0)
    assert empty["log_windows"] == 0 and math.isnan(empty["p95_latency_ms"])


def test_logs_stored_before_throughput_and_memory_give_empty_values_not_errors():
    old = {"first_position": 0, "n": 10, "latency_ms": {"p50": 1.0, "p95": 2.0, "p99": 3.0}, "n_failed": 0}
    row = software_by_window([old], [np.arange(10)]).iloc[0]
    assert row["p95_latency_ms"] == 2.0 and math.isnan(row["throughput_rps"]) and math.isnan(row["peak_rss_mb"])


@pytest.mark.parametrize("statistic, threshold, kind, expected", [
    (0.05, 0.05, "p_value", 1.0), (0.0025, 0.05, "p_value", 2.0), (0.5, 0.05, "p_value", -math.log10(0.5) / -math.log10(0.05)),
    (0.1, 0.1, "distance", 1.0), (0.05, 0.1, "distance", 0.5), (10.0, 0.1, "distance", 3.0)])
def test_the_relative_score_is_one_at_the_threshold_and_capped_at_three(statistic, threshold, kind, expected):
    assert relative_score(statistic, threshold, kind) == pytest.approx(expected)


def test_the_heatmap_has_a_cell_per_column_and_window_with_the_test_s_number():
    drift = pd.DataFrame({"column": ["a", "a", "b", "b"], "window": ["W1", "W2", "W1", "W2"],
                          "method": ["ks", "ks", "psi", "psi"], "statistic": [0.5, 0.001, 0.05, float("nan")],
                          "threshold": [0.05, 0.05, 0.1, 0.1], "score_kind": ["p_value"] * 2 + ["distance"] * 2,
                          "drifted": [False, True, False, False]})
    trace, cells = drift_heatmap(drift, ["W1", "W2"]).data
    assert list(trace.y) == ["a", "b"] and list(trace.x) == ["W1", "W2"]
    assert trace.z[0][1] == pytest.approx(-math.log10(0.001) / -math.log10(0.05)) and math.isnan(trace.z[1][1])
    # one clickable point per cell, row by row, carrying the cell's text
    assert list(zip(cells.x, cells.y)) == [("W1", "a"), ("W2", "a"), ("W1", "b"), ("W2", "b")]
    assert "ks 0.001" in cells.text[1] and "drifted" in cells.text[1] and "not measured" in cells.text[3]


def test_distributions_are_shares_of_each_side():
    reference, current = pd.Series([1.0, 2.0, 2.0, 3.0]), pd.Series([3.0, 3.0, np.nan])
    figure = distribution_figure(reference, current, "numeric", "x")
    assert [t.name for t in figure.data] == ["reference", "current"]
    assert [sum(t.y) for t in figure.data] == pytest.approx([1.0, 1.0])
    outlier = distribution_figure(pd.Series([*range(1_000), 1e6]), pd.Series([50.0, 2e6]), "numeric", "x")
    reference_bars = outlier.data[0]
    assert max(reference_bars.x) < 1_000 and sum(reference_bars.y) == pytest.approx(1.0)  # the outliers sit in the end bin
    figure = distribution_figure(pd.Series(["a", "a", "b"]), pd.Series(["b", "c"]), "categorical", "y")
    shares = {t.name: dict(zip(t.x, t.y)) for t in figure.data}
    assert shares["reference"] == pytest.approx({"a": 2 / 3, "b": 1 / 3, "c": 0.0})
    assert shares["current"] == pytest.approx({"a": 0.0, "b": 0.5, "c": 0.5})


def test_metrics_over_windows_draw_the_band_beneath_the_lines():
    table = pd.DataFrame({"window": ["W1", "W2"], "est": [0.8, 0.7], "low": [0.75, 0.6], "high": [0.85, 0.8]})
    figure = metric_over_windows(table, ["est"], "t", band=("low", "high"))
    assert [t.name for t in figure.data] == [None, "estimate's band", "est"] and figure.data[1].fill == "tonexty"
