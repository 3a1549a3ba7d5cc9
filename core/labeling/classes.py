"""Display names of class values (0 = "rejected", 1 = "approved"): one formatter for every page.

The names are for reading only: labels, targets, predictions and metrics keep the stored value,
and every page turns a value into its name through `ClassNames` at the moment it shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

MAX_CLASS_NAME = 40
EMPTY_NAME = ("Class “{value}” has no display name. Give every class a name (for example 0 = rejected, "
              "1 = approved), or press Clear names to show the stored values.")
TOO_LONG = f"The name “{{name}}” is longer than {MAX_CLASS_NAME} characters. Shorten it."
DUPLICATE_NAME = "Classes {values} are all named “{name}”. Give each class its own name."
NOT_A_CLASS = "“{value}” is not a class of this project (its classes: {classes}). Name only those."
LOOKS_LIKE_A_CLASS = ("The name “{name}” is the value of another class, so the pages could not tell the two "
                      "apart. Choose a word instead.")


class ClassNameError(ValueError):
    """A set of class names was refused; the message names the problem and the fix."""


@dataclass(frozen=True)
class ClassNames:
    """The display name of each named class value (stored values as text), read-only."""

    names: Mapping[str, str] = field(default_factory=dict)

    def show(self, value) -> str:
        """Return the display name of a class value, or the value itself as text when it has none."""
        return self.names.get(str(value), str(value))

    def show_all(self, values: Iterable) -> list[str]:
        """Return the display names of the values, in their order."""
        return [self.show(v) for v in values]

    def relabel(self, frame: pd.DataFrame, *, index: bool = False, columns: bool = False,
                values: Iterable[str] = ()) -> pd.DataFrame:
        """Return a copy of the frame with class values shown by name in its index, columns or columns `values`.

        A column of `values` the frame lacks is passed over, so one list serves frames of several shapes.
        """
        shown = frame.copy()
        if index:
            shown.index = pd.Index(self.show_all(shown.index), name=shown.index.name)
        if columns:
            shown.columns = pd.Index(self.show_all(shown.columns), name=shown.columns.name)
        for column in (c for c in values if c in shown.columns):
            shown[column] = shown[column].map(lambda v: v if pd.isna(v) else self.show(v))
        return shown


def check_class_names(names: Mapping[str, str], classes: Iterable) -> dict[str, str]:
    """Return the names trimmed, keyed by class value as text; raise ClassNameError for bad input.

    Refused: a value that is not a class, an empty or too long name, two classes with one name,
    and a name equal to another class's value ("1" for class 0 would read as class 1).
    """
    known = [str(c) for c in classes]
    cleaned = {str(value).strip(): " ".join(str(name or "").split()) for value, name in names.items()}
    for value, name in cleaned.items():
        if value not in known:
            raise ClassNameError(NOT_A_CLASS.format(value=value, classes=", ".join(known)))
        if not name:
            raise ClassNameError(EMPTY_NAME.format(value=value))
        if len(name) > MAX_CLASS_NAME:
            raise ClassNameError(TOO_LONG.format(name=name))
        if name in known and name != value:
            raise ClassNameError(LOOKS_LIKE_A_CLASS.format(name=name))
    _refuse_repeats(cleaned)
    return cleaned


def _refuse_repeats(cleaned: Mapping[str, str]) -> None:
    by_name: dict[str, list[str]] = {}
    for value, name in cleaned.items():
        by_name.setdefault(name.casefold(), []).append(value)
    for values in by_name.values():
        if len(values) > 1:
            raise ClassNameError(DUPLICATE_NAME.format(values=" and ".join(values), name=cleaned[values[0]]))
