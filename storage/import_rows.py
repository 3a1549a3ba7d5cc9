"""Checks of an import file's rows, cell by cell, before anything of it is written.

The file is an SQLite database that anyone can edit, and SQLite keeps whatever a cell is
given: text in a number column, a JSON list where an object belongs, a date that is not one,
a NULL project. Every cell is read as its raw driver value and checked against the column it
is going into — its type, nullability, length and, for JSON, the shape the pages expect
(`storage.json_columns`) — and every link is checked to point at a row of the file, so the
copy that follows cannot fail halfway or leave a value a page cannot read.
"""

import json
from collections.abc import Iterator
from typing import Any, get_args

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, LargeBinary, String, Table
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.engine import Connection

from core.baselines.computed import BaselineKind
from core.data.splits import SPLIT_NAMES, SplitStrategy
from core.labeling.label_studio import IMPORTED_STRATEGY
from core.labeling.sampling import Strategy
from core.modeling.catalog import MODELS
from core.scoping.checklist import ItemStatus
from core.scoping.targets import Comparator, TargetKind
from storage.json_columns import json_problem
from storage.modeling.registry import Alias

ROW_PROBLEM = "table {table}, row {row}, column {column}: {problem}"
_SQLITE = sqlite_dialect()
# Text columns that pages look up in a closed set (a catalog, a label table): any other value
# would fail there, so it is refused here.
CLOSED_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("run", "model"): tuple(MODELS),
    ("run", "status"): ("running", "finished", "failed", "cancelled"),
    ("registry_alias", "alias"): get_args(Alias),
    ("promotion", "alias"): get_args(Alias),
    ("target", "kind"): get_args(TargetKind),
    ("target", "comparator"): get_args(Comparator),
    ("baseline", "kind"): get_args(BaselineKind),
    ("prediction", "split"): SPLIT_NAMES,
    ("split", "strategy"): get_args(SplitStrategy),
    ("label_batch", "strategy"): (*get_args(Strategy), IMPORTED_STRATEGY),
    ("scope_answer", "status"): get_args(ItemStatus),
    ("review", "verdict"): ("accepted", "corrected"),
}


class RowProblem(ValueError):
    """A cell of the file does not fit its column; the message says where and why."""


def raw_rows(connection: Connection, table: Table, columns: list[Column]) -> Iterator[tuple]:
    """Yield the raw values of some columns of a table, in primary-key order."""
    names = ", ".join(f'"{c.name}"' for c in columns)
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    yield from connection.exec_driver_sql(f'SELECT {names} FROM "{table.name}" ORDER BY {order}')


def check_cells(connection: Connection, table: Table) -> None:
    """Raise RowProblem at the first cell of the table that does not fit its column."""
    columns = [c for c in table.c if not isinstance(_base_type(c), LargeBinary)]
    key = list(table.primary_key.columns)[0]
    for values in raw_rows(connection, table, columns):
        row = dict(zip((c.name for c in columns), values))
        for column in columns:
            problem = cell_problem(table.name, column, row[column.name])
            if problem:
                raise RowProblem(ROW_PROBLEM.format(table=table.name, row=row[key.name], column=column.name,
                                                    problem=problem))


def cell_problem(table: str, column: Column, value: Any) -> str | None:
    """Return what is wrong with one raw cell for its column, or None."""
    if value is None:
        return None if column.nullable else "it is empty (NULL), which this column does not allow"
    kind = _base_type(column)
    if isinstance(kind, JSON):
        return _json_cell(table, column.name, value)
    if isinstance(kind, Boolean):
        return None if value in (0, 1) and not isinstance(value, float) else "expected true or false"
    if isinstance(kind, Integer):
        return None if isinstance(value, int) else f"expected a whole number, found {value!r:.40}"
    if isinstance(kind, Float):
        return None if isinstance(value, (int, float)) else f"expected a number, found {value!r:.40}"
    if isinstance(kind, DateTime):
        return _datetime_cell(kind, value)
    if isinstance(kind, String):
        return _text_cell(kind, value) or _closed_value(table, column.name, value)
    return None


def _closed_value(table: str, column: str, value: str) -> str | None:
    allowed = CLOSED_VALUES.get((table, column))
    if allowed is None or value in allowed:
        return None
    return f"{value!r:.40} is not one of {', '.join(allowed)}"


def _base_type(column: Column):
    return getattr(column.type, "impl", column.type)


def _json_cell(table: str, column: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return "expected JSON text"
    try:
        parsed = json.loads(value)
    except ValueError as error:
        return f"not valid JSON ({error.args[0] if error.args else error})"
    return json_problem(table, column, parsed)


def _datetime_cell(kind: DateTime, value: Any) -> str | None:
    # Parsed by the very function that reads the column later, so what passes here reads there.
    parse = kind.dialect_impl(_SQLITE).result_processor(_SQLITE, None)
    try:
        parse(value) if isinstance(value, str) else None
    except ValueError:
        return f"{value!r:.40} is not a date and time"
    return None if isinstance(value, str) else "expected a date and time"


def _text_cell(kind: String, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected text, found {value!r:.40}"
    if kind.length is not None and len(value) > kind.length:
        return f"the text is {len(value):,} characters long; at most {kind.length} fit"
    return None


def check_links(connection: Connection, table: Table) -> None:
    """Raise RowProblem when a link of the table points at no row of the file."""
    for column in table.c:
        for key in column.foreign_keys:
            target = key.column
            dangling = connection.exec_driver_sql(
                f'SELECT "{column.name}" FROM "{table.name}" WHERE "{column.name}" IS NOT NULL AND '
                f'"{column.name}" NOT IN (SELECT "{target.name}" FROM "{target.table.name}") LIMIT 1'
            ).first()
            if dangling is not None:
                raise RowProblem(f"table {table.name}, column {column.name}: it points at {target.table.name} "
                                 f"{dangling[0]!r:.40}, which is not in the file")
