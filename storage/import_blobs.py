"""Checks of an import file's blobs: every one is read back and must match what its row claims.

A dataset version's rows, a split's assignment, a run's predictions and a model are stored as
bytes beside a row that describes them (row and column counts, content hash, checksum). A
file can pair any bytes with any description, so each blob is size-capped, decoded and
compared with its row before anything is written: a page must never meet bytes that are not
what the database says they are, and no project may claim another one's content hash.
"""

import hashlib
import json
import os
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy.engine import Connection

from core.data.hashing import content_hash
from core.data.roles import Roles
from core.data.splits import SPLIT_COLUMN, SPLIT_NAMES
from core.modeling.artifacts import ARTIFACT_FORMAT
from storage.import_rows import RowProblem

MAX_CELLS_VARIABLE = "WORKBENCH_MAX_CELLS"
MAX_BLOB_MB_VARIABLE = "WORKBENCH_MAX_BLOB_MB"
DEFAULT_MAX_CELLS = 50_000_000
DEFAULT_MAX_BLOB_MB = 200  # the upload limit: a blob can be no larger than a file the app takes in


@dataclass(frozen=True)
class SizeCaps:
    """The largest blob an import accepts: stored bytes, and rows × columns once decoded."""

    max_cells: int
    max_bytes: int


def import_size_caps() -> SizeCaps:
    """Return the caps, from WORKBENCH_MAX_CELLS and WORKBENCH_MAX_BLOB_MB when they are set."""
    cells = int(os.environ.get(MAX_CELLS_VARIABLE) or DEFAULT_MAX_CELLS)
    megabytes = float(os.environ.get(MAX_BLOB_MB_VARIABLE) or DEFAULT_MAX_BLOB_MB)
    return SizeCaps(max_cells=cells, max_bytes=int(megabytes * 1024 * 1024))


def check_blobs(connection: Connection) -> None:
    """Raise RowProblem at the first blob that is too big, unreadable or not what its row says."""
    caps = import_size_caps()
    rows_of = {}
    for dataset_id, blob, n_rows, n_columns, digest, kinds, roles in connection.exec_driver_sql(
            "SELECT d.id, b.parquet, d.n_rows, d.n_columns, d.content_hash, d.column_kinds, d.roles "
            "FROM dataset d JOIN dataset_blob b ON b.dataset_id = d.id ORDER BY d.id"):
        where = f"dataset version {dataset_id}"
        frame = read_parquet(blob, where, caps, rows=n_rows, columns=n_columns + 1)  # + the row_id index
        check_dataset_frame(frame, where, n_rows=n_rows, n_columns=n_columns, digest=digest,
                            kinds=json.loads(kinds), roles=json.loads(roles))
        rows_of[dataset_id] = frame.index
    missing = connection.exec_driver_sql(
        "SELECT id FROM dataset WHERE id NOT IN (SELECT dataset_id FROM dataset_blob) LIMIT 1").first()
    if missing is not None:
        raise RowProblem(f"dataset version {missing[0]} has no stored rows")
    _check_splits(connection, rows_of, caps)
    _check_predictions(connection, caps)
    _check_artifacts(connection, caps)


def read_parquet(blob: bytes, where: str, caps: SizeCaps, *, rows: int, columns: int | None) -> pd.DataFrame:
    """Return the frame in Parquet bytes once its size and its row and column counts are checked."""
    if len(blob) > caps.max_bytes:
        raise RowProblem(f"the {where} takes {len(blob) / 1024**2:,.0f} MB; at most "
                         f"{caps.max_bytes / 1024**2:,.0f} MB are accepted ({MAX_BLOB_MB_VARIABLE})")
    try:
        metadata = pq.ParquetFile(pa.BufferReader(blob)).metadata
    except (pa.ArrowException, OSError, ValueError) as error:
        raise RowProblem(f"the {where} is not a readable Parquet file") from error
    cells = metadata.num_rows * metadata.num_columns
    if cells > caps.max_cells:
        raise RowProblem(f"the {where} holds {metadata.num_rows:,} rows × {metadata.num_columns:,} columns; at most "
                         f"{caps.max_cells:,} cells are accepted ({MAX_CELLS_VARIABLE})")
    if metadata.num_rows != rows or (columns is not None and metadata.num_columns != columns):
        raise RowProblem(f"the {where} holds {metadata.num_rows:,} rows and {metadata.num_columns:,} stored columns, "
                         f"but its record says {rows:,} rows" + ("" if columns is None else f" and {columns:,}"))
    try:
        return pq.read_table(pa.BufferReader(blob), use_pandas_metadata=True).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as error:
        raise RowProblem(f"the {where} cannot be decoded") from error


def check_dataset_frame(frame: pd.DataFrame, where: str, *, n_rows: int, n_columns: int, digest: str,
                        kinds: dict, roles: dict) -> None:
    """Raise RowProblem when a decoded dataset differs from its record: shape, hash, kinds or roles."""
    if frame.shape != (n_rows, n_columns) or frame.index.name != "row_id":
        raise RowProblem(f"the {where} does not hold {n_rows:,} rows × {n_columns:,} columns indexed by row_id")
    if content_hash(frame) != digest:
        raise RowProblem(f"the rows of {where} do not match its content hash (the rows or the hash were altered)")
    if list(kinds) != [str(c) for c in frame.columns]:
        raise RowProblem(f"the column kinds of {where} do not name exactly its columns")
    named = Roles.from_dict(roles)
    missing = [c for c in (named.target, named.id, named.time, *named.sensitive, *named.ignored)
               if c is not None and c not in frame.columns]
    if missing:
        raise RowProblem(f"the roles of {where} name the column {missing[0]!r}, which it does not have")


def _check_splits(connection: Connection, rows_of: dict, caps: SizeCaps) -> None:
    for split_id, dataset_id, blob, counts in connection.exec_driver_sql(
            "SELECT id, dataset_id, assignment, counts FROM split ORDER BY id"):
        where = f"split {split_id}"
        rows = rows_of[dataset_id]
        frame = read_parquet(blob, where, caps, rows=len(rows), columns=2)
        if list(frame.columns) != [SPLIT_COLUMN] or not frame.index.sort_values().equals(rows.sort_values()):
            raise RowProblem(f"{where} does not assign exactly the rows of dataset version {dataset_id}")
        values = frame[SPLIT_COLUMN].astype(str)
        found = {str(k): int(v) for k, v in values.value_counts().items()}
        if not set(found) <= set(SPLIT_NAMES) or found != {k: v for k, v in
                                                              json.loads(counts).items() if v}:
            raise RowProblem(f"{where} holds other splits or counts than its record says")


def _check_predictions(connection: Connection, caps: SizeCaps) -> None:
    for prediction_id, blob, n_rows in connection.exec_driver_sql(
            "SELECT id, parquet, n_rows FROM prediction ORDER BY id"):
        read_parquet(blob, f"predictions {prediction_id}", caps, rows=n_rows, columns=None)


def _check_artifacts(connection: Connection, caps: SizeCaps) -> None:
    for run_id, kind, digest, data in connection.exec_driver_sql(
            "SELECT run_id, format, sha256, data FROM model_artifact ORDER BY id"):
        where = f"model of run {run_id}"
        if len(data) > caps.max_bytes:
            raise RowProblem(f"the {where} takes {len(data) / 1024**2:,.0f} MB; at most "
                             f"{caps.max_bytes / 1024**2:,.0f} MB are accepted ({MAX_BLOB_MB_VARIABLE})")
        if kind != ARTIFACT_FORMAT or hashlib.sha256(data).hexdigest() != digest:
            raise RowProblem(f"the {where} is not a {ARTIFACT_FORMAT} artifact matching its checksum")
        import skops.io as sio  # only when there is a model: importing it (and scikit-learn) takes seconds

        try:
            # Lists the types inside without building any object; loading checks them against the trusted list.
            sio.get_untrusted_types(data=data)
        except Exception as error:  # a corrupt zip or schema fails in many ways; all mean "unreadable"
            raise RowProblem(f"the {where} cannot be read") from error
