"""Number text in uploaded CSV files: decimal commas, thousands separators, codes, dates.

Each case is a small hand-built file, read as the app reads an upload (read_table, then
the schema inference and date coercion that storing applies). Expected values are
written out by hand.
"""

import numpy as np
import pandas as pd
import pytest

from core.data import numbers, schema
from core.data.ingest import read_table
from core.data.schema import coerce_schema, infer_schema


def stored(text: str):
    """Return (frame, kinds, notes) the way an upload is stored."""
    result = read_table(text.encode(), "upload.csv")
    coerced = coerce_schema(result.frame, infer_schema(result.frame))
    return coerced.frame, coerced.kinds, result.notes + coerced.notes


def test_the_reported_decimal_comma_file_reads_numbers_not_dates():
    frame, kinds, notes = stored("price;qty;label\n12,50;3;x\n7,99;1;y\n1299,00;2;x\n")
    assert list(frame["price"]) == [12.5, 7.99, 1299.0]
    assert frame["price"].dtype == np.float64 and kinds["price"] == "numeric"
    assert numbers.DECIMAL_COMMA_NOTE.format(columns="'price'") in notes


def test_decimal_comma_with_thousands_dots():
    frame, kinds, _ = stored("amount;n\n1.234,50;1\n12.345.678,9;2\n-0,5;3\n17;4\n")
    assert list(frame["amount"]) == [1234.5, 12345678.9, -0.5, 17.0]
    assert kinds["amount"] == "numeric"


def test_negative_and_signed_decimal_commas():
    frame, _, _ = stored("delta;k\n-12,5;a\n+3,25;b\n-0,01;c\n")
    assert list(frame["delta"]) == [-12.5, 3.25, -0.01]


def test_quoted_decimal_commas_in_a_semicolon_file():
    frame, _, _ = stored('price;name\n"12,50";"a"\n"7,99";"b"\n')
    assert list(frame["price"]) == [12.5, 7.99]


def test_quoted_decimal_comma_in_a_comma_file_reads_as_a_decimal():
    # "12,50" cannot be a thousands comma (two digits follow), so only one reading is left.
    frame, _, _ = stored('price,name\n"12,50",a\n"7,9",b\n')
    assert list(frame["price"]) == [12.5, 7.9]


def test_thousands_commas_in_a_comma_file():
    frame, _, notes = stored('income,id\n"1,234.50",1\n"12,000",2\n"999",3\n')
    assert list(frame["income"]) == [1234.5, 12000.0, 999.0]
    assert numbers.THOUSANDS_COMMA_NOTE.format(columns="'income'") in notes


def test_thousands_dots_of_a_decimal_comma_file_are_not_decimals():
    # pandas reads 1.234 as one point two three four; the file's other column shows the custom.
    frame, _, notes = stored("units;price\n1.234;2,5\n5.000;3,75\n12;1,0\n")
    assert list(frame["units"]) == [1234.0, 5000.0, 12.0]
    assert any("thousands separators" in note for note in notes)


def test_plain_dot_decimals_in_a_semicolon_file_stay_as_pandas_reads_them():
    frame, _, _ = stored("x;y\n1.5;2,5\n2.25;3,5\n")
    assert list(frame["x"]) == [1.5, 2.25] and list(frame["y"]) == [2.5, 3.5]


def test_mixed_column_of_numbers_and_words_stays_text_untouched():
    frame, kinds, _ = stored("price;k\n12,50;a\nfree;b\n7,99;c\n")
    assert list(frame["price"]) == ["12,50", "free", "7,99"]
    assert kinds["price"] == "categorical"


def test_ambiguous_thousands_comma_without_evidence_stays_text_with_a_note():
    frame, _, notes = stored("a|b\n1,234|x\n5,678|y\n")
    assert list(frame["a"]) == ["1,234", "5,678"]
    assert numbers.AMBIGUOUS_NOTE.format(columns="'a'") in notes


def test_ambiguous_values_follow_the_unambiguous_column_of_the_same_file():
    frame, _, _ = stored("a|b\n1,234|0,5\n5,678|1,25\n")
    assert list(frame["a"]) == [1.234, 5.678] and list(frame["b"]) == [0.5, 1.25]


@pytest.mark.parametrize("codes", [
    ["1-2", "3-4", "5-6"],                  # ranges or codes, not 2 January
    ["10%", "25%", "5-10%"],                # percent-like codes
    ["12/50", "7/99", "3/10"],              # fractions
    ["A-12", "B-7", "C-3"],
    ["1.2.3", "2.0.1", "10.4.4"],           # version numbers
])
def test_codes_stay_text(codes):
    text = "code,n\n" + "".join(f"{code},{i}\n" for i, code in enumerate(codes))
    frame, kinds, _ = stored(text)
    assert list(frame["code"]) == codes
    assert kinds["code"] == "categorical"


def test_a_date_column_with_unparseable_values_stays_text_and_says_why():
    # 2 of 40 values (5%) do not parse: inference on a sample calls the column dates.
    dates = [f"2024-03-{day:02d}" for day in range(1, 29)] + [f"2024-04-{day:02d}" for day in range(1, 11)]
    values = dates[:20] + ["pending"] + dates[20:] + ["Q3 2024"]
    frame, kinds, notes = stored("when,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values)))
    assert list(frame["when"]) == values  # nothing dropped, nothing altered
    assert kinds["when"] == "categorical"
    assert schema.DATES_KEPT_AS_TEXT.format(column="when", count=2, total=40,
                                            examples="'pending', 'Q3 2024'") in notes


def test_a_date_column_with_missing_values_converts_when_every_present_value_parses():
    frame, kinds, notes = stored("when,n\n2024-03-01,1\n,2\n2024-03-05,3\n")
    assert kinds["when"] == "datetime"
    assert list(frame["when"]) == [pd.Timestamp("2024-03-01"), pd.NaT, pd.Timestamp("2024-03-05")]
    assert not any("kept as text" in note for note in notes)


@pytest.mark.parametrize("values, expected", [
    (["05.01.2024", "17.02.2024", "31.12.2023"], "%d.%m.%Y"),   # German-style dates
    (["2024-01", "2024-02", "2024-03"], None),                   # year-month
    (["31 December 2023", "1 January 2024", "2 March 2024"], None),
])
def test_real_date_styles_still_read_as_dates(values, expected):
    frame, kinds, _ = stored("d,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values)))
    assert kinds["d"] == "datetime"
    if expected:
        assert list(frame["d"]) == list(pd.to_datetime(pd.Series(values), format=expected))


def test_an_integer_too_long_for_64_bits_is_kept_as_exact_text():
    frame, kinds, notes = stored("id,n\n123456789012345678901234567,1\n2,2\n3,3\n")
    assert list(frame["id"]) == ["123456789012345678901234567", "2", "3"]
    assert numbers.LONG_INTEGER_NOTE.format(columns="'id'", digits=18) in notes
    from storage.data.datasets import frame_to_parquet, parquet_to_frame
    assert list(parquet_to_frame(frame_to_parquet(frame))["id"]) == list(frame["id"])


def test_to_number_matches_a_hand_conversion():
    values = pd.Series(["1.234,5", None, "-7,25"])
    result = numbers.to_number(values, ",")
    assert result.iloc[0] == 1234.5 and np.isnan(result.iloc[1]) and result.iloc[2] == -7.25


def test_a_mostly_date_column_with_many_other_values_stays_text_and_says_why():
    # 3 of 10 values are not dates: too many for inference, yet the column is plainly date-like.
    values = [f"2024-06-{day:02d}" for day in range(1, 8)] + ["pending", "Q3 2024", "unknown"]
    frame, kinds, notes = stored("when,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values)))
    assert list(frame["when"]) == values and kinds["when"] == "categorical"
    assert schema.DATES_KEPT_AS_TEXT.format(column="when", count=3, total=10,
                                            examples="'pending', 'Q3 2024', 'unknown'") in notes


def test_a_text_column_with_a_stray_date_gets_no_date_note():
    _, _, notes = stored("city,n\nOslo,1\nLima,2\n2024-01-01,3\nPune,4\n")
    assert not any("kept as text" in note for note in notes)
