"""Read an uploaded CSV file: delimiter sniffing, parsing, and refusing ragged or short rows."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from core.data.encoding import SNIFF_BYTES
from core.data.refusals import NO_COLUMNS, NO_DATA_ROWS, IngestError

RAGGED_ROWS = (
    "Line {line} has {saw} fields, but the header row has {expected} columns. Fix or remove that "
    "line (a {delimiter} inside a value is the usual cause: put such values in double quotes), "
    "then upload the file again."
)
SHORT_ROW = (
    "Line {line} has {saw} fields, but the header row has {expected} columns: values are missing "
    "at the end of that line. Add the missing fields (an empty field between two {delimiter}s "
    "stands for a missing value) or remove the line, then upload the file again."
)
CSV_UNREADABLE = (
    "The file could not be read as CSV ({detail}). Check that every quoted value has its closing "
    "quote, then save the file again as CSV and upload it."
)
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SNIFF_LINES = 20
CHUNK_BYTES = 16 * 1024 * 1024
_PANDAS_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def detect_delimiter(head: str, *, default: str = ",") -> tuple[str, bool]:
    """Return the delimiter of the CSV text ``head`` and whether the rule found one.

    The rule: a candidate that splits every one of the first lines into the same
    number (> 1) of fields wins, the one with most fields first. When no candidate is
    consistent (ragged or short rows) the one splitting the header into most fields
    wins, so that the ragged row is reported later; a single column gets ``default``.
    """
    consistent, header_counts = [], []
    for delimiter in DELIMITERS:
        counts = [len(fields) for _, fields in sniffed_records(head, delimiter)]
        if counts and counts[0] > 1 and len(set(counts)) == 1:
            consistent.append((counts[0], delimiter))
        header_counts.append((counts[0] if counts else 0, delimiter))
    if consistent:
        return max(consistent, key=lambda pair: pair[0])[1], True
    best_count, best = max(header_counts, key=lambda pair: pair[0])
    return (best, True) if best_count > 1 else (default, False)


def decoded_head(data: bytes, encoding: str) -> str:
    """Return the first lines of ``data`` as text, ending at a line end."""
    end = SNIFF_BYTES
    # Wide files (thousands of columns) need more bytes to hold the header and some rows.
    while end < len(data) and data.count(b"\n", 0, end) <= SNIFF_LINES:
        end *= 4
    head = data[:end]
    if end < len(data) and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    return head.decode(encoding, errors="replace")


def sniffed_records(head: str, delimiter: str) -> list[tuple[int, list[str]]]:
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


def header_fields(head: str, delimiter: str) -> list[str]:
    """Return the header's fields, refusing a surplus field on the first data row.

    pandas reports surplus fields on later rows, but not on the first data row.
    """
    records = sniffed_records(head, delimiter)
    if not records:
        raise IngestError(NO_COLUMNS)
    header = records[0][1]
    if len(records) > 1 and len(records[1][1]) > len(header):
        raise ragged_error(records[1][0], len(header), len(records[1][1]), delimiter)
    return header


def reject_short_rows(data: bytes, *, encoding: str, delimiter: str, n_columns: int) -> None:
    """Raise IngestError naming the first line with fewer fields than the header.

    pandas fills such a line's last columns with missing values without a word, which
    would store empty cells the file never held.
    """
    if n_columns < 2:
        return
    short = (_first_short_quoted(data, encoding, delimiter, n_columns) if b'"' in data
             else _first_short_plain(data, delimiter, n_columns))
    if short is not None:
        line, saw = short
        name = DELIMITER_NAMES[delimiter]
        raise IngestError(SHORT_ROW.format(line=line, saw=saw, expected=n_columns, delimiter=name))


def parse_csv(data: bytes, *, encoding: str, delimiter: str, names: list[str], max_rows: int,
              **options) -> pd.DataFrame:
    """Return up to ``max_rows`` data rows read by pandas, or raise IngestError."""
    try:
        # index_col=False stops pandas from turning a surplus first field into an index.
        frame = pd.read_csv(io.BytesIO(data), sep=delimiter, encoding=encoding, header=0, names=names,
                            index_col=False, engine="c", nrows=max_rows, **options)
    except pd.errors.ParserError as error:
        raise _translated_parser_error(error, delimiter) from error
    if len(frame) == 0:
        raise IngestError(NO_DATA_ROWS)
    return frame


def ragged_error(line: int, expected: int, saw: int, delimiter: str) -> IngestError:
    name = DELIMITER_NAMES[delimiter]
    return IngestError(RAGGED_ROWS.format(line=line, saw=saw, expected=expected, delimiter=name))


def _first_short_plain(data: bytes, delimiter: str, n_columns: int) -> tuple[int, int] | None:
    # Without quotes every delimiter byte separates fields, so counting them per line in
    # numpy, a chunk of lines at a time, checks a million rows in well under a second; the
    # encodings read here keep ASCII bytes as they are.
    buffer = np.frombuffer(data, dtype=np.uint8)
    start, lines_before = 0, 0
    while start < len(buffer):
        end = data.find(b"\n", min(start + CHUNK_BYTES, len(buffer)))
        end = len(buffer) if end == -1 else end + 1
        chunk = buffer[start:end]
        starts, stops, fields = _fields_per_line(chunk, ord(delimiter))
        for line in np.flatnonzero(fields < n_columns):
            # pandas skips blank and whitespace-only lines; everything else short is refused.
            if bytes(chunk[starts[line]:stops[line]]).strip():
                return lines_before + int(line) + 1, int(fields[line])
        start, lines_before = end, lines_before + len(starts)
    return None


def _fields_per_line(chunk: np.ndarray, delimiter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each line's start, stop and number of fields in a chunk of whole lines."""
    newlines = np.flatnonzero(chunk == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    stops = np.concatenate((newlines, [len(chunk)]))
    if len(starts) > 1 and starts[-1] == len(chunk):  # the chunk ends with a line end
        starts, stops = starts[:-1], stops[:-1]
    delimiters = np.flatnonzero(chunk == delimiter)
    fields = np.searchsorted(delimiters, stops) - np.searchsorted(delimiters, starts) + 1
    return starts, stops, fields


def _first_short_quoted(data: bytes, encoding: str, delimiter: str, n_columns: int) -> tuple[int, int] | None:
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        records = (fields for fields in reader if fields and not (len(fields) == 1 and not fields[0].strip()))
        next(records, None)  # the header
        for fields in records:
            if len(fields) < n_columns:
                return reader.line_num, len(fields)
    except csv.Error:
        return None  # an unclosed quote; pandas reports it when parsing
    return None


def _translated_parser_error(error: Exception, delimiter: str) -> IngestError:
    match = _PANDAS_RAGGED.search(str(error))
    if match is None:
        detail = str(error).replace("Error tokenizing data. C error: ", "").strip()
        return IngestError(CSV_UNREADABLE.format(detail=detail))
    expected, line, saw = (int(group) for group in match.groups())
    return ragged_error(line, expected, saw, delimiter)
