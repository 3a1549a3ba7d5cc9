"""Read an uploaded Parquet file, checking its size from the metadata before any row is read."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.data.limits import TableLimits, check_table_limits
from core.data.refusals import IngestError

PARQUET_MAGIC = b"PAR1"
CORRUPT_PARQUET = (
    "The file is not a readable Parquet file: it looks cut off or damaged. Export it again from "
    "its source, or upload the data as CSV."
)
NESTED_VALUES = (
    "Columns {names} hold lists or nested records, which cannot be analysed here. Flatten them "
    "into one value per cell (for example one column per field), save and upload the file again."
)
BYTES_VALUES = (
    "Columns {names} hold raw bytes that are not text (binary data such as images or hashes), "
    "which cannot be analysed here. Drop those columns, or store them as text (for example "
    "hex or base64), and upload the file again."
)
BYTES_AS_TEXT_NOTE = "Byte columns read as UTF-8 text: {names}"
OFFSET_BYTES = 8  # what each string or byte value costs in memory beyond its characters


def read_parquet_table(data: bytes, *, limits: TableLimits) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return the file's table as a frame (a stored index restored) and notes, or raise IngestError.

    The caps are checked twice before the values are decoded: the cells and a lower bound
    of the memory from the metadata, then the exact memory with text kept in dictionary
    form (a repeated value held once), so a decompression bomb is refused without
    allocating it.
    """
    n_rows, _ = check_parquet_limits(data, limits=limits)
    schema = _open(data).schema_arrow
    _reject_nested(schema)
    variable = [field.name for field in schema if _is_variable_width(field.type)]
    table = _read(data, variable)
    check_table_limits(n_rows=n_rows, n_columns=len(schema), file_bytes=len(data), limits=limits,
                       memory_bytes=sum(map(_decoded_bytes, table.columns)))
    table, notes = _decoded(table, set(variable))
    return table.to_pandas(), notes


def check_parquet_limits(data: bytes, *, limits: TableLimits) -> tuple[int, int]:
    """Return the (rows, columns) of Parquet bytes from their metadata, or raise IngestError.

    Refuses a damaged file, and a table over the cell cap or whose fixed-width values alone
    break the expansion cap, without reading a row. Reading the file with
    ``read_parquet_table`` then also checks the text columns' full size.
    """
    parquet = _open(data)
    n_rows, n_columns = parquet.metadata.num_rows, len(parquet.schema_arrow)
    check_table_limits(n_rows=n_rows, n_columns=n_columns, file_bytes=len(data), limits=limits,
                       memory_bytes=_memory_lower_bound(parquet))
    return n_rows, n_columns


def _open(data: bytes, read_dictionary: list[str] | None = None) -> pq.ParquetFile:
    # A copy cut short loses the footer, whose last four bytes repeat the magic.
    if len(data) < 12 or not (data.startswith(PARQUET_MAGIC) and data.endswith(PARQUET_MAGIC)):
        raise IngestError(CORRUPT_PARQUET)
    try:
        return pq.ParquetFile(pa.BufferReader(data), read_dictionary=read_dictionary)
    except (pa.ArrowException, ValueError, OSError) as error:
        raise IngestError(CORRUPT_PARQUET) from error


def _read(data: bytes, variable: list[str]) -> pa.Table:
    # Text read in dictionary form holds a value repeated a million times once.
    try:
        return _open(data, variable or None).read()
    except (pa.ArrowException, ValueError, OSError) as error:
        raise IngestError(CORRUPT_PARQUET) from error


def _reject_nested(schema: pa.Schema) -> None:
    nested = [repr(field.name) for field in schema if pa.types.is_nested(field.type)]
    if nested:
        raise IngestError(NESTED_VALUES.format(names=", ".join(nested)))


def _memory_lower_bound(parquet: pq.ParquetFile) -> int:
    """Return bytes the table needs at least: fixed-width values, plus each text value's offset."""
    n_rows = parquet.metadata.num_rows
    total = 0
    for field in parquet.schema_arrow:
        width = OFFSET_BYTES if _is_variable_width(field.type) else _fixed_width(field.type)
        total += n_rows * width
    return total


def _fixed_width(data_type: pa.DataType) -> int:
    try:
        return max(data_type.bit_width // 8, 1)
    except ValueError:
        return 1


def _is_variable_width(data_type: pa.DataType) -> bool:
    return any(check(data_type) for check in (
        pa.types.is_string, pa.types.is_large_string, pa.types.is_binary, pa.types.is_large_binary,
    ))


def _decoded_bytes(column: pa.ChunkedArray) -> int:
    """Return the bytes a column takes with its dictionary-encoded text written out in full.

    A file may declare a text column as dictionary-encoded itself (pandas categories); it is
    counted written out too, as the first step that turns it into text would allocate that.
    """
    if not (pa.types.is_dictionary(column.type) and _is_variable_width(column.type.value_type)):
        return column.nbytes
    total = 0
    for chunk in column.chunks:
        lengths = pc.binary_length(chunk.dictionary)
        total += (pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0) + len(chunk) * OFFSET_BYTES
    return total


def _decoded(table: pa.Table, variable: set[str]) -> tuple[pa.Table, tuple[str, ...]]:
    """Return the table with text read in dictionary form written out, UTF-8 byte columns as text."""
    undecodable, as_text = [], []
    columns = []
    for field, column in zip(table.schema, table.columns):
        if field.name in variable and pa.types.is_dictionary(field.type):
            column = column.cast(field.type.value_type)
        if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
            column = _bytes_as_text(column)
            (as_text if column is not None else undecodable).append(repr(field.name))
        columns.append(column)
    if undecodable:
        raise IngestError(BYTES_VALUES.format(names=", ".join(undecodable)))
    table = pa.Table.from_arrays(columns, names=table.column_names, metadata=table.schema.metadata)
    return table, ((BYTES_AS_TEXT_NOTE.format(names=", ".join(as_text)),) if as_text else ())


def _bytes_as_text(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    target = pa.large_string() if pa.types.is_large_binary(column.type) else pa.string()
    try:
        return column.cast(target)
    except pa.ArrowInvalid:
        return None


