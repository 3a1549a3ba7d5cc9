"""A published score entered by hand as a baseline: the value, its metric and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from core.baselines.metrics import METRIC_LABELS
from core.scoping.targets import parse_value

MAX_CITATION_LENGTH = 300
MAX_NOTE_LENGTH = 1000

UNKNOWN_METRIC = "“{metric}” is not a metric baselines are compared on. Choose one of: {names}."
VALUE_OUT_OF_RANGE = "{label} is a share between 0 and 1, so {value} cannot be right. Write 91% as 0.91."
CITATION_EMPTY = (
    "A literature baseline needs its source: authors, title and year, or a link, so others can check it."
)
CITATION_TOO_LONG = f"The citation is longer than {MAX_CITATION_LENGTH} characters. Shorten it."
NOTE_TOO_LONG = f"The note is longer than {MAX_NOTE_LENGTH} characters. Shorten it."


@dataclass(frozen=True)
class LiteratureValue:
    """A checked literature baseline."""

    metric: str
    value: float
    citation: str
    note: str = ""

    @property
    def name(self) -> str:
        return f"{METRIC_LABELS[self.metric]} {self.value:g} ({self.citation[:60]})"


def literature_value(*, metric: str, value: str | float | None, citation: str, note: str = "") -> LiteratureValue:
    """Return the checked entry; raise ValueError naming what is wrong.

    >>> literature_value(metric="accuracy", value="0.91", citation="  Smith 2020 ").citation
    'Smith 2020'
    """
    if metric not in METRIC_LABELS:
        raise ValueError(UNKNOWN_METRIC.format(metric=metric, names=", ".join(METRIC_LABELS)))
    number = parse_value(value)  # raises TargetError, a ValueError, for text that is no number
    if not 0.0 <= number <= 1.0:
        raise ValueError(VALUE_OUT_OF_RANGE.format(label=METRIC_LABELS[metric], value=f"{number:g}"))
    citation, note = " ".join((citation or "").split()), (note or "").strip()
    if not citation:
        raise ValueError(CITATION_EMPTY)
    if len(citation) > MAX_CITATION_LENGTH:
        raise ValueError(CITATION_TOO_LONG)
    if len(note) > MAX_NOTE_LENGTH:
        raise ValueError(NOTE_TOO_LONG)
    return LiteratureValue(metric, number, citation, note)
