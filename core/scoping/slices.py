"""Whether a per-slice target names something the data holds: a category column and one of its values.

A target such as ``recall[region=North] >= 0.8`` can only be measured when the data has a column
``region`` holding the value ``North``; otherwise it blocks promotion forever as "not measured".
`slice_problem` says what is wrong and suggests the closest column or value: the same text
ignoring case first, then the closest spelling (difflib).

Values are compared as the names slice metrics are stored under (`core.slicing.slice_values`):
a category value as text, so a 0/1 flag column is sliced as ``flag=1``, and a numeric column with
many values by its ranges, such as ``age=18–30``; a number that falls in a range suggests it.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

from core.slicing import range_holds, slice_order

SLICE_KINDS = frozenset({"categorical", "numeric"})
MAX_LISTED = 12

UNKNOWN_SLICE_COLUMN = "The data has no column “{column}”{hint}. Its columns are: {names}."
UNKNOWN_SLICE_VALUE = "Column “{column}” has no value “{value}”{hint}. Its values are: {names}."
NOT_A_CATEGORY = (
    "“{column}” is a {kind} column, and a slice target names one value of a category column or one "
    "range of a numeric column (as the slice tables name it, e.g. “age=18–30”). Such columns: {names}."
)
NO_CATEGORY_COLUMNS = "none in this data"
DID_YOU_MEAN = " (did you mean “{name}”?)"
NOT_CHECKED_YET = (
    "The project has no data yet, so the slice “{slice}” will be checked against the data when it arrives."
)


def split_slice(slice: str) -> tuple[str, str]:
    """Return (column, value) of a checked slice such as ``sex=F``.

    >>> split_slice("region=North")
    ('region', 'North')
    """
    column, _, value = slice.partition("=")
    return column, value


def slice_problem(slice: str, *, kinds: Mapping[str, str], values: Collection[str]) -> str | None:
    """Return why the slice names nothing in the data, or None when the column holds the value.

    `kinds` maps every column of the data to its kind; `values` are the named column's distinct
    values as text.

    >>> kinds = {"sex": "categorical", "age": "numeric"}
    >>> slice_problem("sex=F", kinds=kinds, values={"F", "M"}) is None
    True
    >>> slice_problem("Sex=f", kinds=kinds, values={"F", "M"})
    'The data has no column “Sex” (did you mean “sex”?). Its columns are: age, sex.'
    >>> slice_problem("sex=f", kinds=kinds, values={"F", "M"})
    'Column “sex” has no value “f” (did you mean “F”?). Its values are: F, M.'
    """
    column, value = split_slice(slice)
    if column not in kinds:
        hint = _hint(column, kinds)
        return UNKNOWN_SLICE_COLUMN.format(column=column, hint=hint, names=_listed(kinds))
    if kinds[column] not in SLICE_KINDS:
        categories = [c for c, kind in kinds.items() if kind in SLICE_KINDS]
        return NOT_A_CATEGORY.format(column=column, kind=kinds[column],
                                     names=_listed(categories) if categories else NO_CATEGORY_COLUMNS)
    if value not in values:
        hint = _range_hint(value, values) or _hint(value, values)
        return UNKNOWN_SLICE_VALUE.format(column=column, value=value, hint=hint, names=_listed(values))
    return None


def closest(name: str, choices: Collection[str]) -> str | None:
    """Return the choice closest to `name`: equal ignoring case first, then the closest spelling, else None.

    >>> closest("north", ["North", "South"]), closest("Nrth", ["North", "South"]), closest("x", ["North"])
    ('North', 'North', None)
    """
    folded: dict[str, str] = {}
    for choice in sorted(choices):
        folded.setdefault(choice.casefold(), choice)
    if name.casefold() in folded:
        return folded[name.casefold()]
    match = difflib.get_close_matches(name.casefold(), list(folded), n=1)
    return folded[match[0]] if match else None


def _range_hint(value: str, choices: Collection[str]) -> str:
    """Return a suggestion of the range that holds a number, or "" (a numeric column is sliced by ranges)."""
    try:
        number = float(value)
    except ValueError:
        return ""
    found = next((name for name in sorted(choices, key=slice_order) if range_holds(name, number)), None)
    return DID_YOU_MEAN.format(name=found) if found else ""


def _hint(name: str, choices: Collection[str]) -> str:
    found = closest(name, choices)
    return DID_YOU_MEAN.format(name=found) if found is not None else ""


def _listed(names: Collection[str]) -> str:
    ordered = sorted(names, key=slice_order)
    shown = ", ".join(ordered[:MAX_LISTED])
    return shown if len(ordered) <= MAX_LISTED else f"{shown} and {len(ordered) - MAX_LISTED} more"
