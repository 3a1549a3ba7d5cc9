"""The windows a stream is monitored in: equal chunks of rows, or calendar days, weeks or months.

A calendar window with no rows is kept (so the timeline has no gaps) with an empty `positions`;
the monitor reports it as having no rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

WindowBy = Literal["chunks", "day", "week", "month"]
WINDOW_BYS: tuple[str, ...] = get_args(WindowBy)
N_CHUNKS = 10
MAX_WINDOWS = 1_000  # a heatmap wider than this is unreadable and slow to draw
PERIOD_CODES = {"day": "D", "week": "W-SUN", "month": "M"}

UNKNOWN_BY = "Windows are cut by {choices}; {by!r} is not one of them."
NO_ROWS = "The stream has no rows yet, so there is nothing to cut into windows. Run a replay first."
BAD_CHUNKS = "The number of chunks must be at least 1; {n} is not possible."
NO_TIMES = "Windows by {by} need the stream's time column; this stream has none. Cut it into equal chunks instead."
MISSING_TIMES = "{n:,} of the stream's rows have no time, so they would fall in no {by}. Fill their times or cut equal chunks."
TOO_MANY = "By {by} the stream spans {n:,} windows; at most {limit:,} can be shown. Pick a longer period."
TIMES_LENGTH = "The time column has {times:,} values for {rows:,} rows."


@dataclass(frozen=True, eq=False)
class Window:
    """One window: its number (from 1), label, first and last time or row, and the rows' positions."""

    number: int
    label: str
    start: object
    end: object
    positions: np.ndarray

    def __len__(self) -> int:
        return int(self.positions.size)


def make_windows(n_rows: int, times: pd.Series | None = None, by: WindowBy = "chunks", n_chunks: int = N_CHUNKS) -> list[Window]:
    """Return the stream's windows in order; raise ValueError naming the problem for impossible settings."""
    if by not in WINDOW_BYS:
        raise ValueError(UNKNOWN_BY.format(choices=", ".join(WINDOW_BYS), by=by))
    if n_rows <= 0:
        raise ValueError(NO_ROWS)
    if times is not None and len(times) != n_rows:
        raise ValueError(TIMES_LENGTH.format(times=len(times), rows=n_rows))
    if by == "chunks":
        return chunk_windows(n_rows, times, n_chunks)
    if times is None:
        raise ValueError(NO_TIMES.format(by=by))
    return calendar_windows(pd.to_datetime(times), by)


def chunk_windows(n_rows: int, times: pd.Series | None, n_chunks: int) -> list[Window]:
    """Return n_chunks runs of consecutive rows of (nearly) equal size; fewer when there are fewer rows."""
    if n_chunks < 1:
        raise ValueError(BAD_CHUNKS.format(n=n_chunks))
    parts = np.array_split(np.arange(n_rows), min(n_chunks, n_rows))
    stamps = None if times is None else pd.to_datetime(times).to_numpy()
    return [_chunk(number, part, stamps) for number, part in enumerate(parts, start=1)]


def _chunk(number: int, positions: np.ndarray, stamps: np.ndarray | None) -> Window:
    if stamps is None:
        start, end = int(positions[0]), int(positions[-1])
    else:
        start, end = pd.Timestamp(stamps[positions].min()), pd.Timestamp(stamps[positions].max())
    return Window(number, f"Chunk {number}", start, end, positions)


def calendar_windows(times: pd.Series, by: str) -> list[Window]:
    """Return one window per calendar day, week (Monday to Sunday) or month from the first time to the last."""
    missing = int(times.isna().sum())
    if missing:
        raise ValueError(MISSING_TIMES.format(n=missing, by=by))
    periods = pd.PeriodIndex(times, freq=PERIOD_CODES[by])
    ordinals = periods.asi8
    first, last = int(ordinals.min()), int(ordinals.max())
    if last - first + 1 > MAX_WINDOWS:
        raise ValueError(TOO_MANY.format(by=by, n=last - first + 1, limit=MAX_WINDOWS))
    order = np.argsort(ordinals, kind="stable")
    bounds = np.searchsorted(ordinals[order], np.arange(first, last + 2))
    windows = []
    for number, ordinal in enumerate(range(first, last + 1), start=1):
        period = pd.Period(ordinal=ordinal, freq=PERIOD_CODES[by])
        positions = np.sort(order[bounds[number - 1]:bounds[number]])
        windows.append(Window(number, _period_label(period, by), period.start_time, period.end_time, positions))
    return windows


def _period_label(period: pd.Period, by: str) -> str:
    if by == "day":
        return f"{period.start_time:%Y-%m-%d}"
    if by == "week":
        return f"week of {period.start_time:%Y-%m-%d}"
    return f"{period.start_time:%Y-%m}"
