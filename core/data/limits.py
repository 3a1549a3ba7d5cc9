"""Size caps on an uploaded or imported table, so a small file cannot fill the memory.

A Parquet file of 91 KB can hold 20 million rows of one repeated value (a decompression
bomb). Two caps stop that, checked before the rows are materialised where the format
allows: the number of cells (rows × columns) and the expansion ratio (the table's size in
memory over the file's size). Both are settable through environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from core.data.refusals import IngestError

MAX_CELLS_VARIABLE = "WORKBENCH_MAX_CELLS"
MAX_EXPANSION_VARIABLE = "WORKBENCH_MAX_EXPANSION"
DEFAULT_MAX_CELLS = 50_000_000
# Measured (README, "Bad input"): real CSV files expand 1-4x, zstd/snappy Parquet 1-40x, and
# up to ~185x for a column of two short text labels; a file of one repeated value, 1,500x
# at a million rows, 1,755x at twenty million, ~15,000x for the reported 91 KB file.
DEFAULT_MAX_EXPANSION = 1000.0

TOO_MANY_CELLS = (
    "The table has {rows} rows × {columns:,} columns = {cells} cells, over the cap of {cap:,} "
    "cells. Upload a sample of the rows or fewer columns, or raise the cap with the environment "
    "variable " + MAX_CELLS_VARIABLE + " before starting the app."
)
TOO_MUCH_EXPANSION = (
    "The file is {file_size} but its table takes {memory} in memory, {ratio:,.0f} times its size, "
    "over the cap of {cap:,.0f} times. Files that expand this much are usually one value repeated "
    "millions of times (a decompression bomb). Check the file's source; if the data is genuine, "
    "raise the cap with the environment variable " + MAX_EXPANSION_VARIABLE + "."
)
BAD_SETTING = (
    "The environment variable {variable} is {value!r}; it must be a number above zero. Fix or "
    "remove it and start the app again."
)


@dataclass(frozen=True)
class TableLimits:
    """The caps an ingested table must stay within."""

    max_cells: int = DEFAULT_MAX_CELLS
    max_expansion: float = DEFAULT_MAX_EXPANSION


def limits_from_environment(environ: Mapping[str, str] | None = None) -> TableLimits:
    """Return the caps set by WORKBENCH_MAX_CELLS and WORKBENCH_MAX_EXPANSION, else the defaults."""
    environ = os.environ if environ is None else environ
    return TableLimits(
        max_cells=int(_setting(environ, MAX_CELLS_VARIABLE, DEFAULT_MAX_CELLS)),
        max_expansion=_setting(environ, MAX_EXPANSION_VARIABLE, DEFAULT_MAX_EXPANSION),
    )


def check_table_limits(
    *, n_rows: int, n_columns: int, memory_bytes: int | None, file_bytes: int,
    limits: TableLimits, rows_at_least: bool = False,
) -> None:
    """Raise IngestError naming the numbers when a table breaks a cap; return None otherwise.

    Call it with the row and column counts from a file's metadata before reading the rows,
    and with ``memory_bytes`` (the table's size, or a lower bound of it) as soon as that is
    known; ``memory_bytes=None`` checks the cells only. ``rows_at_least`` says the row count
    is a lower bound (reading stopped at the cap). Used by uploads and by project import.
    """
    if n_rows * n_columns > limits.max_cells:
        rows = f"{'at least ' if rows_at_least else ''}{n_rows:,}"
        cells = f"{'at least ' if rows_at_least else ''}{n_rows * n_columns:,}"
        raise IngestError(TOO_MANY_CELLS.format(rows=rows, columns=n_columns, cells=cells, cap=limits.max_cells))
    if memory_bytes is not None and memory_bytes > limits.max_expansion * max(file_bytes, 1):
        raise IngestError(TOO_MUCH_EXPANSION.format(
            file_size=human_size(file_bytes), memory=human_size(memory_bytes),
            ratio=memory_bytes / max(file_bytes, 1), cap=limits.max_expansion))


def human_size(n_bytes: int) -> str:
    """Return a size such as "512 bytes", "1.5 KB" or "250.0 MB" (powers of 1024)."""
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    exponent = min((n_bytes.bit_length() - 1) // 10, 4)
    return f"{n_bytes / 1024**exponent:.1f} {('KB', 'MB', 'GB', 'TB')[exponent - 1]}"


def _setting(environ: Mapping[str, str], variable: str, default: float) -> float:
    text = environ.get(variable, "").strip().replace("_", "").replace(",", "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError(BAD_SETTING.format(variable=variable, value=environ[variable]))
    return value
