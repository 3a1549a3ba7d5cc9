"""Column roles of a dataset (target, ID, time, sensitive, ignored) and the checks on them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

import pandas as pd
from pandas.api import types

MAX_CLASSES = 100
# Each of these roles needs a column of its own.
EXCLUSIVE_ROLES = ("target", "id", "time")

UNKNOWN_ROLE_KEYS = "Unknown role keys {keys}; the known keys are target, id, time, sensitive, ignored."
MISSING_ROLE_COLUMN = (
    "The {role} column {column!r} is not in this dataset. Pick one of its columns, or clear the "
    "{role} role."
)
ROLE_CONFLICT = (
    "Column {column!r} is chosen as both {first} and {second}. A column can hold only one of "
    "these roles: choose another column for one of them."
)
IGNORED_CONFLICT = (
    "Column {column!r} is the {role} column but is also marked as ignored. Remove it from the "
    "ignored columns, or choose another {role} column."
)
TARGET_ALL_MISSING = (
    "The target {column!r} is empty in every row. Pick a target column that holds labels, or "
    "label some rows first."
)
TARGET_ONE_CLASS = (
    "The target {column!r} has only one class, {value!r}, in all {count} labelled rows; a "
    "classifier needs at least two. Pick another target, or add rows of the other class."
)
TARGET_MANY_CLASSES = (
    "The target {column!r} has {count} distinct values, more than {limit} classes. If it is a "
    "measured quantity (a price, an age), bin it into a few classes or pick another target; "
    "otherwise expect to need many labelled rows per class."
)
TARGET_SOME_MISSING = (
    "The target {column!r} is missing in {count} of {total} rows. Those rows cannot be used "
    "to train or evaluate a model: label them, or accept the smaller dataset."
)
ID_DUPLICATES = (
    "The ID column {column!r} repeats values: {count} rows reuse an earlier ID (for example "
    "{example!r}). IDs must be unique: pick another ID column, or remove the repeated rows."
)
ID_MISSING = (
    "The ID column {column!r} is empty in {count} rows. Every row needs an ID: pick another ID "
    "column, or fill in the missing IDs."
)
ALL_MISSING_COLUMN = (
    "Column {column!r} is empty in every row, so it carries no information. Mark it as "
    "ignored, or drop it."
)
TIME_NOT_ORDERED = (
    "The time column {column!r} holds {kind} values, not dates or numbers, so rows cannot be "
    "put in time order. Pick a date or numeric column as the time column, or clear the role."
)


@dataclass(frozen=True)
class Roles:
    """Which columns are the target, the row ID, the time, sensitive or ignored."""

    target: str | None = None
    id: str | None = None
    time: str | None = None
    sensitive: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Lists from widgets or JSON would make the frozen value mutable and unhashable.
        object.__setattr__(self, "sensitive", tuple(self.sensitive))
        object.__setattr__(self, "ignored", tuple(self.ignored))

    def to_dict(self) -> dict[str, Any]:
        """Return the roles as JSON-safe values (lists for the column groups)."""
        return {
            "target": self.target, "id": self.id, "time": self.time,
            "sensitive": list(self.sensitive), "ignored": list(self.ignored),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Roles:
        """Return the roles stored by ``to_dict``; absent keys take their defaults."""
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(UNKNOWN_ROLE_KEYS.format(keys=", ".join(sorted(unknown))))
        return cls(
            target=data.get("target"), id=data.get("id"), time=data.get("time"),
            sensitive=tuple(data.get("sensitive") or ()), ignored=tuple(data.get("ignored") or ()),
        )

    def restricted_to(self, columns: Iterable[str]) -> Roles:
        """Return the roles with every column that is not in `columns` dropped."""
        kept = set(columns)
        return Roles(
            target=self.target if self.target in kept else None, id=self.id if self.id in kept else None,
            time=self.time if self.time in kept else None,
            sensitive=tuple(c for c in self.sensitive if c in kept), ignored=tuple(c for c in self.ignored if c in kept),
        )

    def role_of(self, column: str) -> str:
        """Return the role of a column in words: target, id, time, sensitive, ignored or feature."""
        named = {self.target: "target", self.id: "id", self.time: "time"}
        named |= {c: "sensitive" for c in self.sensitive} | {c: "ignored" for c in self.ignored}
        return named.get(column, "feature") if column is not None else "feature"

    def feature_columns(self, columns: Iterable[str]) -> list[str]:
        """Return the columns a model may learn from: all but target, ID, time, sensitive, ignored."""
        excluded = {self.target, self.id, self.time, *self.sensitive, *self.ignored}
        return [column for column in columns if column not in excluded]


@dataclass(frozen=True)
class RoleCheck:
    """One finding about the chosen roles; errors block saving, warnings inform."""

    level: Literal["error", "warning"]
    message: str


TARGET_NAMES = frozenset({"label", "target", "class", "y"})
# An ID's name: "id" alone, or "id" joined to a word by a separator or camel case (applicant_id,
# "Customer ID", customerId); not words that merely end in "id", such as "paid" or "valid".
SEPARATED_ID = re.compile(r"^(?:id|uuid|identifier)$|[\s_.-]id$|^id[\s_.-]", re.IGNORECASE)
CAMEL_ID = re.compile(r"[a-z](?:Id|ID)$")


def suggest_roles(frame: pd.DataFrame) -> Roles:
    """Return the roles an upload starts from, for the user to change before storing.

    The ID: the first column named like an ID whose values are all present and unique. The
    target: a column named label, target, class or y (any case), else the last column that is not
    the ID.
    """
    id_column = next((c for c in frame.columns if _looks_like_id(str(c)) and _unique(frame[c])), None)
    named = [c for c in frame.columns if str(c).strip().lower() in TARGET_NAMES and c != id_column]
    rest = [c for c in frame.columns if c != id_column]
    target = named[0] if named else (rest[-1] if rest else None)
    return Roles(target=target, id=id_column)


def _looks_like_id(name: str) -> bool:
    return bool(SEPARATED_ID.search(name.strip()) or CAMEL_ID.search(name.strip()))


def _unique(column: pd.Series) -> bool:
    return bool(column.notna().all() and column.is_unique)


def check_roles(frame: pd.DataFrame, roles: Roles, schema: Mapping[str, str]) -> tuple[RoleCheck, ...]:
    """Return the problems with ``roles`` on ``frame``, errors first."""
    checks = [*_missing_columns(frame, roles), *_conflicts(roles)]
    if roles.target in frame.columns:
        checks += _target_checks(frame[roles.target], roles.target)
    if roles.id in frame.columns:
        checks += _id_checks(frame[roles.id], roles.id)
    if roles.time in frame.columns and not _orderable(frame[roles.time], schema.get(roles.time)):
        kind = schema.get(roles.time) or str(frame[roles.time].dtype)
        checks.append(RoleCheck("error", TIME_NOT_ORDERED.format(column=roles.time, kind=kind)))
    checks += _empty_columns(frame, skip={roles.target, *roles.ignored})
    return tuple(sorted(checks, key=lambda check: check.level != "error"))


def _missing_columns(frame: pd.DataFrame, roles: Roles) -> list[RoleCheck]:
    named = [(role, getattr(roles, role)) for role in EXCLUSIVE_ROLES]
    named += [("sensitive", column) for column in roles.sensitive]
    named += [("ignored", column) for column in roles.ignored]
    return [
        RoleCheck("error", MISSING_ROLE_COLUMN.format(role=role, column=column))
        for role, column in named
        if column is not None and column not in frame.columns
    ]


def _conflicts(roles: Roles) -> list[RoleCheck]:
    checks = []
    for position, first in enumerate(EXCLUSIVE_ROLES):
        column = getattr(roles, first)
        for second in EXCLUSIVE_ROLES[position + 1 :]:
            if column is not None and column == getattr(roles, second):
                message = ROLE_CONFLICT.format(column=column, first=first, second=second)
                checks.append(RoleCheck("error", message))
        if column is not None and column in roles.ignored:
            checks.append(RoleCheck("error", IGNORED_CONFLICT.format(column=column, role=first)))
    return checks


def _target_checks(target: pd.Series, column: str) -> list[RoleCheck]:
    labelled = target.dropna()
    if labelled.empty:
        return [RoleCheck("error", TARGET_ALL_MISSING.format(column=column))]
    checks = []
    n_classes = labelled.nunique()
    if n_classes == 1:
        message = TARGET_ONE_CLASS.format(column=column, value=_plain(labelled.iloc[0]), count=len(labelled))
        checks.append(RoleCheck("error", message))
    elif n_classes > MAX_CLASSES:
        message = TARGET_MANY_CLASSES.format(column=column, count=n_classes, limit=MAX_CLASSES)
        checks.append(RoleCheck("warning", message))
    n_missing = len(target) - len(labelled)
    if n_missing:
        message = TARGET_SOME_MISSING.format(column=column, count=n_missing, total=len(target))
        checks.append(RoleCheck("warning", message))
    return checks


def _id_checks(ids: pd.Series, column: str) -> list[RoleCheck]:
    checks = []
    present = ids.dropna()
    if len(present) < len(ids):
        checks.append(RoleCheck("error", ID_MISSING.format(column=column, count=len(ids) - len(present))))
    repeated = present[present.duplicated()]
    if len(repeated):
        message = ID_DUPLICATES.format(column=column, count=len(repeated), example=_plain(repeated.iloc[0]))
        checks.append(RoleCheck("error", message))
    return checks


def _orderable(column: pd.Series, kind: str | None) -> bool:
    if types.is_bool_dtype(column):
        return False
    return kind == "datetime" or types.is_datetime64_any_dtype(column) or types.is_numeric_dtype(column)


def _empty_columns(frame: pd.DataFrame, *, skip: set) -> list[RoleCheck]:
    if frame.empty:
        return []  # with no rows at all, "empty in every row" says nothing about a column
    empty = frame.columns[frame.isna().all().to_numpy()]
    return [
        RoleCheck("warning", ALL_MISSING_COLUMN.format(column=column))
        for column in empty
        if column not in skip
    ]


def _plain(value: Any) -> Any:
    """Return numpy scalars as Python values, so messages show 3 rather than np.int64(3)."""
    return value.item() if hasattr(value, "item") else value
