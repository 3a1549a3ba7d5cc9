"""Labeling effort: labels per hour, time spent against the scoping plan, time left for a batch.

Time spent is the sum of the seconds recorded with each label (the time from showing an item
to the click), so breaks between items do not count. A labeling day is `HOURS_PER_DAY` hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

HOURS_PER_DAY = 8.0
NO_SECONDS = "The labels table needs a seconds column (time spent per label)."


@dataclass(frozen=True)
class LabelingEffort:
    """How fast labels come and how that compares with the plan."""

    n_labels: int
    hours_spent: float
    labels_per_hour: float  # NaN before any time is recorded
    planned_days: float | None  # None: no effort plan at scoping
    share_of_plan: float | None  # spent / planned; None without a plan
    remaining: int  # items still to label in the open batches
    hours_to_finish: float  # NaN when the speed is unknown
    per_labeler: pd.DataFrame  # labeler index; labels, hours, labels_per_hour

    @property
    def days_spent(self) -> float:
        return self.hours_spent / HOURS_PER_DAY


def labeling_effort(labels: pd.DataFrame, *, remaining: int, planned_days: float | None) -> LabelingEffort:
    """Return the effort so far from labels (columns labeler, seconds) and what is left.

    >>> effort = labeling_effort(pd.DataFrame({"labeler": ["a", "a"], "seconds": [1800.0, 1800.0]}),
    ...                          remaining=4, planned_days=1)
    >>> effort.labels_per_hour, effort.hours_to_finish, effort.share_of_plan
    (2.0, 2.0, 0.125)
    """
    if "seconds" not in labels.columns:
        raise ValueError(NO_SECONDS)
    seconds = labels["seconds"].fillna(0).astype(float)
    hours = float(seconds.sum()) / 3600
    speed = len(labels) / hours if hours > 0 else float("nan")
    finish = remaining / speed if speed and not math.isnan(speed) else (0.0 if remaining == 0 else float("nan"))
    share = hours / (planned_days * HOURS_PER_DAY) if planned_days else None
    return LabelingEffort(len(labels), hours, speed, planned_days, share, remaining, finish, _per_labeler(labels))


def _per_labeler(labels: pd.DataFrame) -> pd.DataFrame:
    grouped = labels.groupby("labeler")["seconds"].agg(["size", "sum"])
    hours = grouped["sum"].astype(float) / 3600
    speed = (grouped["size"] / hours).where(hours > 0)
    return pd.DataFrame({"labels": grouped["size"].astype(int), "hours": hours, "labels_per_hour": speed})
