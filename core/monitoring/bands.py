"""Alert rules and reference bands, and checking a window's metrics against them.

A rule states what must hold, as a scoping target does (`accuracy >= 0.85`); a window breaches
it when its value does not. A reference band (NannyML's default thresholds) is the mean ± 3
standard deviations (ddof 0, as NannyML's StandardDeviationThreshold) of a metric over the
reference chunks; for a distance (larger is worse) only its upper side counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.scoping.targets import compare

RuleSource = Literal["target", "band", "user"]
SIGMAS = 3.0

NO_REFERENCE_VALUES = "A band needs the metric on at least 2 reference chunks; {n} had a value."


@dataclass(frozen=True)
class Band:
    """The range a metric kept over the reference; None on a side that does not count."""

    low: float | None
    high: float | None

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Rule:
    """What must hold in every window: metric, comparator (>=, >, <=, <), threshold; and where it came from."""

    metric: str
    comparator: str
    threshold: float
    source: RuleSource = "user"

    def text(self) -> str:
        return f"{self.metric} {self.comparator} {self.threshold:g}"


@dataclass(frozen=True)
class Breach:
    """A rule a window did not meet, with the window's value."""

    rule: Rule
    value: float


def reference_band(values: Sequence[float], distance: bool, *, sigmas: float = SIGMAS) -> Band:
    """Return mean ± sigmas·std of the reference chunks' values (upper side only for a distance)."""
    finite = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if finite.size < 2:
        raise ValueError(NO_REFERENCE_VALUES.format(n=finite.size))
    mean, spread = float(finite.mean()), float(finite.std())
    return Band(None if distance else mean - sigmas * spread, mean + sigmas * spread)


def band_rules(metric: str, band: Band) -> list[Rule]:
    """Return the band as rules: metric >= low and metric <= high (only the sides it has)."""
    rules = [] if band.low is None else [Rule(metric, ">=", band.low, "band")]
    return rules + ([] if band.high is None else [Rule(metric, "<=", band.high, "band")])


def check_rules(rules: Iterable[Rule], window_metrics: Mapping[str, float]) -> list[Breach]:
    """Return the rules the window breaks; a metric the window lacks (or NaN) breaks nothing."""
    breaches = []
    for rule in rules:
        value = window_metrics.get(rule.metric)
        if value is None or not math.isfinite(value):
            continue
        if not compare(float(value), rule.comparator, rule.threshold):
            breaches.append(Breach(rule, float(value)))
    return breaches
