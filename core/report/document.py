"""The audit report as plain data: sections of facts and tables, the model card's extra facts, the reveal.

Storage gathers a project into one `Report` (storage.report.gather); the page, the HTML file
and the Markdown model card all draw from it, so the three can never tell different stories.
Every text in it is plain text — user text included — and each renderer escapes it its own way.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

SectionStatus = Literal["done", "partly", "not done"]
STATUS_WORDS: dict[SectionStatus, str] = {"done": "Done", "partly": "Partly done", "not done": "Not done yet"}


@dataclass(frozen=True)
class Fact:
    """One line of a section: what is measured or decided, and its value as text."""

    label: str
    value: str


# eq=False: holds a frame.
@dataclass(frozen=True, eq=False)
class Table:
    """A titled table of a section; cells are numbers or plain text."""

    title: str
    frame: pd.DataFrame


# eq=False: holds tables and figures.
@dataclass(frozen=True, eq=False)
class Section:
    """One stage's part of the report, with the page that provides it and what is missing when not done."""

    key: str
    title: str
    page: str
    page_label: str
    status: SectionStatus
    missing: str = ""
    facts: tuple[Fact, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    charts: tuple[go.Figure, ...] = field(default_factory=tuple)

    @property
    def status_text(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class CardFacts:
    """What only the model card says: intended use, limitations, monitoring plan and sign-off, in sentences."""

    intended_use: tuple[str, ...]
    limitations: tuple[str, ...]
    monitoring_plan: tuple[str, ...]
    sign_off: tuple[str, ...]


@dataclass(frozen=True)
class RevealItem:
    """One planted effect beside what the learner found, with the score in words."""

    effect: str
    planted: str
    found: str
    score: str


@dataclass(frozen=True)
class Reveal:
    """A scenario's planted truth against the learner's findings."""

    scenario: str
    items: tuple[RevealItem, ...]


# eq=False: holds sections.
@dataclass(frozen=True, eq=False)
class Report:
    """The whole report of one project, gathered at one moment."""

    project: str
    generated_at: datetime
    sections: tuple[Section, ...]
    card: CardFacts
    reveal: Reveal | None = None

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def cell_text(value: object) -> str:
    """Return a table cell as text: fractions to three decimals, whole numbers as they are, none as “—”.

    >>> cell_text(0.12345), cell_text(12), cell_text(None), cell_text(float("nan")), cell_text("F")
    ('0.123', '12', '—', '—', 'F')
    """
    if value is None or (isinstance(value, numbers.Real) and math.isnan(float(value))):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):.3f}"
    return str(value)
