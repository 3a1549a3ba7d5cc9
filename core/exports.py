"""Files a user takes out of the app: safe CSV, Parquet and JSON bytes, and their file names.

Every stage's downloads are built here from frames, so each one escapes the same way:

- CSV cells of text that a spreadsheet would read as a formula (starting with =, +, -, @, or a
  tab or carriage return, the OWASP list) get a leading apostrophe, so opening a downloaded file
  in Excel or LibreOffice never runs `=HYPERLINK(...)` typed into a dataset or a label. Only text
  columns are touched: a negative number in a numeric column stays a number.
- File names are built from the project name, what is exported and the time; user text in them
  keeps only letters, digits, `-` and `_`, so no name can reach another folder or a shell.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIME = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "json": "application/json",
        "skops": "application/octet-stream", "txt": "text/plain", "html": "text/html", "md": "text/markdown"}
NAME_PART_MAX = 40
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ExportFile:
    """One file to download: its name, bytes and media type."""

    file_name: str
    data: bytes
    mime: str


def neutralise_formula(value: Any) -> Any:
    """Return text that starts like a spreadsheet formula with a leading apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)
            or isinstance(column.dtype, pd.CategoricalDtype))


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the frame whose text cells and column names have formula-like text neutralised.

    Column names are user text too (an uploaded header, a class in `proba_<class>`), and the
    header row is a row of cells to a spreadsheet.
    """
    safe = frame.copy()
    safe.columns = [neutralise_formula(str(name)) for name in safe.columns]
    for name in safe.columns:
        if _is_text(safe[name]):
            safe[name] = safe[name].astype(object).map(neutralise_formula)
    return safe


def csv_bytes(frame: pd.DataFrame, *, index: bool = True) -> bytes:
    """Return the frame as UTF-8 CSV (the index as the first column when kept), formula-safe."""
    safe = formula_safe(frame.reset_index() if index else frame)
    # CRLF as RFC 4180 has it; it also makes the writer quote a cell holding a bare CR, which it
    # leaves unquoted with a plain LF terminator and which readers then take as a line break.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Return the frame as Parquet with its index kept (readable by pandas, pyarrow, polars, DuckDB)."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=True), sink, compression="zstd")
    return sink.getvalue()


def json_bytes(document: dict[str, Any]) -> bytes:
    """Return a JSON document as indented UTF-8 bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=str).encode("utf-8")


def name_part(text: str, *, fallback: str) -> str:
    """Return user text as a file-name piece: ASCII letters, digits, - and _ only, at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    part = _UNSAFE_IN_NAME.sub("-", ascii_text).strip("-_")[:NAME_PART_MAX].strip("-_")
    return part or fallback


def export_file_name(project: str, subject: str, at: datetime, extension: str, *, detail: str = "") -> str:
    """Return `<project>_<subject>[-<detail>]_<YYYYMMDD-HHMMSS>Z.<extension>`.

    Project and subject are user text, made safe and shortened; the detail is the app's own
    words (`v3-label-history`), kept whole so a long dataset name cannot cut it off.
    """
    stamp = at.strftime("%Y%m%d-%H%M%S")
    subject = name_part(subject, fallback="export") + (f"-{_UNSAFE_IN_NAME.sub('-', detail)}" if detail else "")
    return f"{name_part(project, fallback='project')}_{subject}_{stamp}Z.{extension}"


def export_file(project: str, subject: str, at: datetime, extension: str, data: bytes, *,
                detail: str = "") -> ExportFile:
    """Return the bytes as a file named by `export_file_name`, with the media type of its extension."""
    return ExportFile(export_file_name(project, subject, at, extension, detail=detail), data, MIME[extension])
