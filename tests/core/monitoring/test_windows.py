"""Windows counted by hand: equal chunks, calendar days, weeks and months, and bad settings."""

import numpy as np
import pandas as pd
import pytest

from core.monitoring.windows import make_windows


def test_ten_equal_chunks_by_default_cover_every_row_once_in_order():
    windows = make_windows(23)
    assert [len(w) for w in windows] == [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]
    assert np.array_equal(np.concatenate([w.positions for w in windows]), np.arange(23))
    assert [w.label for w in windows[:2]] == ["Chunk 1", "Chunk 2"]
    assert (windows[1].start, windows[1].end) == (3, 5)  # row numbers without a time column


def test_chunks_carry_their_first_and_last_time_when_times_are_given():
    times = pd.Series(pd.date_range("2025-01-01", periods=20, freq="h"))
    windows = make_windows(20, times, n_chunks=4)
    assert windows[1].start == pd.Timestamp("2025-01-01 05:00") and windows[1].end == pd.Timestamp("2025-01-01 09:00")


def test_fewer_rows_than_chunks_give_one_window_a_row():
    assert [len(w) for w in make_windows(3, n_chunks=10)] == [1, 1, 1]


def test_months_hold_their_rows_and_keep_an_empty_month():
    times = pd.Series(pd.to_datetime(["2025-01-03 00:00", "2025-01-01 00:00", "2025-03-05 00:00", "2025-01-31 23:00"]))
    windows = make_windows(4, times, by="month")
    assert [w.label for w in windows] == ["2025-01", "2025-02", "2025-03"]
    assert [w.positions.tolist() for w in windows] == [[0, 1, 3], [], [2]]
    assert windows[1].start == pd.Timestamp("2025-02-01")


def test_weeks_run_monday_to_sunday():
    times = pd.Series(pd.to_datetime(["2025-01-05", "2025-01-06"]))  # a Sunday, then a Monday
    windows = make_windows(2, times, by="week")
    assert [w.label for w in windows] == ["week of 2024-12-30", "week of 2025-01-06"]
    assert [w.positions.tolist() for w in windows] == [[0], [1]]


def test_days_count_the_rows_of_each_day():
    times = pd.Series(pd.date_range("2025-05-01", periods=72, freq="h"))
    assert [len(w) for w in make_windows(72, times, by="day")] == [24, 24, 24]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(n_rows=0), "no rows yet"),
        (dict(n_rows=10, by="month"), "need the stream's time column"),
        (dict(n_rows=10, by="hour"), "'hour' is not one"),
        (dict(n_rows=10, n_chunks=0), "at least 1"),
        (dict(n_rows=2, times=pd.Series(pd.to_datetime(["2025-01-01", None])), by="day"), "1 of the stream's rows have no time"),
        (dict(n_rows=2, times=pd.Series(pd.to_datetime(["2000-01-01", "2025-01-01"])), by="day"), "at most 1,000"),
        (dict(n_rows=3, times=pd.Series(pd.to_datetime(["2025-01-01"]))), "1 values for 3 rows"),
    ],
)
def test_impossible_settings_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_windows(**kwargs)
