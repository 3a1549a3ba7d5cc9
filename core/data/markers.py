"""Find values that stand for "missing" (``?``, ``NA``, ``-``, ``null``, blanks) and treat them.

Many files write a missing value as a word or a sign instead of leaving the cell empty; left
alone, ``?`` becomes a category and a numeric column turns into text. A value counts as a
marker when it is on a known list and is not like the rest of its column:

- in a column whose other values are all numbers, every listed value is a marker;
- a sign (``?``, ``-``, ``.``) or a blank is a marker unless most of the other values are
  signs too (a column of ``+`` and ``-`` ratings keeps its ``-``);
- a word (``NA``, ``null``, ``None``) is a marker unless most of the other values have its
  shape (letters in the same case pattern and length: ``NA`` among country codes is Namibia).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from pandas.api import types

from core.data.numbers import number_readings, read_text_numbers

KNOWN_MARKERS = ("?", "??", "-", "--", ".", "na", "n/a", "n.a.", "nan", "null", "none", "nil",
                 "#n/a", "<na>", "missing")
LIKE_THE_REST_SHARE = 0.5
SHAPE_SAMPLE = 10_000
_VARIANTS = frozenset(variant for marker in KNOWN_MARKERS
                      for variant in (marker, marker.upper(), marker.title(), marker.capitalize()))
_VARIANTS = _VARIANTS | {"NaN", "N/a", "#N/A", "<NA>"}

TREATED_NOTE = "Missing-value markers treated as missing (the default): {findings}"
KEPT_NOTE = "Missing-value markers kept as values, as chosen: {findings}"


@dataclass(frozen=True)
class MarkerFinding:
    """The markers found in one column, with how many rows hold each."""

    column: str
    counts: Mapping[str, int]
    numbers_otherwise: bool  # the column's other values are all numbers

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def find_missing_markers(frame: pd.DataFrame) -> tuple[MarkerFinding, ...]:
    """Return the missing-value markers of every text column of ``frame``, in column order."""
    findings = []
    for name in frame.columns:
        column = frame[name]
        if not (types.is_string_dtype(column) or column.dtype == object):
            continue
        finding = _column_markers(str(name), column)
        if finding is not None:
            findings.append(finding)
    return tuple(findings)


def treat_markers_as_missing(
    frame: pd.DataFrame, findings: tuple[MarkerFinding, ...], *, delimiter: str | None = None,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return a copy of ``frame`` with the markers made missing, and notes on numbers read.

    A column whose other values are numbers becomes a number column (decimal commas
    included, ``delimiter`` breaking a tie as in ``read_text_numbers``); a column of codes
    with leading zeros (``007``) stays text, as written.
    """
    frame = frame.copy(deep=False)
    for finding in findings:
        column = frame[finding.column]
        frame[finding.column] = column.mask(column.isin(list(finding.counts)))
    numeric = [f.column for f in findings if f.numbers_otherwise and not _leading_zeros(frame[f.column])]
    if not numeric:
        return frame, ()
    converted, notes = read_text_numbers(frame[numeric].copy(), delimiter=delimiter)
    for name in numeric:
        frame[name] = converted[name]
    return frame, notes


def describe_findings(findings: tuple[MarkerFinding, ...]) -> str:
    """Return the findings in words: "'age': '?' × 3; 'city': 'NA' × 1, '' × 2"."""
    return "; ".join(
        f"{finding.column!r}: " + ", ".join(f"{value!r} × {count:,}" for value, count in finding.counts.items())
        for finding in findings
    )


def _column_markers(name: str, column: pd.Series) -> MarkerFinding | None:
    present = column.dropna()
    text = present.astype(str)
    stripped = text.str.strip()  # "age, workclass" files write " ?" after each comma
    candidate = stripped.isin(_VARIANTS) | (stripped == "")
    if not candidate.any():
        return None
    rest = text[~candidate]
    numbers = bool(len(rest)) and _all_numbers(rest)
    counts = text[candidate].value_counts(sort=True)
    kept = {value: int(count) for value, count in counts.items()
            if numbers or rest.empty or not _like_the_rest(value, rest)}
    return MarkerFinding(name, kept, numbers) if kept else None


def _all_numbers(rest: pd.Series) -> bool:
    return bool(number_readings(rest))


def _like_the_rest(value: str, rest: pd.Series) -> bool:
    # Judged on the distinct values of a fixed sample, weighted by their rows: a share needs no
    # more, and free text can hold a million distinct values.
    if len(rest) > SHAPE_SAMPLE:
        rest = rest.sample(n=SHAPE_SAMPLE, random_state=0)
    counts = rest.value_counts()
    values = counts.index.astype(str)
    if not _is_word(value):
        signs = [not _is_word(other) for other in values]
        return counts[signs].sum() / counts.sum() >= LIKE_THE_REST_SHARE  # a column of signs
    same_shape = [_shape(other) == _shape(value) for other in values]
    return counts[same_shape].sum() / counts.sum() >= LIKE_THE_REST_SHARE


def _is_word(value: str) -> bool:
    return any(character.isalnum() for character in value)


def _shape(value: str) -> str:
    """Return "Aa9"-style shape: each upper-case letter A, lower-case a, digit 9, others kept."""
    return "".join("A" if c.isupper() else "a" if c.islower() else "9" if c.isdigit() else c for c in value)


def _leading_zeros(column: pd.Series) -> bool:
    return bool(column.dropna().astype(str).str.strip().str.match(r"[+-]?0\d").any())


def values_look(findings: tuple[MarkerFinding, ...]) -> str:
    """Return "1 value looks" or "1,836 values look", counting the rows of every finding."""
    rows = sum(finding.rows for finding in findings)
    return f"{rows:,} value looks" if rows == 1 else f"{rows:,} values look"


def findings_table(findings: tuple[MarkerFinding, ...]) -> pd.DataFrame:
    """Return one row per column and marker: the column, the value as written, and its rows."""
    rows = [{"column": f.column, "value": repr(value), "rows": count,
             "rest of the column": "numbers" if f.numbers_otherwise else "text"}
            for f in findings for value, count in f.counts.items()]
    return pd.DataFrame(rows, columns=["column", "value", "rows", "rest of the column"])
