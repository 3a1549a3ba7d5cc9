"""Demo labelers with a set skill and typical confusions, so a workshop has agreement data at once.

A simulated labeler labels an item correctly with probability `accuracy`. When wrong, it
picks the class usually confused with the true one (``confusions``, e.g. 1↔7 on digits) with
probability `confusion_share`, otherwise any other class uniformly. A share `unclear_rate`
of items is marked unclear instead. Seconds per item are drawn from a log-normal around
`seconds`. Everything is drawn from `random_state`, so a demo is the same every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from core.labeling.consensus import UNCLEAR

BAD_ACCURACY = "A simulated labeler's accuracy must be between 0 and 1; got {value}."
BAD_SHARE = "{name} must be between 0 and 1; got {value}."
BAD_SECONDS = "Seconds per item must be more than 0; got {value}."
FEW_CLASSES = "Simulated labeling needs at least two classes; got {n}."


@dataclass(frozen=True)
class LabelerProfile:
    """How a simulated labeler behaves."""

    accuracy: float = 0.9
    confusions: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    confusion_share: float = 0.7
    unclear_rate: float = 0.0
    seconds: float = 5.0

    def __post_init__(self) -> None:
        if not 0 <= self.accuracy <= 1:
            raise ValueError(BAD_ACCURACY.format(value=self.accuracy))
        for name in ("confusion_share", "unclear_rate"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(BAD_SHARE.format(name=name.replace("_", " ").capitalize(), value=getattr(self, name)))
        if not self.seconds > 0:
            raise ValueError(BAD_SECONDS.format(value=self.seconds))

    def to_dict(self) -> dict:
        return {**asdict(self), "confusions": [list(pair) for pair in self.confusions]}

    @classmethod
    def from_dict(cls, values: dict) -> LabelerProfile:
        pairs = tuple(tuple(str(c) for c in pair) for pair in values.get("confusions", ()))
        return cls(**{**values, "confusions": pairs})


def demo_team(classes: Sequence, confusions: Sequence[tuple] = ()) -> dict[str, LabelerProfile]:
    """Return the three simulated labelers a demo project starts with: careful, good and hurried."""
    pairs = tuple((str(a), str(b)) for a, b in confusions if str(a) in map(str, classes) and str(b) in map(str, classes))
    return {
        "Sim · Ada (careful)": LabelerProfile(accuracy=0.97, confusions=pairs, seconds=6.0),
        "Sim · Ben (good)": LabelerProfile(accuracy=0.9, confusions=pairs, unclear_rate=0.02, seconds=4.0),
        "Sim · Cy (hurried)": LabelerProfile(accuracy=0.78, confusions=pairs, confusion_share=0.8,
                                             unclear_rate=0.03, seconds=2.5),
    }


def simulate_labels(true_labels: pd.Series, classes: Sequence, profile: LabelerProfile, *,
                    random_state: int = 0) -> pd.DataFrame:
    """Return a simulated labeler's labels for the items: row_id index, columns value and seconds."""
    classes = [str(c) for c in classes]
    if len(classes) < 2:
        raise ValueError(FEW_CLASSES.format(n=len(classes)))
    rng = np.random.default_rng(random_state)
    truth = true_labels.astype(str).to_numpy()
    n = len(truth)
    wrong = rng.random(n) >= profile.accuracy
    values = truth.astype(object).copy()
    values[wrong] = [_mistake(t, classes, profile, rng) for t in truth[wrong]]
    values[rng.random(n) < profile.unclear_rate] = UNCLEAR
    seconds = np.round(rng.lognormal(np.log(profile.seconds), 0.4, n), 1)
    return pd.DataFrame({"value": values, "seconds": seconds}, index=true_labels.index)


def _mistake(truth: str, classes: list[str], profile: LabelerProfile, rng: np.random.Generator) -> str:
    partners = [b for a, b in profile.confusions if a == truth] + [a for a, b in profile.confusions if b == truth]
    if partners and rng.random() < profile.confusion_share:
        return partners[int(rng.integers(len(partners)))]
    others = [c for c in classes if c != truth]
    return others[int(rng.integers(len(others)))]


def clean_labels(given: pd.Series, ground_truth: dict) -> pd.Series:
    """Return the labels before a scenario flipped some: flipped rows get their recorded original."""
    noise = ground_truth.get("label_noise") or {}
    flipped, original = noise.get("flipped_row_ids", []), noise.get("original_labels", [])
    clean = given.astype(object).copy()
    present = [(r, o) for r, o in zip(flipped, original) if r in clean.index]
    if present:
        rows, values = zip(*present)
        clean.loc[list(rows)] = list(values)
    return clean
