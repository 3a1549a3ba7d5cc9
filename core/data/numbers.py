"""Read numbers that a CSV parser leaves as text: decimal commas, thousands separators,
and integers too long for 64 bits.

European exports write ``1.234,50`` and separate fields with ``;``; US exports write
``1,234.50``. pandas reads only the plain form as numbers and leaves the others as text,
which the date parser would then misread (``12,50`` as 12 January). A text column becomes
numbers only when every value in it is a number in one convention; anything else stays
text exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api import types

Mark = Literal[",", "."]
# Either plain digits or digits grouped by three with the other mark, then optional decimals.
_WITH_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_WITH_DECIMAL_POINT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
INT64_DIGITS = 18
QUICK_LOOK = 1000  # every integer of up to 18 digits fits in 64 bits

DECIMAL_COMMA_NOTE = "Decimal commas read as numbers (e.g. '1.234,50' = 1234.5) in: {columns}"
THOUSANDS_COMMA_NOTE = "Thousands commas read as numbers (e.g. '1,234.50' = 1234.5) in: {columns}"
THOUSANDS_DOT_NOTE = (
    "Dots read as thousands separators ('1.234' = 1234), since this file writes decimals with a "
    "comma, in: {columns}"
)
AMBIGUOUS_NOTE = (
    "Kept as text: {columns} hold only values such as '1,234', which read as 1.234 with a "
    "decimal comma and as 1234 with a thousands comma, and nothing else in the file tells which. "
    "Re-export with plain numbers (1234 or 1.234) to get a number column."
)
LONG_INTEGER_NOTE = (
    "Kept as text: {columns} hold integers of more than {digits} digits, too long for a 64-bit "
    "number; as text no digit is lost (an ID stays exact). Convert it in the source if it is a "
    "quantity you want to compute with."
)


def read_text_numbers(
    frame: pd.DataFrame, *, delimiter: str | None,
    raw_text: Callable[[list[str]], pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return ``frame`` with its number-text columns converted, and notes saying which.

    ``delimiter`` breaks a tie when every such column could be either convention (``;``
    means decimal commas, ``,`` thousands commas). ``raw_text(columns)`` gives columns as
    written in the file, so that in a decimal-comma file ``1.234``, which a parser read
    as 1.234, is read as 1234.
    """
    frame, notes, long_columns = _long_integers_as_text(frame)
    readings = {name: number_readings(frame[name]) for name in _text_columns(frame) if name not in long_columns}
    readings = {name: marks for name, marks in readings.items() if marks}
    mark = file_decimal_mark(readings.values(), delimiter=delimiter)
    converted: dict[Mark, list[str]] = {",": [], ".": []}
    ambiguous = []
    for name, marks in readings.items():
        chosen = marks[0] if len(marks) == 1 else mark or _point_if_no_comma(frame[name])
        if chosen is None:
            ambiguous.append(name)
            continue
        if _has_separator(frame[name]):
            converted[chosen].append(name)  # plain numbers read the same either way: no word
        frame[name] = to_number(frame[name], chosen)
    if mark == "," and raw_text is not None:
        frame, dotted = _thousands_dots(frame, raw_text)
        notes += (THOUSANDS_DOT_NOTE.format(columns=_listed(dotted)),) if dotted else ()
    notes += _conversion_notes(converted, ambiguous)
    return frame, notes


def file_decimal_mark(column_readings, *, delimiter: str | None) -> Mark | None:
    """Return the decimal mark the file's unambiguous columns use, else the delimiter's custom.

    Each item of ``column_readings`` is the marks a column's values read under. A column
    readable only one way is evidence; when the evidence conflicts or is absent the
    delimiter decides: ``;`` (the European export) means a comma, ``,`` a point.
    """
    evidence = {marks[0] for marks in column_readings if len(marks) == 1}
    if len(evidence) == 1:
        return evidence.pop()
    return {";": ",", ",": "."}.get(delimiter or "")


def to_number(values: pd.Series, mark: Mark) -> pd.Series:
    """Return number text written with decimal ``mark`` as float64 (missing stays missing)."""
    thousands = "." if mark == "," else ","
    text = values.astype("string").str.strip().str.replace(thousands, "", regex=False)
    if mark == ",":
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="raise").astype("float64")


def number_readings(column: pd.Series) -> tuple[Mark, ...]:
    """Return the decimal marks under which every value of a text column is a number (or ())."""
    head = column.dropna().head(QUICK_LOOK).astype(str).str.strip()
    if not (head.str.fullmatch(_WITH_DECIMAL_COMMA) | head.str.fullmatch(_WITH_DECIMAL_POINT)).all():
        return ()  # most text columns show words at once: no need to list a million values
    unique = pd.Series(column.dropna().unique()).astype(str).str.strip()
    if unique.empty:
        return ()
    marks = []
    if unique.str.fullmatch(_WITH_DECIMAL_COMMA).all():
        marks.append(",")
    if unique.str.fullmatch(_WITH_DECIMAL_POINT).all():
        marks.append(".")
    return tuple(marks)


def _point_if_no_comma(column: pd.Series) -> Mark | None:
    # Without commas the values read the way the CSV parser reads numbers (1.5 = one and a half).
    return None if _has_comma(column) else "."


def _has_separator(column: pd.Series) -> bool:
    return bool(column.dropna().astype(str).str.contains(r"[,.]").any())


def _has_comma(column: pd.Series) -> bool:
    return bool(column.dropna().astype(str).str.contains(",", regex=False).any())


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [name for name in frame.columns
            if types.is_string_dtype(frame[name]) or frame[name].dtype == object]


def _long_integers_as_text(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...], list[str]]:
    # The CSV parser hands integers beyond 64 bits over as Python ints, which cannot be stored.
    long_columns = [name for name in frame.columns
                    if frame[name].dtype == object and _holds_long_integers(frame[name])]
    for name in long_columns:
        frame[name] = frame[name].map(lambda v: v if pd.isna(v) else str(v)).astype("str")
    if not long_columns:
        return frame, (), []
    return frame, (LONG_INTEGER_NOTE.format(columns=_listed(long_columns), digits=INT64_DIGITS),), long_columns


def _holds_long_integers(column: pd.Series) -> bool:
    present = column.dropna()
    return bool(len(present)) and all(
        isinstance(value, (int, np.integer)) and not isinstance(value, bool) for value in present
    ) and any(abs(int(value)) > np.iinfo(np.int64).max for value in present)


def _thousands_dots(frame: pd.DataFrame, raw_text) -> tuple[pd.DataFrame, list[str]]:
    floats = [name for name in frame.columns if types.is_float_dtype(frame[name])]
    if not floats:
        return frame, []
    raw = raw_text(floats)
    dotted = [name for name in floats if _all_thousands_dotted(raw[name])]
    for name in dotted:
        frame[name] = to_number(raw[name], ",")
    return frame, dotted


def _all_thousands_dotted(raw: pd.Series) -> bool:
    unique = pd.Series(raw.dropna().unique()).astype(str).str.strip()
    # Plain integers fit both readings; at least one grouped value shows the custom.
    dotted = unique.str.fullmatch(_THOUSANDS_DOT)
    return bool(dotted.any()) and bool((dotted | unique.str.fullmatch(r"[+-]?\d+")).all())


def _conversion_notes(converted: dict[Mark, list[str]], ambiguous: list[str]) -> tuple[str, ...]:
    notes = []
    if converted[","]:
        notes.append(DECIMAL_COMMA_NOTE.format(columns=_listed(converted[","])))
    if converted["."]:
        notes.append(THOUSANDS_COMMA_NOTE.format(columns=_listed(converted["."])))
    if ambiguous:
        notes.append(AMBIGUOUS_NOTE.format(columns=_listed(ambiguous)))
    return tuple(notes)


def _listed(names) -> str:
    return ", ".join(repr(name) for name in names)
