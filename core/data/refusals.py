"""What every reader of uploaded tables shares: the refusal type and the column-name rules."""

from __future__ import annotations

from collections import Counter


class IngestError(ValueError):
    """A file that cannot be ingested; the message names the problem and the fix."""


NO_COLUMNS = (
    "The file contains only blank lines, so there is no header row. Choose a file whose first "
    "line holds the column names."
)
NO_DATA_ROWS = (
    "The file has a header row but no data rows. Add at least one row of data below the header, "
    "or choose another file."
)
EMPTY_COLUMN_NAME = (
    "The header row has no name for column number {positions} (counting from 1). Give every "
    "column a name and upload the file again."
)
STRIPPED_NOTE = "Surrounding spaces removed from column names"
RENAMED_NOTE = (
    "Repeated column names renamed so that every column is kept: {renamed}. To drop repeats "
    "whose values are identical instead, choose that on the Add data panel."
)


def unique_names(raw: list[str]) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Return stripped column names with repeats renamed, and each repeated name's new names.

    Like pandas, the second ``x`` becomes ``x.1``, the third ``x.2`` (skipping a name the
    file already uses). An empty name is refused with its position.
    """
    names = [str(name).strip() for name in raw]
    empty = [str(position) for position, name in enumerate(names, start=1) if not name]
    if empty:
        raise IngestError(EMPTY_COLUMN_NAME.format(positions=", ".join(empty)))
    if len(set(names)) == len(names):
        return names, {}
    used, seen, result = set(names), Counter(), []
    repeats: dict[str, list[str]] = {}
    for name in names:
        seen[name] += 1
        if seen[name] == 1:
            result.append(name)
            continue
        renamed = _free_name(name, seen, used)
        repeats.setdefault(name, []).append(renamed)
        result.append(renamed)
    return result, {name: tuple(copies) for name, copies in repeats.items()}


def _free_name(name: str, seen: Counter, used: set[str]) -> str:
    counter = seen[name] - 1
    while f"{name}.{counter}" in used:
        counter += 1
    renamed = f"{name}.{counter}"
    used.add(renamed)
    return renamed


def name_notes(raw: list[str], names: list[str], repeats: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Return the notes that say how the column names were changed, if they were."""
    notes = []
    if [str(name).strip() for name in raw] != [str(name) for name in raw]:
        notes.append(STRIPPED_NOTE)
    if repeats:
        renamed = "; ".join(f"{name!r} → {', '.join(map(repr, copies))}" for name, copies in repeats.items())
        notes.append(RENAMED_NOTE.format(renamed=renamed))
    return tuple(notes)
