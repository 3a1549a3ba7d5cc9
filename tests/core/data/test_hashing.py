import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.data.hashing import content_hash

REPO_ROOT = Path(__file__).resolve().parents[3]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1.5, np.nan, -2.0, 0.25],
            "n": np.array([3, 1, 4, 1], dtype=np.int64),
            "colour": ["red", "blue", None, "red"],
            "when": pd.to_datetime(["2024-01-01", "2024-02-01", None, "2024-03-01"]),
            "flag": [True, False, True, True],
        },
        index=pd.RangeIndex(4, name="row_id"),
    )


def test_digest_is_hex_sha256():
    digest = content_hash(_frame())
    assert len(digest) == 64
    assert int(digest, 16) >= 0


def test_equal_content_gives_equal_digest():
    assert content_hash(_frame()) == content_hash(_frame().copy())


def test_known_digest_pins_the_algorithm():
    # Stored dataset versions are matched by this digest; a change here orphans them.
    frame = pd.DataFrame({"a": [1, 2]}, index=pd.RangeIndex(2, name="row_id"))
    assert content_hash(frame) == "0b12b05de51e7bce3b852e99a11b181c00b25bf53cca4c32c3e8cd93e11c4e18"


def test_digest_is_the_same_in_another_process_with_another_hash_seed():
    code = (
        "import pandas as pd; from core.data.hashing import content_hash; "
        "print(content_hash(pd.DataFrame({'a': ['x', 'y'], 'b': [1.5, 2.5]})))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=environment,
        capture_output=True, text=True, check=True,
    )
    assert completed.stdout.strip() == content_hash(pd.DataFrame({"a": ["x", "y"], "b": [1.5, 2.5]}))


@pytest.mark.parametrize("row", range(4))
@pytest.mark.parametrize("column", ["x", "n", "colour", "when", "flag"])
def test_any_single_cell_change_changes_the_digest(row, column):
    original = _frame()
    changed = original.copy()
    replacement = {
        "x": 99.0, "n": 99, "colour": "green", "when": pd.Timestamp("1999-12-31"),
        "flag": not bool(original.loc[row, "flag"]),
    }[column]
    changed.loc[row, column] = replacement
    assert not changed.equals(original)
    assert content_hash(changed) != content_hash(original)


def test_missing_value_differs_from_a_value():
    frame = _frame()
    filled = frame.assign(x=frame["x"].fillna(0.0))
    assert content_hash(filled) != content_hash(frame)


def test_column_rename_changes_the_digest():
    assert content_hash(_frame().rename(columns={"x": "x2"})) != content_hash(_frame())


def test_column_order_changes_the_digest():
    frame = _frame()
    assert content_hash(frame[list(reversed(frame.columns))]) != content_hash(frame)


def test_dtype_change_with_equal_values_changes_the_digest():
    frame = _frame()
    as_float = frame.astype({"n": "float64"})
    assert (as_float["n"] == frame["n"]).all()
    assert content_hash(as_float) != content_hash(frame)


def test_row_reorder_changes_the_digest():
    frame = _frame()
    assert content_hash(frame.iloc[::-1]) != content_hash(frame)
    # Same row ids, values moved between rows: labels would now point at other rows.
    shuffled = frame.iloc[[1, 0, 2, 3]].set_axis(frame.index)
    assert content_hash(shuffled) != content_hash(frame)


def test_row_id_change_changes_the_digest():
    frame = _frame()
    relabelled = frame.set_axis(pd.RangeIndex(1, 5, name="row_id"))
    assert content_hash(relabelled) != content_hash(frame)


def test_integer_and_text_column_names_are_told_apart():
    assert content_hash(pd.DataFrame({1: [5]})) != content_hash(pd.DataFrame({"1": [5]}))


def test_parquet_round_trip_keeps_the_digest():
    frame = _frame()
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    restored = pd.read_parquet(io.BytesIO(buffer.getvalue()))
    pd.testing.assert_frame_equal(restored, frame)
    assert content_hash(restored) == content_hash(frame)


def test_frames_without_rows_or_columns_are_hashed():
    no_rows = _frame().iloc[:0]
    no_columns = _frame()[[]]
    assert len({content_hash(no_rows), content_hash(no_columns), content_hash(_frame())}) == 3
