"""The column summary of the Profile tab, checked against pandas' own counts."""

import numpy as np
import pandas as pd
import pytest

from core.data.roles import Roles
from core.data.schema import infer_schema
from core.data.summary import SUMMARY_COLUMNS, column_summary, format_value


def test_every_column_gets_its_kind_role_counts_and_range_or_top_value():
    frame = pd.DataFrame({
        "id": [1, 2, 3, 4, 5], "income": [10.5, np.nan, 30.0, 20.0, 10.5],
        "city": ["Oslo", "Lima", "Oslo", None, "Oslo"],
        "when": pd.to_datetime(["2024-01-05", "2024-03-01", None, "2023-12-31", "2024-02-02"]),
        "y": ["a", "b", "a", "a", "b"],
    })
    table = column_summary(frame, infer_schema(frame), Roles(target="y", id="id")).set_index("column")
    assert list(table.reset_index().columns) == SUMMARY_COLUMNS and list(table.index) == list(frame.columns)
    assert table.loc["id", ["role", "missing", "distinct", "min", "max"]].tolist() == ["id", 0, 5, "1", "5"]
    assert table.loc["income", ["missing", "distinct", "min", "max"]].tolist() == [1, 3, "10.5", "30"]
    assert table.loc["city", ["role", "missing", "distinct", "most frequent"]].tolist() == ["feature", 1, 2, "Oslo (75%)"]
    assert table.loc["when", ["min", "max"]].tolist() == ["2023-12-31", "2024-03-01"]
    assert table.loc["y", ["role", "most frequent"]].tolist() == ["target", "a (60%)"]
    for column in frame.columns:  # the counts are pandas' own
        assert table.loc[column, "missing"] == frame[column].isna().sum()
        assert table.loc[column, "distinct"] == frame[column].nunique()


def test_an_empty_column_reads_as_dashes():
    frame = pd.DataFrame({"x": [None, None]}, dtype=float)
    row = column_summary(frame, {"x": "numeric"}, Roles()).iloc[0]
    assert (row["missing"], row["distinct"], row["min"], row["max"], row["most frequent"]) == (2, 0, "—", "—", "—")


@pytest.mark.parametrize(("value", "shown"), [
    (52341.0, "52,341"), (0.123456789, "0.123457"), (np.int64(7), "7"), (None, "—"), (np.nan, "—"), (pd.NA, "—"),
    ("North", "North"), (pd.Timestamp("2024-01-05"), "2024-01-05"),
    (pd.Timestamp("2024-01-05 13:30"), "2024-01-05 13:30:00"),
])
def test_values_read_as_a_person_would_write_them(value, shown):
    assert format_value(value) == shown
