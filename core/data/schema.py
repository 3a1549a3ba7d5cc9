"""Infer what each column holds (numbers, categories, free text, image pixels or dates)."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd
from pandas.api import types
from pandas.tseries.api import guess_datetime_format

ColumnKind = Literal["numeric", "categorical", "text", "image", "datetime"]
COLUMN_KINDS: tuple[str, ...] = get_args(ColumnKind)

SAMPLE_SIZE = 1000
DATE_PARSE_SHARE = 0.95
MOSTLY_DATES_SHARE = 0.5
TEXT_MEDIAN_LENGTH = 30
TEXT_SPACE_SHARE = 0.5
TEXT_UNIQUE_SHARE = 0.5
MIN_IMAGE_PIXELS = 4
# No leading zeros, so "pixel_01" cannot pose as a second "pixel_1".
PIXEL_NAME = re.compile(r"pixel_(0|[1-9][0-9]*)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A date names a year, a month and (mostly) a day: "1-2", "12,50" or "Q3 2024" do not.
DATE_SHAPE = re.compile(
    rf"(?:[a-z]{{3,9}},?\s+)?"                                   # an optional weekday
    rf"(?:\d{{4}}(?:[-/]\d{{1,2}}(?:[-/]\d{{1,2}})?|\.\d{{1,2}}\.\d{{1,2}})"  # 2024-01-05, 2024/1/5, 2024-01
    rf"|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}"                    # 05/01/2024, 5.1.24
    rf"|\d{{1,2}}[\s-]+{_MONTH},?[\s-]+\d{{2,4}}"                  # 31 December 2023, 5-Jan-24
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"           # Jan 5, 2024
    rf"|{_MONTH}\s+\d{{4}})"                                      # March 2024
    rf"(?:[T\s]+\d{{1,2}}:\d{{2}}\S*(?:\s*(?:[ap]m|z|utc|[+-]\d{{2}}:?\d{{2}}))?)?",  # a time
    re.IGNORECASE,
)

UNKNOWN_SCHEMA_COLUMN = (
    "The schema names column {column!r}, which the data does not have. Infer the schema again "
    "from this data, or remove that column from the schema."
)
DATES_KEPT_AS_TEXT = (
    "Column {column!r} kept as text, not dates: {count} of {total} values do not read as dates "
    "(for example {examples}). Correct or empty those values and upload again to get a date column."
)
UNKNOWN_KIND = (
    "Column {column!r} has kind {kind!r}; the known kinds are {kinds}. Choose one of those."
)


def infer_schema(frame: pd.DataFrame) -> dict[str, ColumnKind]:
    """Return the kind of every column of ``frame``, in column order.

    Rules: a complete ``pixel_0``..``pixel_{k*k-1}`` family of numeric columns (k >= 2) is
    "image"; all-missing columns are "categorical"; bool is "categorical"; integers with at
    most two distinct values are "categorical" (0/1 flags and codes, not quantities); other
    numbers are "numeric"; datetime dtypes are "datetime"; strings are "datetime" when at
    least 95% of a sample parses as dates, "text" when long or sentence-like, else
    "categorical".
    """
    pixels = set(image_columns(frame))
    return {name: "image" if name in pixels else _column_kind(frame[name]) for name in frame.columns}


def image_columns(frame: pd.DataFrame) -> tuple[str, ...]:
    """Return the pixel columns in pixel order when they form a numeric k x k image, else ()."""
    by_index = {}
    for name in frame.columns:
        match = PIXEL_NAME.fullmatch(name) if isinstance(name, str) else None
        if match:
            by_index[int(match.group(1))] = name
    count = len(by_index)
    if count < MIN_IMAGE_PIXELS or math.isqrt(count) ** 2 != count or max(by_index) != count - 1:
        return ()
    ordered = tuple(by_index[index] for index in range(count))
    if not all(_is_number(frame[name]) for name in ordered):
        return ()
    return ordered


@dataclass(frozen=True, eq=False)
class CoercedFrame:
    """A frame with its date text converted, the kinds that hold for it, and notes on what was kept."""

    frame: pd.DataFrame
    kinds: dict[str, ColumnKind]
    notes: tuple[str, ...] = ()


def coerce_schema(frame: pd.DataFrame, schema: dict[str, ColumnKind]) -> CoercedFrame:
    """Return ``frame`` with its datetime-kind text columns converted to datetime64.

    Inference looks at a sample; here every value counts. A column converts only when each
    of its non-missing values parses; otherwise it stays text, untouched, with a note that
    names the values that are not dates. No value is ever dropped.
    """
    _check_schema(frame, schema)
    result, kinds, notes = frame.copy(deep=False), dict(schema), []
    for name, kind in schema.items():
        column = frame[name]
        if not (types.is_string_dtype(column) or column.dtype == object):
            continue
        if kind == "datetime":
            parsed = parse_dates(column)
            failed = column.notna() & parsed.isna()
            if not failed.any():
                result[name] = parsed
                continue
            kinds[name] = _string_kind(column, dates=False)
        elif _mostly_date_shaped(column):
            failed = column.notna() & _to_datetimes(column, date_format(_sample(column)) or "mixed").isna()
        else:
            continue
        notes.append(_kept_as_text_note(name, column[failed], int(column.notna().sum())))
    return CoercedFrame(result, kinds, tuple(notes))


def _mostly_date_shaped(column: pd.Series) -> bool:
    # Half the values shaped like dates is a date column with too many other values to read as
    # one (inference wants 95%); the user is told which values stood in the way.
    sample = _sample(column).astype(str).str.strip()
    return bool(len(sample)) and sample.str.fullmatch(DATE_SHAPE).mean() >= MOSTLY_DATES_SHARE


def _kept_as_text_note(name: str, failed: pd.Series, total: int) -> str:
    examples = ", ".join(repr(value) for value in failed.astype(str).unique()[:3])
    return DATES_KEPT_AS_TEXT.format(column=name, count=len(failed), total=total, examples=examples)


def parse_dates(values: pd.Series) -> pd.Series:
    """Return ``values`` as datetimes, parsed with the format that fits a sample; NaT where none."""
    return _to_datetimes(values, date_format(_sample(values)) or "mixed")


def date_format(values: pd.Series) -> str | None:
    """Return the ``pd.to_datetime`` format that parses >= 95% of ``values``, or None.

    The answer is "ISO8601", a strftime pattern guessed from the first value (fast on
    millions of rows), or "mixed" (per value, slow). Values must carry a digit and must
    not be plain numbers, since the date parser would read "May" or "12" as dates: at least
    95% must have the shape of a date (year, month and mostly a day; an optional time).
    """
    text = values.dropna().astype(str).str.strip()
    if text.empty or text.str.fullmatch(DATE_SHAPE).mean() < DATE_PARSE_SHARE:
        return None
    first = text.iloc[0]
    # Day-first styles (31.12.2023) need their own guess: month-first fails on day 13 and later.
    with warnings.catch_warnings():  # pandas warns when a day-first guess finds month-first text
        warnings.simplefilter("ignore", UserWarning)
        guesses = (guess_datetime_format(first), guess_datetime_format(first, dayfirst=True))
    for candidate in ("ISO8601", *guesses, "mixed"):
        if candidate and _to_datetimes(text, candidate).notna().mean() >= DATE_PARSE_SHARE:
            return candidate
    return None


def _column_kind(column: pd.Series) -> ColumnKind:
    if not column.notna().any() or types.is_bool_dtype(column):
        return "categorical"
    if types.is_datetime64_any_dtype(column):
        return "datetime"
    if types.is_integer_dtype(column):
        return "categorical" if _at_most_two_values(column) else "numeric"
    if types.is_numeric_dtype(column):
        return "numeric"
    if types.is_string_dtype(column) or column.dtype == object:
        return _string_kind(column)
    return "categorical"


def _string_kind(column: pd.Series, *, dates: bool = True) -> ColumnKind:
    sample = _sample(column).astype(str)
    if dates and date_format(sample) is not None:
        return "datetime"
    if sample.str.len().median() > TEXT_MEDIAN_LENGTH:
        return "text"
    if sample.str.contains(" ", regex=False).mean() > TEXT_SPACE_SHARE:
        non_missing = column.dropna()
        if non_missing.nunique() / len(non_missing) > TEXT_UNIQUE_SHARE:
            return "text"
    return "categorical"


def _sample(column: pd.Series) -> pd.Series:
    """Return up to SAMPLE_SIZE non-missing values, drawn with a fixed seed."""
    values = column.dropna()
    if len(values) <= SAMPLE_SIZE:
        return values
    positions = np.random.default_rng(0).choice(len(values), size=SAMPLE_SIZE, replace=False)
    return values.iloc[np.sort(positions)]


def _to_datetimes(values: pd.Series, date_format_: str) -> pd.Series:
    try:
        return pd.to_datetime(values, format=date_format_, errors="coerce")
    except ValueError:
        # Mixed UTC offsets only parse onto one common clock.
        return pd.to_datetime(values, format=date_format_, errors="coerce", utc=True)


def _at_most_two_values(column: pd.Series) -> bool:
    # Comparing with the extremes avoids hashing a million values as nunique() would.
    low, high = column.min(), column.max()
    return bool(((column == low) | (column == high) | column.isna()).all())


def _is_number(column: pd.Series) -> bool:
    return types.is_numeric_dtype(column) and not types.is_bool_dtype(column)


def _check_schema(frame: pd.DataFrame, schema: dict[str, ColumnKind]) -> None:
    for name, kind in schema.items():
        if name not in frame.columns:
            raise ValueError(UNKNOWN_SCHEMA_COLUMN.format(column=name))
        if kind not in COLUMN_KINDS:
            raise ValueError(UNKNOWN_KIND.format(column=name, kind=kind, kinds=", ".join(COLUMN_KINDS)))
