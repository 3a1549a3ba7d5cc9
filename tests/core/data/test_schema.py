import numpy as np
import pandas as pd
import pytest

from core.data import schema
from core.data.schema import coerce_schema, date_format, image_columns, infer_schema


def _pixels(side: int, n_rows: int = 3) -> pd.DataFrame:
    values = np.arange(n_rows * side * side).reshape(n_rows, side * side) % 17
    return pd.DataFrame(values, columns=[f"pixel_{i}" for i in range(side * side)])


def test_numeric_categorical_and_bool_columns():
    frame = pd.DataFrame({
        "income": [1200.5, 3400.0, np.nan, 800.25],
        "age": [23, 45, 31, 60],
        "flag": [0, 1, 1, 0],           # 0/1 integers are a category, not a quantity
        "code": [7, 7, 9, 9],           # two distinct integer codes
        "approved": [True, False, True, True],
        "colour": ["red", "blue", "red", "green"],
    })
    assert infer_schema(frame) == {
        "income": "numeric", "age": "numeric", "flag": "categorical", "code": "categorical",
        "approved": "categorical", "colour": "categorical",
    }


def test_nullable_integer_with_two_values_and_missing_is_categorical():
    frame = pd.DataFrame({"flag": pd.array([1, None, 0, 1], dtype="Int64")})
    assert infer_schema(frame) == {"flag": "categorical"}


def test_float_with_two_values_stays_numeric():
    assert infer_schema(pd.DataFrame({"score": [0.5, 1.5, 0.5]})) == {"score": "numeric"}


def test_constant_integer_column_is_categorical():
    assert infer_schema(pd.DataFrame({"one": [1, 1, 1]})) == {"one": "categorical"}


def test_all_missing_columns_are_categorical_whatever_the_dtype():
    frame = pd.DataFrame({
        "empty_float": [np.nan, np.nan],
        "empty_text": pd.Series([None, None], dtype="str"),
        "empty_object": pd.Series([None, None], dtype=object),
    })
    assert set(infer_schema(frame).values()) == {"categorical"}


def test_datetime_dtypes_are_datetime():
    frame = pd.DataFrame({
        "naive": pd.date_range("2024-01-01", periods=3, freq="D"),
        "aware": pd.date_range("2024-01-01", periods=3, freq="h", tz="Europe/Paris"),
    })
    assert infer_schema(frame) == {"naive": "datetime", "aware": "datetime"}


@pytest.mark.parametrize(
    ("values", "expected_format"),
    [
        (["2024-01-05", "2024-02-17", "2023-12-31"], "ISO8601"),
        (["2024-01-05 10:30:00", "2024-02-17T08:00", None], "ISO8601"),
        (["01/05/2024", "02/17/2024", "12/31/2023"], "%m/%d/%Y"),
        (["Jan 5, 2024", "Feb 17, 2024", "Dec 31, 2023"], "%b %d, %Y"),
    ],
)
def test_date_strings_are_datetime(values, expected_format):
    frame = pd.DataFrame({"when": values})
    assert infer_schema(frame) == {"when": "datetime"}
    assert date_format(frame["when"]) == expected_format


def test_mixed_date_styles_need_the_per_value_parser():
    values = pd.Series(["2024-01-05", "Feb 17, 2024", "31 December 2023", "2024/03/01"])
    assert date_format(values) == "mixed"


def test_date_strings_with_one_bad_value_in_twenty_are_datetime():
    values = [f"2024-01-{day:02d}" for day in range(1, 20)] + ["not a date"]
    assert infer_schema(pd.DataFrame({"when": values})) == {"when": "datetime"}


def test_date_strings_with_two_bad_values_in_twenty_are_not_datetime():
    values = [f"2024-01-{day:02d}" for day in range(1, 19)] + ["unknown", "n/a"]
    assert infer_schema(pd.DataFrame({"when": values})) == {"when": "categorical"}


@pytest.mark.parametrize(
    "values",
    [
        ["May", "June", "March"],        # the date parser reads month names as dates
        ["12", "7", "2024"],             # numeric codes held as text
        ["A1", "B2", "C3"],
    ],
)
def test_month_names_and_number_strings_are_not_dates(values):
    assert infer_schema(pd.DataFrame({"c": values})) == {"c": "categorical"}


def test_long_strings_are_text():
    reviews = ["This product arrived broken and support never answered my emails."] * 3
    assert infer_schema(pd.DataFrame({"review": reviews})) == {"review": "text"}


def test_short_unique_phrases_are_text():
    # Median length is 13 (<= 30), but every value has a space and all are distinct.
    notes = ["late delivery", "wrong colour", "great value", "too small"]
    assert infer_schema(pd.DataFrame({"note": notes})) == {"note": "text"}


def test_repeated_short_phrases_are_categorical():
    cities = ["New York", "San Jose", "New York", "San Jose", "New York", "San Jose"]
    assert infer_schema(pd.DataFrame({"city": cities})) == {"city": "categorical"}


def test_digit_pixel_family_is_image():
    frame = _pixels(8).assign(label=[3, 1, 4])
    kinds = infer_schema(frame)
    assert {kinds[f"pixel_{i}"] for i in range(64)} == {"image"}
    assert kinds["label"] == "numeric"
    assert image_columns(frame) == tuple(f"pixel_{i}" for i in range(64))


def test_all_zero_pixel_column_is_still_image():
    frame = _pixels(2)
    frame["pixel_0"] = 0
    assert infer_schema(frame)["pixel_0"] == "image"


def test_image_columns_are_returned_in_pixel_order():
    frame = _pixels(2)[["pixel_3", "pixel_1", "pixel_0", "pixel_2"]]
    assert image_columns(frame) == ("pixel_0", "pixel_1", "pixel_2", "pixel_3")


@pytest.mark.parametrize(
    ("frame", "why"),
    [
        (_pixels(3).drop(columns="pixel_8"), "8 columns is not a square"),
        (_pixels(1), "one pixel is below the minimum of four"),
        (_pixels(2).rename(columns={"pixel_3": "pixel_4"}), "a gap in the numbering"),
        (_pixels(2).rename(columns={"pixel_1": "pixel_01"}), "a leading zero"),
        (_pixels(2).astype({"pixel_2": str}), "text values"),
    ],
)
def test_incomplete_or_non_numeric_pixel_family_is_not_image(frame, why):
    assert image_columns(frame) == (), why
    assert "image" not in infer_schema(frame).values(), why


def test_object_column_with_mixed_values_is_categorical():
    assert infer_schema(pd.DataFrame({"mixed": ["a", 1, 2.5, "b"]})) == {"mixed": "categorical"}


def test_sampling_keeps_inference_on_large_columns():
    n_rows = 50_000
    frame = pd.DataFrame({
        "day": pd.date_range("2020-01-01", periods=n_rows, freq="h").strftime("%Y-%m-%d %H:%M"),
        "group": np.where(np.arange(n_rows) % 3 == 0, "treated", "control"),
    })
    assert infer_schema(frame) == {"day": "datetime", "group": "categorical"}
    assert len(schema._sample(frame["day"])) == schema.SAMPLE_SIZE


def test_sample_is_the_same_on_every_call():
    column = pd.Series(np.arange(10_000))
    pd.testing.assert_series_equal(schema._sample(column), schema._sample(column))


def test_coerce_schema_converts_datetime_text_only():
    frame = pd.DataFrame({
        "when": ["2024-01-05", "2024-02-17", "garbage"],
        "us_date": ["01/05/2024", "02/17/2024", "12/31/2023"],
        "colour": ["red", "blue", "red"],
        "x": [1, 2, 3],
    })
    kinds = {"when": "datetime", "us_date": "datetime", "colour": "categorical", "x": "numeric"}
    result = coerce_schema(frame, kinds)
    coerced = result.frame
    # "garbage" does not parse, so "when" stays text exactly as written, and a note says why.
    pd.testing.assert_series_equal(coerced["when"], frame["when"])
    assert result.kinds["when"] == "categorical" and result.kinds["us_date"] == "datetime"
    assert result.notes == (schema.DATES_KEPT_AS_TEXT.format(column="when", count=1, total=3,
                                                             examples="'garbage'"),)
    assert list(coerced["us_date"]) == list(pd.to_datetime(frame["us_date"], format="%m/%d/%Y"))
    pd.testing.assert_frame_equal(coerced[["colour", "x"]], frame[["colour", "x"]])
    assert frame["us_date"].dtype != coerced["us_date"].dtype  # the input frame is left alone


def test_coerce_schema_puts_mixed_offsets_on_utc():
    frame = pd.DataFrame({"t": ["2024-01-01T10:00+02:00", "2024-01-01T10:00+03:00"]})
    coerced = coerce_schema(frame, infer_schema(frame)).frame
    assert list(coerced["t"]) == [pd.Timestamp("2024-01-01T08:00Z"), pd.Timestamp("2024-01-01T07:00Z")]


def test_coerce_schema_keeps_index_and_existing_datetimes():
    frame = pd.DataFrame(
        {"t": pd.date_range("2024-01-01", periods=2)}, index=pd.RangeIndex(2, name="row_id")
    )
    coerced = coerce_schema(frame, {"t": "datetime"})
    pd.testing.assert_frame_equal(coerced.frame, frame)
    assert coerced.kinds == {"t": "datetime"} and coerced.notes == ()


def test_coerce_schema_rejects_unknown_column_and_kind():
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError) as caught:
        coerce_schema(frame, {"b": "numeric"})
    assert str(caught.value) == schema.UNKNOWN_SCHEMA_COLUMN.format(column="b")
    with pytest.raises(ValueError) as caught:
        coerce_schema(frame, {"a": "number"})
    kinds = "numeric, categorical, text, image, datetime"
    assert str(caught.value) == schema.UNKNOWN_KIND.format(column="a", kind="number", kinds=kinds)


def test_parse_dates_matches_pandas_with_the_detected_format():
    values = pd.Series(["03/15/2024", "12/01/2023", None, "07/04/2024"], name="d")
    expected = pd.to_datetime(values, format="%m/%d/%Y")
    pd.testing.assert_series_equal(schema.parse_dates(values), expected)
