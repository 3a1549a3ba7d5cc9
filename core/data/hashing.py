"""Fingerprint a dataset's content so identical versions can be recognised."""

from __future__ import annotations

import hashlib
import json

import pandas as pd


def content_hash(frame: pd.DataFrame) -> str:
    """Return the hex SHA-256 of the frame's column names, dtypes, index and values.

    pandas hashes each row with a fixed key (never Python's per-process ``hash()``), so the
    digest is the same in every run; it changes with any cell, name, dtype or row order.
    """
    header = {
        # repr keeps the column 1 apart from the column "1".
        "columns": [repr(name) for name in frame.columns],
        "dtypes": [str(dtype) for dtype in frame.dtypes],
        "index_names": [repr(name) for name in frame.index.names],
        "index_dtype": str(frame.index.dtype),
        "n_rows": len(frame),
    }
    digest = hashlib.sha256(json.dumps(header, ensure_ascii=False).encode("utf-8"))
    row_hashes = pd.util.hash_pandas_object(frame, index=True)
    digest.update(row_hashes.to_numpy(dtype="uint64").tobytes())
    return digest.hexdigest()
