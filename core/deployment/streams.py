"""Production streams: the requests a deployment replays, each with its time and its true label.

Three kinds: `loan_approval`'s later months, generated afresh by the scenario (so its data drift
and its policy change arrive on schedule); a degraded-input stream for image data such as
`digits` (the held-out images with noise and shifts that worsen over the stream); and any
held-out dataset version of the training schema, checked column by column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.data.scenarios import loan_approval

MAX_REQUESTS = 1_000_000
SYNTHETIC_START = pd.Timestamp("2025-01-01")
SYNTHETIC_STEP = pd.Timedelta(minutes=1)  # one request a minute where the data carry no time
MONTH_HOURS = 30 * 24

BAD_SIZE = f"A stream needs between 100 and {MAX_REQUESTS:,} requests; {{n}} is not possible."
BAD_START_MONTH = "The stream starts in a month from 1 to 12; {month} is not one."
MISSING_COLUMNS = "The stream lacks the columns {columns} that the training data has. Pick a version with them."
EXTRA_COLUMNS = "The stream has columns the training data lacks: {columns}. Drop them to make a version of the same schema."
KIND_MISMATCH = "Column {column} is {found} in the stream but {expected} in the training data. Fix its values."
NO_LABELS = "The stream has no true labels (column {target}), so no analysis could ever decide. Pick a labelled version."
TOO_FEW_HELD_OUT = "Only {n} held-out rows are left to build a stream from; the degraded stream needs at least 10."


@dataclass(frozen=True, eq=False)
class Stream:
    """Requests in arrival order: the input rows (indexed by row_id), their time and true label."""

    kind: str
    frame: pd.DataFrame
    labels: pd.Series
    times: pd.Series
    description: str
    default_delay_hours: float

    def __len__(self) -> int:
        return len(self.frame)


def check_size(n_requests: int) -> int:
    """Return the stream size, or raise ValueError outside 100 .. 1,000,000."""
    if not 100 <= int(n_requests) <= MAX_REQUESTS:
        raise ValueError(BAD_SIZE.format(n=n_requests))
    return int(n_requests)


def loan_stream(truth: Mapping, *, n_requests: int, start_month: int, seed: int) -> Stream:
    """Return fresh applications of months start_month..12, drawn by the scenario with the project's settings."""
    n_requests = check_size(n_requests)
    if not 1 <= start_month <= 12:
        raise ValueError(BAD_START_MONTH.format(month=start_month))
    n_rows = min(MAX_REQUESTS, max(1_000, math.ceil(n_requests * 12 / (13 - start_month) * 1.05)))
    scenario = loan_approval.loan_approval(n_rows=n_rows, seed=seed, **_loan_settings(truth))
    frame = scenario.frame
    frame = frame[frame["month"].dt.month >= start_month].iloc[:n_requests]
    frame.index = pd.RangeIndex(len(frame), name="row_id")
    drift = scenario.ground_truth["data_drift"]["month"]
    return Stream("loan_approval", frame, frame[loan_approval.TARGET], _within_months(frame["month"]),
                  f"{len(frame):,} new applications from month {start_month} on: applicants change from month "
                  f"{drift}, the lending policy from month {min(drift + 1, 12)}.", 24.0)


def _loan_settings(truth: Mapping) -> dict:
    return {"bias_strength": float(truth.get("bias", {}).get("strength", 0.5)),
            "label_noise": float(truth.get("label_noise", {}).get("rate", 0.05)),
            "drift_month": int(truth.get("data_drift", {}).get("month", 9))}


def _within_months(months: pd.Series) -> pd.Series:
    # Requests of a month spread evenly over its 30 days, in the order they were generated.
    rank = months.groupby(months).cumcount().to_numpy()
    size = months.map(months.value_counts()).to_numpy()
    offset = pd.to_timedelta(rank / size * MONTH_HOURS, unit="h")
    return pd.Series(months.to_numpy() + offset, index=months.index, name="t")


def degraded_stream(held_out: pd.DataFrame, *, target: str, pixels: list[str], n_requests: int, seed: int,
                    max_noise: float = 6.0, max_shift_share: float = 0.6, max_value: float = 16.0) -> Stream:
    """Return held-out images drawn again and again, with noise and a one-pixel shift that worsen over time."""
    n_requests = check_size(n_requests)
    if len(held_out) < 10:
        raise ValueError(TOO_FEW_HELD_OUT.format(n=len(held_out)))
    rng = np.random.default_rng(seed)
    drawn = held_out.iloc[rng.integers(0, len(held_out), n_requests)]
    severity = np.linspace(0.0, 1.0, n_requests)
    images = drawn[pixels].to_numpy(dtype=float)
    images = _shifted(images, rng.random(n_requests) < max_shift_share * severity)
    images += rng.normal(0.0, 1.0, images.shape) * (max_noise * severity)[:, None]
    frame = pd.DataFrame(np.clip(np.round(images), 0, max_value).astype(np.int64), columns=pixels)
    frame[target] = drawn[target].to_numpy()
    frame.index = pd.RangeIndex(n_requests, name="row_id")
    return Stream("degraded", frame, frame[target], _synthetic_times(n_requests),
                  f"{n_requests:,} held-out images, clean at first; noise (up to σ = {max_noise:g}) and one-pixel "
                  f"shifts (up to {max_shift_share:.0%} of images) grow steadily to the end.", 2.0)


def _shifted(images: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    # An 8x8 image moved one pixel to the right, the left column left blank: a badly centred scan.
    side = int(round(math.sqrt(images.shape[1])))
    squares = images.reshape(len(images), side, side)
    moved = np.zeros_like(squares)
    moved[:, :, 1:] = squares[:, :, :-1]
    return np.where(chosen[:, None, None], moved, squares).reshape(len(images), -1)


def _synthetic_times(n: int) -> pd.Series:
    return pd.Series(SYNTHETIC_START + SYNTHETIC_STEP * np.arange(n), index=pd.RangeIndex(n, name="row_id"), name="t")


def dataset_stream(frame: pd.DataFrame, *, target: str, time_column: str | None, n_requests: int | None = None,
                   name: str = "dataset") -> Stream:
    """Return a held-out dataset's rows as a stream, in time order when it has a time column."""
    labelled = frame[target].notna()
    if not labelled.any():
        raise ValueError(NO_LABELS.format(target=target))
    if time_column:
        frame = frame.sort_values(time_column, kind="stable")
    frame = frame.iloc[:n_requests] if n_requests else frame
    times = (pd.Series(pd.to_datetime(frame[time_column]).to_numpy(), index=frame.index, name="t")
             if time_column and _is_datetime(frame[time_column]) else
             pd.Series(_synthetic_times(len(frame)).to_numpy(), index=frame.index, name="t"))
    return Stream("dataset", frame, frame[target], times, f"{len(frame):,} held-out rows of {name}.", 1.0)


def _is_datetime(column: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(column)


def check_stream_schema(stream_kinds: Mapping[str, str], training_kinds: Mapping[str, str]) -> None:
    """Raise ValueError naming the columns a stream lacks or adds, or whose kind differs, against the training data."""
    missing = [c for c in training_kinds if c not in stream_kinds]
    extra = [c for c in stream_kinds if c not in training_kinds]
    if missing:
        raise ValueError(MISSING_COLUMNS.format(columns=", ".join(missing)))
    if extra:
        raise ValueError(EXTRA_COLUMNS.format(columns=", ".join(extra)))
    for column, kind in training_kinds.items():
        if stream_kinds[column] != kind:
            raise ValueError(KIND_MISMATCH.format(column=column, found=stream_kinds[column], expected=kind))
