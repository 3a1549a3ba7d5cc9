"""Read an uploaded CSV or Parquet file into a frame indexed by a stable ``row_id``.

The readers live beside this module: ``csv_file`` (delimiter, parsing, ragged and short
rows), ``encoding``, ``parquet_file`` (metadata checked before reading), ``numbers``
(decimal commas and other number text), ``limits`` (the size caps) and ``refusals``
(the error type and the column-name rules).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

import pandas as pd

from core.data.csv_file import (  # noqa: F401  (re-exported: callers know these from here)
    CSV_UNREADABLE, RAGGED_ROWS, SHORT_ROW, decoded_head, detect_delimiter, header_fields, parse_csv,
    reject_short_rows,
)
from core.data.encoding import (  # noqa: F401
    SNIFF_BYTES, UNKNOWN_ENCODING, VALIDATE_CHUNK_BYTES, detect_encoding, looks_like_utf16,
)
from core.data.limits import TableLimits, check_table_limits, human_size
from core.data import refusals  # noqa: F401  (its notes are matched by callers)
from core.data.markers import MarkerFinding, find_missing_markers
from core.data.numbers import read_text_numbers
from core.data.parquet_file import (  # noqa: F401
    BYTES_VALUES, CORRUPT_PARQUET, NESTED_VALUES, PARQUET_MAGIC, read_parquet_table,
)
from core.data.refusals import (  # noqa: F401
    EMPTY_COLUMN_NAME, NO_COLUMNS, NO_DATA_ROWS, IngestError, name_notes, unique_names,
)

EMPTY_FILE = (
    "The file is empty (0 bytes). Choose a CSV or Parquet file that has a header row and at "
    "least one data row."
)
FILE_TOO_LARGE = (
    "The file is {size}, over the {limit} upload limit. Upload a smaller file: drop columns you "
    "do not need, take a sample of the rows, or save it as Parquet, which is much more compact."
)
UNSUPPORTED_TYPE = (
    "Files ending in '{extension}' are not supported. Choose a CSV file (.csv, .tsv, .txt) or a "
    "Parquet file (.parquet, .pq)."
)
BINARY_FILE = (
    "The file is {kind}, not a table. Export the data as CSV or Parquet and upload that file "
    "instead."
)
SINGLE_COLUMN_NOTE = "No delimiter found: read as a single column"
IDENTICAL_DROPPED_NOTE = "Repeated columns dropped, their values identical to the first of the name: {names}"
DIFFERENT_KEPT_NOTE = "Repeated columns kept under new names, their values differ from the first: {names}"
CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ""})
PARQUET_EXTENSIONS = frozenset({".parquet", ".pq"})
_ZIP = "a ZIP archive (Excel .xlsx workbooks are ZIP archives too)"
_MAGIC_KINDS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", _ZIP),
    (b"PK\x05\x06", _ZIP),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office file such as an .xls workbook"),
)


@dataclass(frozen=True)
class IngestResult:
    """A parsed table and the facts learned while reading it.

    ``repeats`` maps each column name the file repeats to the names its copies got;
    ``markers`` lists the missing-value markers found, still in ``frame`` as written.
    """

    frame: pd.DataFrame
    file_format: Literal["csv", "parquet"]
    encoding: str | None
    delimiter: str | None
    notes: tuple[str, ...] = ()
    repeats: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    markers: tuple[MarkerFinding, ...] = ()


def read_table(
    data: bytes, filename: str, *, max_bytes: int = 200 * 1024**2, limits: TableLimits | None = None,
) -> IngestResult:
    """Return the table in ``data`` with a RangeIndex named ``row_id``, or raise IngestError."""
    if not data:
        raise IngestError(EMPTY_FILE)
    if len(data) > max_bytes:
        raise IngestError(FILE_TOO_LARGE.format(size=human_size(len(data)), limit=human_size(max_bytes)))
    _reject_known_binary(data)
    limits = limits or TableLimits()
    extension = PurePath(filename).suffix.lower()
    if data.startswith(PARQUET_MAGIC) or extension in PARQUET_EXTENSIONS:
        return _read_parquet(data, limits)
    if extension not in CSV_EXTENSIONS:
        raise IngestError(UNSUPPORTED_TYPE.format(extension=extension))
    return _read_csv(data, limits, default_delimiter="\t" if extension == ".tsv" else ",")


def drop_identical_repeats(result: IngestResult) -> IngestResult:
    """Return ``result`` without the repeated columns whose values equal the first of their name.

    Repeats whose values differ keep their new names (``x.1``), so no value is lost.
    """
    if not result.repeats:
        return result
    frame = result.frame
    dropped = [copy for name, copies in result.repeats.items() for copy in copies
               if frame[copy].equals(frame[name])]
    kept = [copy for copies in result.repeats.values() for copy in copies if copy not in dropped]
    notes = [note for note in result.notes if not note.startswith("Repeated column names renamed")]
    notes += [IDENTICAL_DROPPED_NOTE.format(names=", ".join(map(repr, dropped)))] if dropped else []
    notes += [DIFFERENT_KEPT_NOTE.format(names=", ".join(map(repr, kept)))] if kept else []
    return dataclasses.replace(result, frame=frame.drop(columns=dropped), notes=tuple(notes))


def _read_csv(data: bytes, limits: TableLimits, *, default_delimiter: str) -> IngestResult:
    if b"\x00" in data and not looks_like_utf16(data):
        raise IngestError(BINARY_FILE.format(kind="binary data (it contains NUL bytes)"))
    encoding = detect_encoding(data)
    head = decoded_head(data, encoding)
    delimiter, found = detect_delimiter(head, default=default_delimiter)
    raw_names = header_fields(head, delimiter)
    names, repeats = unique_names(raw_names)
    # Only an empty field is missing as read: pandas would also turn "NA", "null" or "None" into
    # gaps without a word; they go to the marker check instead, where the user sees and decides.
    read = dict(encoding=encoding, delimiter=delimiter, names=names, keep_default_na=False, na_values=[""])
    max_rows = limits.max_cells // len(names)
    frame = parse_csv(data, max_rows=max_rows + 1, **read)
    if frame[names[-1]].isna().any():  # a short row leaves the last column empty; look only then
        reject_short_rows(data, encoding=encoding, delimiter=delimiter, n_columns=len(names))
    check_table_limits(n_rows=len(frame), n_columns=len(names), memory_bytes=None, file_bytes=len(data),
                       limits=limits, rows_at_least=len(frame) > max_rows)
    frame, number_notes = read_text_numbers(
        frame, delimiter=delimiter,
        raw_text=lambda columns: parse_csv(data, max_rows=max_rows, usecols=columns, dtype=str, **read))
    found_note = f"Delimiter detected: {delimiter!r}" if found else SINGLE_COLUMN_NOTE
    notes = ("Format: CSV", f"Encoding detected: {encoding}", found_note,
             *name_notes(raw_names, names, repeats), *number_notes)
    frame = _finished(frame, data, limits)
    return IngestResult(frame, "csv", encoding, delimiter, notes, repeats, find_missing_markers(frame))


def _read_parquet(data: bytes, limits: TableLimits) -> IngestResult:
    frame, notes = read_parquet_table(data, limits=limits)
    frame, index_notes = _without_stored_index(frame)
    if frame.shape[1] == 0:
        raise IngestError(NO_COLUMNS)
    raw_names = [str(name) for name in frame.columns]
    names, repeats = unique_names(raw_names)
    frame.columns = names
    notes = ("Format: Parquet", *index_notes, *notes, *name_notes(raw_names, names, repeats))
    frame = _finished(frame, data, limits)
    return IngestResult(frame, "parquet", None, None, notes, repeats, find_missing_markers(frame))


def _finished(frame: pd.DataFrame, data: bytes, limits: TableLimits) -> pd.DataFrame:
    """Return the frame indexed by fresh row ids, once it is known to hold rows within the caps."""
    if len(frame) == 0:
        raise IngestError(NO_DATA_ROWS)
    frame.index = pd.RangeIndex(len(frame), name="row_id")
    check_table_limits(n_rows=len(frame), n_columns=frame.shape[1], file_bytes=len(data), limits=limits,
                       memory_bytes=int(frame.memory_usage(deep=True, index=False).sum()))
    return frame


def _without_stored_index(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return the frame with a stored index turned into columns if named, else dropped."""
    if isinstance(frame.index, pd.RangeIndex):
        return frame, ()
    # "row_id" is this app's own id: ingest hands out fresh ones and keeps the old as a column,
    # which `core.data.reupload` takes back as the ids when it fits (a download uploaded again).
    named = [name for name in frame.index.names if name is not None and (name != "row_id" or name not in frame)]
    if named == ["row_id"]:
        return frame.reset_index(), ("Stored index row_id kept as a column",)
    if named:
        frame = frame.reset_index(level=named)
        note = f"Stored index kept as columns: {', '.join(map(str, named))}"
    else:
        note = "Unnamed stored index dropped"
    return frame.reset_index(drop=True), (note,)


def _reject_known_binary(data: bytes) -> None:
    for magic, kind in _MAGIC_KINDS:
        if data.startswith(magic):
            raise IngestError(BINARY_FILE.format(kind=kind))


