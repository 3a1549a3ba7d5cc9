"""Read an uploaded CSV or Parquet file into a frame indexed by a stable ``row_id``."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

import numpy as np
import pandas as pd

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
CORRUPT_PARQUET = (
    "The file is not a readable Parquet file: it looks cut off or damaged. Export it again from "
    "its source, or upload the data as CSV."
)
UNKNOWN_ENCODING = (
    "The file's text encoding is not recognised: it is not UTF-8, and it holds bytes that "
    "Latin-1/Windows-1252 text does not use (typical of UTF-16 files or binary data). Save the "
    "file as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and upload it again."
)
NO_COLUMNS = (
    "The file contains only blank lines, so there is no header row. Choose a file whose first "
    "line holds the column names."
)
NO_DATA_ROWS = (
    "The file has a header row but no data rows. Add at least one row of data below the header, "
    "or choose another file."
)
RAGGED_ROWS = (
    "Line {line} has {saw} fields, but the header row has {expected} columns. Fix or remove that "
    "line (a {delimiter} inside a value is the usual cause: put such values in double quotes), "
    "then upload the file again."
)
DUPLICATE_COLUMNS = (
    "Column names must be unique, but these appear more than once: {names}. Rename the repeated "
    "columns in the header row and upload the file again."
)
EMPTY_COLUMN_NAME = (
    "The header row has no name for column number {positions} (counting from 1). Give every "
    "column a name and upload the file again."
)
NESTED_VALUES = (
    "Columns {names} hold lists or nested records, which cannot be analysed here. Flatten them "
    "into one value per cell (for example one column per field), save and upload the file again."
)
CSV_UNREADABLE = (
    "The file could not be read as CSV ({detail}). Check that every quoted value has its closing "
    "quote, then save the file again as CSV and upload it."
)

SINGLE_COLUMN_NOTE = "No delimiter found: read as a single column"
STRIPPED_NOTE = "Surrounding spaces removed from column names"
CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ""})
PARQUET_EXTENSIONS = frozenset({".parquet", ".pq"})
PARQUET_MAGIC = b"PAR1"
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SNIFF_BYTES = 64 * 1024
SNIFF_LINES = 20
UTF16_NUL_SHARE = 0.4
VALIDATE_CHUNK_BYTES = 1024 * 1024
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
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes 0x80-0x9F are C1 control codes in Latin-1 and never occur in real text;
# cp1252 maps all but these five to printable characters (curly quotes, euro sign).
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_ALL_BUT_C1 = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)
_PANDAS_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


class IngestError(ValueError):
    """A file that cannot be ingested; the message names the problem and the fix."""


@dataclass(frozen=True)
class IngestResult:
    """A parsed table and the facts learned while reading it."""

    frame: pd.DataFrame
    file_format: Literal["csv", "parquet"]
    encoding: str | None
    delimiter: str | None
    notes: tuple[str, ...] = ()


def read_table(data: bytes, filename: str, *, max_bytes: int = 200 * 1024**2) -> IngestResult:
    """Return the table in ``data`` with a RangeIndex named ``row_id``, or raise IngestError."""
    if not data:
        raise IngestError(EMPTY_FILE)
    if len(data) > max_bytes:
        size, limit = _human_size(len(data)), _human_size(max_bytes)
        raise IngestError(FILE_TOO_LARGE.format(size=size, limit=limit))
    _reject_known_binary(data)
    extension = PurePath(filename).suffix.lower()
    if data.startswith(PARQUET_MAGIC) or extension in PARQUET_EXTENSIONS:
        return _read_parquet(data)
    if extension not in CSV_EXTENSIONS:
        raise IngestError(UNSUPPORTED_TYPE.format(extension=extension))
    return _read_csv(data, default_delimiter="\t" if extension == ".tsv" else ",")


def detect_encoding(data: bytes) -> str:
    """Return "utf-8-sig", "utf-8", "latin-1" or "cp1252" for ``data``, or raise IngestError.

    Latin-1 decodes any byte sequence, so decoding without error proves nothing. After
    UTF-8 fails, the bytes count as Latin-1/cp1252 text only when they hold no NUL bytes
    and every byte in 0x80-0x9F is one cp1252 maps to a character; otherwise the
    encoding is reported as unknown (UTF-16, UTF-32 or binary data land here).
    """
    if data.startswith(codecs.BOM_UTF8):
        if _is_valid_utf8(data):
            return "utf-8-sig"
        raise IngestError(UNKNOWN_ENCODING)  # says UTF-8, yet is not: a mixed-up file
    if data.startswith(_UTF16_BOMS) or b"\x00" in data:
        raise IngestError(UNKNOWN_ENCODING)
    if data.isascii() or _is_valid_utf8(data):
        return "utf-8"
    c1_present = set(data.translate(None, _ALL_BUT_C1))
    if c1_present & _CP1252_UNDEFINED:
        raise IngestError(UNKNOWN_ENCODING)
    return "cp1252" if c1_present else "latin-1"


def detect_delimiter(head: str, *, default: str = ",") -> tuple[str, bool]:
    """Return the delimiter of the CSV text ``head`` and whether the rule found one.

    The rule: a candidate that splits every one of the first lines into the same
    number (> 1) of fields wins, the one with most fields first. When no candidate is
    consistent (ragged or short rows) the one splitting the header into most fields
    wins, so that the ragged row is reported later; a single column gets ``default``.
    """
    consistent, header_counts = [], []
    for delimiter in DELIMITERS:
        counts = [len(fields) for _, fields in _records(head, delimiter)]
        if counts and counts[0] > 1 and len(set(counts)) == 1:
            consistent.append((counts[0], delimiter))
        header_counts.append((counts[0] if counts else 0, delimiter))
    if consistent:
        return max(consistent, key=lambda pair: pair[0])[1], True
    best_count, best = max(header_counts, key=lambda pair: pair[0])
    return (best, True) if best_count > 1 else (default, False)


def _read_csv(data: bytes, *, default_delimiter: str) -> IngestResult:
    if b"\x00" in data and not _looks_like_utf16(data):
        raise IngestError(BINARY_FILE.format(kind="binary data (it contains NUL bytes)"))
    encoding = detect_encoding(data)
    head = _decoded_head(data, encoding)
    delimiter, found = detect_delimiter(head, default=default_delimiter)
    records = _records(head, delimiter)
    if not records:
        raise IngestError(NO_COLUMNS)
    names = _checked_names(records[0][1])
    if len(records) > 1 and len(records[1][1]) > len(names):
        # pandas reports surplus fields on later rows, but not on the first data row.
        raise _ragged_error(records[1][0], len(names), len(records[1][1]), delimiter)
    frame = _parse_csv(data, encoding=encoding, delimiter=delimiter, names=names)
    found_note = f"Delimiter detected: {delimiter!r}" if found else SINGLE_COLUMN_NOTE
    notes = ("Format: CSV", f"Encoding detected: {encoding}", found_note)
    notes += (STRIPPED_NOTE,) if names != records[0][1] else ()
    return IngestResult(frame, "csv", encoding, delimiter, notes)


def _parse_csv(data: bytes, *, encoding: str, delimiter: str, names: list[str]) -> pd.DataFrame:
    try:
        # index_col=False stops pandas from turning a surplus first field into an index.
        frame = pd.read_csv(io.BytesIO(data), sep=delimiter, encoding=encoding, header=0,
                            names=names, index_col=False, engine="c")
    except pd.errors.ParserError as error:
        raise _translated_parser_error(error, delimiter) from error
    if len(frame) == 0:
        raise IngestError(NO_DATA_ROWS)
    frame.index = pd.RangeIndex(len(frame), name="row_id")
    return frame


def _read_parquet(data: bytes) -> IngestResult:
    # A copy cut short loses the footer, whose last four bytes repeat the magic.
    if len(data) < 12 or not (data.startswith(PARQUET_MAGIC) and data.endswith(PARQUET_MAGIC)):
        raise IngestError(CORRUPT_PARQUET)
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except (ValueError, OSError, NotImplementedError) as error:
        raise IngestError(CORRUPT_PARQUET) from error
    frame, index_notes = _without_stored_index(frame)
    if frame.shape[1] == 0:
        raise IngestError(NO_COLUMNS)
    _reject_nested(frame)
    raw_names = [str(name) for name in frame.columns]
    frame.columns = names = _checked_names(raw_names)
    if len(frame) == 0:
        raise IngestError(NO_DATA_ROWS)
    frame.index = pd.RangeIndex(len(frame), name="row_id")
    notes = ("Format: Parquet", *index_notes, *((STRIPPED_NOTE,) if names != raw_names else ()))
    return IngestResult(frame, "parquet", None, None, notes)


def _without_stored_index(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return the frame with a stored index turned into columns if named, else dropped."""
    if isinstance(frame.index, pd.RangeIndex):
        return frame, ()
    # "row_id" is this app's own id; ingest hands out fresh ones, so an old copy goes.
    named = [name for name in frame.index.names if name is not None and name != "row_id"]
    if named:
        frame = frame.reset_index(level=named)
        note = f"Stored index kept as columns: {', '.join(map(str, named))}"
    else:
        note = "Unnamed stored index dropped"
    return frame.reset_index(drop=True), (note,)


def _reject_nested(frame: pd.DataFrame) -> None:
    # Parquet columns are typed, so a column's first value tells whether it holds
    # lists, records or maps (they arrive as object columns of containers).
    nested = []
    for name in frame.columns[(frame.dtypes == object).to_numpy()]:
        present = frame[name].dropna()
        if len(present) and isinstance(present.iloc[0], (list, tuple, dict, np.ndarray)):
            nested.append(repr(name))
    if nested:
        raise IngestError(NESTED_VALUES.format(names=", ".join(nested)))


def _reject_known_binary(data: bytes) -> None:
    for magic, kind in _MAGIC_KINDS:
        if data.startswith(magic):
            raise IngestError(BINARY_FILE.format(kind=kind))


def _looks_like_utf16(data: bytes) -> bool:
    """Return whether ``data`` starts like UTF-16 text (a byte-order mark, or NUL bytes
    filling one byte of most pairs, as UTF-16 does for Latin letters and digits)."""
    if data.startswith(_UTF16_BOMS):
        return True
    head = data[:SNIFF_BYTES]
    pairs = max(len(head) // 2, 1)
    return max(head[0::2].count(0), head[1::2].count(0)) / pairs >= UTF16_NUL_SHARE


def _is_valid_utf8(data: bytes) -> bool:
    """Return whether ``data`` is UTF-8, decoding chunk by chunk to bound memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), VALIDATE_CHUNK_BYTES):
            decoder.decode(view[start : start + VALIDATE_CHUNK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decoded_head(data: bytes, encoding: str) -> str:
    """Return the first lines of ``data`` as text, ending at a line end."""
    end = SNIFF_BYTES
    # Wide files (thousands of columns) need more bytes to hold the header and some rows.
    while end < len(data) and data.count(b"\n", 0, end) <= SNIFF_LINES:
        end *= 4
    head = data[:end]
    if end < len(data) and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    return head.decode(encoding, errors="replace")


def _records(head: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Return up to SNIFF_LINES non-blank (line number, fields) records of ``head``."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    try:
        for fields in reader:
            # pandas skips blank lines, so they neither count nor end the sniffing.
            if fields and not (len(fields) == 1 and not fields[0].strip()):
                records.append((reader.line_num, fields))
            if len(records) == SNIFF_LINES:
                break
    except csv.Error:
        pass  # an unclosed quote at the cut; the lines before it still count
    return records


def _checked_names(raw: list[str]) -> list[str]:
    names = [name.strip() for name in raw]
    empty = [str(position) for position, name in enumerate(names, start=1) if not name]
    if empty:
        raise IngestError(EMPTY_COLUMN_NAME.format(positions=", ".join(empty)))
    repeated = [name for name, count in Counter(names).items() if count > 1]
    if repeated:
        listed = ", ".join(repr(name) for name in repeated)
        raise IngestError(DUPLICATE_COLUMNS.format(names=listed))
    return names


def _translated_parser_error(error: Exception, delimiter: str) -> IngestError:
    match = _PANDAS_RAGGED.search(str(error))
    if match is None:
        detail = str(error).replace("Error tokenizing data. C error: ", "").strip()
        return IngestError(CSV_UNREADABLE.format(detail=detail))
    expected, line, saw = (int(group) for group in match.groups())
    return _ragged_error(line, expected, saw, delimiter)


def _ragged_error(line: int, expected: int, saw: int, delimiter: str) -> IngestError:
    name = DELIMITER_NAMES[delimiter]
    return IngestError(RAGGED_ROWS.format(line=line, saw=saw, expected=expected, delimiter=name))


def _human_size(n_bytes: int) -> str:
    """Return a size such as "512 bytes", "1.5 KB" or "250.0 MB" (powers of 1024)."""
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    exponent = min((n_bytes.bit_length() - 1) // 10, 3)
    return f"{n_bytes / 1024**exponent:.1f} {('KB', 'MB', 'GB')[exponent - 1]}"
