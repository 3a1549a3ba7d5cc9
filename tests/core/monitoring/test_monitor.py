"""The monitor's per-window numbers recomputed window by window with the single-purpose functions."""

import numpy as np
import pandas as pd
import pytest

from core.monitoring.drift import column_drift
from core.monitoring.inputs import input_metrics
from core.monitoring.monitor import MonitorSettings, monitor
from core.monitoring.performance import cbpe_accuracy
from core.monitoring.windows import make_windows

KINDS = {"x": "numeric", "c": "categorical"}
CLASSES = ["no", "yes"]


def frame(n, seed, shift=0.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(shift, 1, n)
    x[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({"x": x, "c": rng.choice(["a", "b", "c"], n), "t": pd.date_range("2025-01-01", periods=n, freq="h")})


@pytest.fixture(scope="module")
def result():
    reference, stream = frame(400, 0), pd.concat([frame(300, 1), frame(300, 2, shift=2.0)], ignore_index=True)
    rng = np.random.default_rng(3)
    proba = rng.dirichlet([2, 2], len(stream))
    labels = pd.Series(rng.choice(CLASSES, len(stream)), dtype=object)
    labels[rng.random(len(stream)) < 0.3] = None  # not arrived yet
    windows = make_windows(len(stream), n_chunks=4)
    settings = MonitorSettings(domain_classifier=False)
    monitoring = monitor(reference, stream, KINDS, windows, proba=proba, labels=labels, classes=CLASSES, settings=settings)
    return reference, stream, windows, proba, labels, monitoring


def test_every_window_gets_its_row_and_its_inputs_counted_on_its_rows(result):
    reference, stream, windows, *_, monitoring = result
    assert monitoring.windows["label"].tolist() == ["Chunk 1", "Chunk 2", "Chunk 3", "Chunk 4"]
    assert monitoring.windows["rows"].tolist() == [150, 150, 150, 150]
    for window, (_, row) in zip(windows, monitoring.windows.iterrows()):
        expected = input_metrics(reference, stream.iloc[window.positions], KINDS)
        assert row["missing_share"] == pytest.approx(expected["missing_share"])
        assert row["out_of_range_share"] == pytest.approx(expected["out_of_range_share"])


def test_drift_per_window_equals_column_drift_on_that_window(result):
    reference, stream, windows, *_, monitoring = result
    for window in windows:
        for name, kind in KINDS.items():
            expected = column_drift(name, reference[name], stream[name].iloc[window.positions], kind)
            got = monitoring.drift.query("window == @window.number and column == @name").iloc[0]
            assert (got["method"], got["drifted"]) == (expected.method, expected.drifted)
            assert got["statistic"] == pytest.approx(expected.statistic)
    x_drifted = monitoring.drift.query("column == 'x'")["drifted"].tolist()
    assert x_drifted == [False, False, True, True]  # x moves by two sd in the second half
    shares = monitoring.drift.groupby("window")["drifted"].mean()
    assert monitoring.windows["share_drifted"].tolist() == pytest.approx(shares.tolist())


def test_outputs_and_performance_per_window(result):
    _, _, windows, proba, labels, monitoring = result
    row, positions = monitoring.windows.iloc[1], windows[1].positions
    served = np.array(CLASSES)[proba[positions].argmax(axis=1)]
    assert row["predicted_share[yes]"] == pytest.approx(np.mean(served == "yes"))
    assert row["mean_confidence"] == pytest.approx(proba[positions].max(axis=1).mean())
    assert row["estimated_accuracy"] == pytest.approx(cbpe_accuracy(proba[positions]).value)
    known = labels.iloc[positions].notna().to_numpy()
    assert row["labelled"] == known.sum()
    assert row["accuracy"] == pytest.approx(np.mean(served[known] == labels.iloc[positions].to_numpy()[known]))


def test_reference_chunks_are_measured_like_windows_for_the_bands(result):
    monitoring = result[-1]
    assert len(monitoring.reference_windows) == 10
    assert set(monitoring.reference_drift["column"]) == {"x", "c"}
    # chunks of the reference itself: a p < 0.05 test flags about 1 in 20 by chance, never most
    assert monitoring.reference_windows["share_drifted"].max() <= 0.5
    assert monitoring.reference_drift["drifted"].mean() <= 0.15


def test_drift_matrix_is_features_by_window_labels(result):
    matrix = result[-1].drift_matrix("drifted")
    assert list(matrix.index) == ["x", "c"] and list(matrix.columns) == ["Chunk 1", "Chunk 2", "Chunk 3", "Chunk 4"]
    assert bool(matrix.loc["x", "Chunk 4"]) and not bool(matrix.loc["x", "Chunk 1"])


def test_an_empty_calendar_window_is_reported_with_no_rows_not_an_error():
    reference, stream = frame(200, 0), frame(48, 1)
    stream.loc[24:, "t"] = stream.loc[24:, "t"] + pd.Timedelta(days=1)  # day 2 has no rows
    windows = make_windows(len(stream), stream["t"], by="day")
    monitoring = monitor(reference, stream, KINDS, windows, settings=MonitorSettings(domain_classifier=False))
    assert monitoring.windows["rows"].tolist() == [24, 0, 24]
    empty = monitoring.drift.query("window == 2")
    assert empty["statistic"].isna().all() and empty["note"].str.contains("no rows").all()


def test_the_domain_classifier_sees_the_moved_window(result):
    reference, stream, windows, *_ = result
    monitoring = monitor(reference, stream, KINDS, windows)
    auc = monitoring.windows["domain_auc"]
    assert auc.iloc[-1] > 0.7 and auc.iloc[0] < 0.65


def test_mismatched_lengths_are_refused_with_both_numbers():
    reference, stream = frame(50, 0), frame(40, 1)
    with pytest.raises(ValueError, match="40 rows but the labels has 39"):
        monitor(reference, stream, KINDS, make_windows(40), labels=[1] * 39)
    with pytest.raises(ValueError, match="list of classes"):
        monitor(reference, stream, KINDS, make_windows(40), proba=np.full((40, 2), 0.5))


def test_labels_are_taken_by_position_whatever_their_index(result):
    reference, stream, windows, proba, labels, monitoring = result
    shifted = pd.Series(labels.to_numpy(), index=np.arange(len(labels)) + 10_000)
    again = monitor(reference, stream, KINDS, windows, proba=proba, labels=shifted, classes=CLASSES,
                    settings=MonitorSettings(domain_classifier=False))
    assert again.windows["labelled"].tolist() == monitoring.windows["labelled"].tolist()
    assert again.windows["accuracy"].tolist() == pytest.approx(monitoring.windows["accuracy"].tolist())


def test_a_large_reference_prepared_once_scores_windows_as_column_drift_does():
    rng = np.random.default_rng(5)
    reference = pd.DataFrame({"x": rng.normal(0, 1, 250_000), "c": rng.choice(list("abcd"), 250_000),
                              "flag": rng.choice([0.0, 1.0], 250_000)})
    stream = pd.DataFrame({"x": rng.normal(0.2, 1, 20_000), "c": rng.choice(list("abcde"), 20_000),
                           "flag": rng.choice([0.0, 1.0], 20_000, p=[0.4, 0.6])})
    kinds = {"x": "numeric", "c": "categorical", "flag": "numeric"}
    windows = make_windows(len(stream), n_chunks=2)
    monitoring = monitor(reference, stream, kinds, windows, settings=MonitorSettings(domain_classifier=False))
    for window in windows:
        for name, kind in kinds.items():
            expected = column_drift(name, reference[name], stream[name].iloc[window.positions], kind)
            got = monitoring.drift.query("window == @window.number and column == @name").iloc[0]
            assert (got["method"], got["drifted"]) == (expected.method, expected.drifted)
            assert got["statistic"] == pytest.approx(expected.statistic, abs=1e-3)


def test_a_one_row_reference_is_monitored_with_notes_not_an_error():
    reference, stream = frame(1, 0), frame(60, 1)
    monitoring = monitor(reference, stream, KINDS, make_windows(60, n_chunks=2))
    assert len(monitoring.reference_windows) == 1 and monitoring.windows["rows"].tolist() == [30, 30]
    assert monitoring.drift["note"].str.contains("Only 1 reference values|no values in this column").all()
    assert monitoring.windows["domain_auc"].isna().all()
