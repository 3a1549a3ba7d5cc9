"""The size caps on uploads: cells and expansion, from the environment, checked before reading."""

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.data import limits, parquet_file
from core.data.ingest import IngestError, read_table
from core.data.limits import TableLimits, check_table_limits, limits_from_environment


def _parquet(table: pa.Table, compression: str = "zstd", **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=compression, **options)
    return buffer.getvalue()


def _refusal(data: bytes, filename: str, table_limits: TableLimits) -> str:
    with pytest.raises(IngestError) as caught:
        read_table(data, filename, limits=table_limits)
    return str(caught.value)


@pytest.fixture
def rows_never_read(monkeypatch):
    """Fail the test if the Parquet rows are read at all: the refusal must come from metadata."""
    def refuse(*args, **kwargs):
        raise AssertionError("the rows were read")
    monkeypatch.setattr(parquet_file, "_read", refuse)


def test_defaults_and_environment_settings():
    assert limits_from_environment({}) == TableLimits(50_000_000, 1000.0)
    settings = {"WORKBENCH_MAX_CELLS": "1_000", "WORKBENCH_MAX_EXPANSION": "25.5"}
    assert limits_from_environment(settings) == TableLimits(1000, 25.5)


@pytest.mark.parametrize("value", ["lots", "0", "-5", "nan"])
def test_a_bad_environment_setting_is_named(value):
    with pytest.raises(ValueError) as caught:
        limits_from_environment({"WORKBENCH_MAX_CELLS": value})
    assert str(caught.value) == limits.BAD_SETTING.format(variable="WORKBENCH_MAX_CELLS", value=value)


def test_cells_at_the_cap_pass_and_one_more_row_is_refused():
    cap = TableLimits(max_cells=100, max_expansion=1e9)
    check_table_limits(n_rows=50, n_columns=2, memory_bytes=None, file_bytes=1, limits=cap)
    with pytest.raises(IngestError) as caught:
        check_table_limits(n_rows=51, n_columns=2, memory_bytes=None, file_bytes=1, limits=cap)
    assert str(caught.value) == limits.TOO_MANY_CELLS.format(rows="51", columns=2, cells="102", cap=100)


def test_expansion_at_the_cap_passes_and_above_is_refused():
    cap = TableLimits(max_cells=10**9, max_expansion=10)
    check_table_limits(n_rows=1, n_columns=1, memory_bytes=10_240, file_bytes=1024, limits=cap)
    with pytest.raises(IngestError) as caught:
        check_table_limits(n_rows=1, n_columns=1, memory_bytes=10_241, file_bytes=1024, limits=cap)
    assert str(caught.value) == limits.TOO_MUCH_EXPANSION.format(
        file_size="1.0 KB", memory="10.0 KB", ratio=10_241 / 1024, cap=10)


def test_a_csv_over_the_cell_cap_is_refused_after_reading_only_up_to_the_cap():
    data = b"a,b\n" + b"1,2\n" * 1000
    message = _refusal(data, "big.csv", TableLimits(max_cells=100))
    assert message == limits.TOO_MANY_CELLS.format(rows="at least 51", columns=2, cells="at least 102", cap=100)


def test_a_parquet_bomb_is_refused_from_its_metadata_without_reading_rows(rows_never_read):
    # 20 million zeros: a few dozen KB on disk, 320 MB in memory.
    zeros = pa.array(np.zeros(20_000_000, dtype=np.int64))
    data = _parquet(pa.table({"a": zeros, "b": zeros}))
    assert len(data) < 200_000
    message = _refusal(data, "bomb.parquet", TableLimits())
    assert "takes 305.2 MB in memory" in message and "over the cap of 1,000 times" in message


def test_a_parquet_file_over_the_cell_cap_is_refused_without_reading_rows(rows_never_read):
    data = _parquet(pa.table({"a": np.arange(1000), "b": np.arange(1000)}))
    message = _refusal(data, "x.parquet", TableLimits(max_cells=1999))
    assert message == limits.TOO_MANY_CELLS.format(rows="1,000", columns=2, cells="2,000", cap=1999)


@pytest.mark.parametrize("store_schema", [True, False], ids=["declared-categorical", "plain-text"])
def test_a_text_bomb_is_refused_before_its_repeated_value_is_written_out(store_schema):
    # One 100 KB string repeated 5,000 times is held once in dictionary form; written out it
    # would take 500 MB. The check adds up the lengths without building the strings. Without
    # the stored schema the column reads as plain text, which the reader keeps in dictionary form.
    value = "x" * 100_000
    column = pa.DictionaryArray.from_arrays(pa.array(np.zeros(5_000, dtype=np.int32)), pa.array([value]))
    data = _parquet(pa.table({"s": column}), store_schema=store_schema)
    message = _refusal(data, "text.parquet", TableLimits())
    expected = 5_000 * (100_000 + parquet_file.OFFSET_BYTES)
    assert f"takes {limits.human_size(expected)} in memory" in message


@pytest.mark.parametrize("compression", ["zstd", "snappy"])
def test_realistic_files_stay_far_below_the_expansion_cap(compression):
    rng = np.random.default_rng(0)
    n = 200_000
    frame = pd.DataFrame({
        "time": pd.date_range("2024-01-01", periods=n, freq="min"), "amount": np.round(rng.gamma(2, 50, n), 2),
        "code": rng.integers(0, 3, n), "region": rng.choice(["North", "South", "East", "West"], n),
    })
    data = _parquet(pa.Table.from_pandas(frame, preserve_index=False), compression)
    result = read_table(data, "real.parquet")
    ratio = result.frame.memory_usage(deep=True, index=False).sum() / len(data)
    assert ratio < TableLimits().max_expansion / 10


def test_check_parquet_limits_gives_the_shape_for_callers_such_as_project_import(rows_never_read):
    data = _parquet(pa.table({"a": np.arange(569), "b": np.arange(569.0), "c": ["x"] * 569}))
    assert parquet_file.check_parquet_limits(data, limits=TableLimits()) == (569, 3)
    with pytest.raises(IngestError):
        parquet_file.check_parquet_limits(data, limits=TableLimits(max_cells=1000))
    with pytest.raises(IngestError, match="not a readable Parquet file"):
        parquet_file.check_parquet_limits(b"PAR1" + bytes(100) + b"PAR1", limits=TableLimits())
