"""Download bytes: formula-safe CSV, Parquet and JSON read back by pandas/pyarrow, safe file names."""

import io
import json
from datetime import UTC, datetime

import pandas as pd
import pyarrow.parquet as pq
import pytest

from core.exports import csv_bytes, export_file_name, formula_safe, json_bytes, name_part, parquet_bytes

AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def frame():
    table = pd.DataFrame({
        "note": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "plain", None],
        "amount": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, -8.0],
        "group": pd.Categorical(["=a", "b", "b", "b", "b", "b", "b", "b"]),
    })
    table.index = pd.RangeIndex(8, name="row_id")
    return table


def test_text_cells_that_start_like_a_formula_get_an_apostrophe_and_numbers_stay_numbers():
    read = pd.read_csv(io.BytesIO(csv_bytes(frame())), keep_default_na=False, dtype={"note": str, "group": str})
    assert list(read["note"]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTAB", "'\rCR",
                                  "plain", ""]
    assert list(read["amount"]) == [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, -8.0]
    assert list(read["group"][:2]) == ["'=a", "b"]
    assert list(read["row_id"]) == list(range(8))


def test_no_cell_of_the_csv_starts_with_a_formula_character():
    read = pd.read_csv(io.BytesIO(csv_bytes(frame())), dtype=str, keep_default_na=False)
    text_cells = read[["note", "group"]].to_numpy().ravel()
    assert not [cell for cell in text_cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]


def test_formula_safe_leaves_the_original_frame_untouched():
    original = frame()
    formula_safe(original)
    assert original.loc[0, "note"].startswith("=")


def test_parquet_reads_back_equal_with_its_row_ids():
    read = pq.read_table(io.BytesIO(parquet_bytes(frame()))).to_pandas()
    pd.testing.assert_frame_equal(read, frame())


def test_json_is_utf8_and_reads_back():
    assert json.loads(json_bytes({"name": "Zürich", "n": 3})) == {"name": "Zürich", "n": 3}


@pytest.mark.parametrize(("text", "expected"), [
    ("Loan study", "Loan-study"), ("../../etc/passwd", "etc-passwd"), ("Zürich données", "Zurich-donnees"),
    ("名前", "export"), ("a" * 90, "a" * 40), ("con:nul?*|<>", "con-nul"),
])
def test_user_text_becomes_a_safe_file_name_part(text, expected):
    assert name_part(text, fallback="export") == expected


def test_a_file_name_names_project_subject_and_time():
    assert export_file_name("My/Project", "loans-v3", AT, "csv") == "My-Project_loans-v3_20260304-050607Z.csv"


def test_line_breaks_inside_cells_survive_the_round_trip():
    table = pd.DataFrame({"text": ["a\rb", "c\nd", "e\r\nf"]}, index=pd.RangeIndex(3, name="row_id"))
    read = pd.read_csv(io.BytesIO(csv_bytes(table)), index_col="row_id")
    assert list(read["text"]) == ["a\rb", "c\nd", "e\r\nf"]


def test_the_apps_own_detail_is_kept_whole_after_a_long_name():
    name = export_file_name("P", "d" * 80, AT, "csv", detail="v12-label-history")
    assert name == f"P_{'d' * 40}-v12-label-history_20260304-050607Z.csv"


def test_column_names_that_start_like_a_formula_are_neutralised_in_the_header():
    table = pd.DataFrame({"=cmd|' /C calc'!A0": [1], "ok": ["x"]}, index=pd.RangeIndex(1, name="row_id"))
    header = csv_bytes(table).decode().splitlines()[0]
    assert header == "row_id,'=cmd|' /C calc'!A0,ok"
