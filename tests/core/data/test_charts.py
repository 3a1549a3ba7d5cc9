import numpy as np
import pandas as pd
import pytest

from core.data import charts
from core.data.charts import class_balance_chart, distribution_chart, image_grid_chart, missing_values_chart
from core.data.profile import profile_dataset
from core.data.schema import infer_schema

PIXELS = [f"pixel_{i}" for i in range(64)]


def _digits_like(n_rows: int = 20) -> pd.DataFrame:
    values = np.arange(n_rows * 64).reshape(n_rows, 64) % 17
    frame = pd.DataFrame(values, columns=PIXELS).assign(label=np.arange(n_rows) % 10)
    return frame.rename_axis("row_id")


# --- missing values ---------------------------------------------------------------------


def test_missing_values_chart_shows_only_columns_with_missing_largest_first():
    frame = pd.DataFrame({
        "a": [1.0, np.nan, 3.0, 4.0],
        "b": [np.nan, np.nan, np.nan, 1.0],
        "c": [1, 2, 3, 4],
    })
    figure = missing_values_chart(profile_dataset(frame, infer_schema(frame)))
    (bar,) = figure.data
    assert bar.type == "bar"
    expected = frame.isna().mean()[lambda share: share > 0].sort_values(ascending=False)
    assert list(bar.x) == list(expected.index) == ["b", "a"]
    assert list(bar.y) == list(expected) == [0.75, 0.25]
    assert list(bar.customdata) == [3, 1]
    assert figure.layout.title.text == "Missing values per column"


def test_missing_values_chart_says_when_nothing_is_missing():
    frame = pd.DataFrame({"a": [1, 2]})
    figure = missing_values_chart(profile_dataset(frame, infer_schema(frame)))
    assert figure.layout.title.text == "Missing values per column: none missing"
    assert len(figure.data[0].x) == 0


# --- distributions ----------------------------------------------------------------------


def test_numeric_distribution_is_a_histogram_of_the_non_missing_values():
    frame = pd.DataFrame({"x": [1.0, 2.5, np.nan, 2.5, 10.0]})
    figure = distribution_chart(frame, "x", "numeric")
    (histogram,) = figure.data
    assert histogram.type == "histogram"
    np.testing.assert_array_equal(histogram.x, frame["x"].dropna().to_numpy())
    assert figure.layout.title.text == "Distribution of x"


def test_categorical_distribution_matches_value_counts():
    frame = pd.DataFrame({"colour": ["red", "blue", "red", None, "green", "red", "blue"]})
    figure = distribution_chart(frame, "colour", "categorical")
    (bar,) = figure.data
    counts = frame["colour"].value_counts()
    assert bar.type == "bar"
    assert list(bar.x) == list(counts.index) == ["red", "blue", "green"]
    assert list(bar.y) == list(counts) == [3, 2, 1]
    assert figure.layout.xaxis.type == "category"


def test_categorical_distribution_keeps_the_top_20_and_sums_the_rest():
    # Category k appears k + 1 times, so the order by count is known.
    values = np.repeat([f"c{k:02d}" for k in range(25)], np.arange(1, 26))
    frame = pd.DataFrame({"code": values})
    (bar,) = distribution_chart(frame, "code", "categorical").data
    counts = frame["code"].value_counts()
    assert list(bar.x) == [*counts.index[:20], "other (5 more)"]
    assert list(bar.y) == [*counts.iloc[:20], counts.iloc[20:].sum()]
    assert bar.y[-1] == 1 + 2 + 3 + 4 + 5
    assert sum(bar.y) == len(frame)


def test_integer_categories_are_drawn_as_names():
    frame = pd.DataFrame({"grade": [1, 2, 2, 3]})
    figure = distribution_chart(frame, "grade", "categorical")
    assert list(figure.data[0].x) == ["2", "1", "3"]


def test_datetime_distribution_counts_rows_per_month_with_empty_months():
    frame = pd.DataFrame({"when": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-03-09", None])})
    figure = distribution_chart(frame, "when", "datetime")
    (bar,) = figure.data
    month_starts = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"])
    assert [pd.Timestamp(x) for x in bar.x] == list(month_starts)
    assert list(bar.y) == [2, 0, 1]
    assert figure.layout.xaxis.title.text == "Month"


def test_datetime_distribution_parses_date_text_and_time_zones():
    text = pd.DataFrame({"when": ["2024-05-01", "2024-05-31", "2024-06-15"]})
    (bar,) = distribution_chart(text, "when", "datetime").data
    assert list(bar.y) == [2, 1]
    moments = pd.to_datetime(["2024-05-31T23:30", "2024-06-01T01:00"]).tz_localize("UTC")
    aware = pd.DataFrame({"when": moments})
    (bar,) = distribution_chart(aware, "when", "datetime").data
    assert list(bar.y) == [1, 1]


def test_text_distribution_is_a_histogram_of_lengths():
    frame = pd.DataFrame({"review": ["good", "not good at all", None, "fine"]})
    (histogram,) = distribution_chart(frame, "review", "text").data
    assert histogram.type == "histogram"
    assert list(histogram.x) == [4, 15, 4]


def test_a_pixel_column_distribution_is_a_histogram():
    frame = _digits_like()
    (histogram,) = distribution_chart(frame, "pixel_5", "image").data
    np.testing.assert_array_equal(histogram.x, frame["pixel_5"].to_numpy())


def test_large_columns_are_sampled_with_a_fixed_seed_and_say_so():
    frame = pd.DataFrame({"x": np.arange(60_000, dtype=float)})
    first = distribution_chart(frame, "x", "numeric")
    second = distribution_chart(frame, "x", "numeric")
    assert len(first.data[0].x) == charts.MAX_CHART_ROWS
    np.testing.assert_array_equal(first.data[0].x, second.data[0].x)
    assert first.layout.title.text == "Distribution of x (sampled 50,000 of 60,000 rows)"
    assert set(first.data[0].x) <= set(frame["x"])


def test_distribution_refuses_unknown_kind_and_column():
    frame = pd.DataFrame({"x": [1]})
    with pytest.raises(ValueError) as caught:
        distribution_chart(frame, "x", "number")
    kinds = "numeric, categorical, text, image, datetime"
    assert str(caught.value) == charts.UNKNOWN_KIND.format(kind="number", kinds=kinds)
    with pytest.raises(ValueError) as caught:
        distribution_chart(frame, "y", "numeric")
    assert str(caught.value) == charts.UNKNOWN_COLUMN.format(column="y")


# --- class balance ----------------------------------------------------------------------


def test_class_balance_chart_keeps_the_given_order_and_labels_shares():
    counts = pd.Series(["cat", "dog", "cat", "cat", "bird"], name="animal").value_counts()
    figure = class_balance_chart(counts)
    (bar,) = figure.data
    assert list(bar.x) == list(counts.index)
    assert list(bar.y) == [3, 1, 1]
    assert list(bar.text) == ["60.0%", "20.0%", "20.0%"]
    assert figure.layout.title.text == "Class balance of animal: smallest class is 20.0% of labelled rows"


def test_class_balance_chart_without_a_name_or_rows():
    figure = class_balance_chart(pd.Series([], dtype="int64"))
    assert figure.layout.title.text == "Class balance"
    assert len(figure.data[0].x) == 0


# --- image grid -------------------------------------------------------------------------


def test_image_grid_draws_each_row_as_an_8x8_heatmap():
    frame = _digits_like()
    row_ids = [3, 0, 7]
    figure = image_grid_chart(frame, PIXELS, row_ids, labels=[3, 0, 7])
    assert [trace.type for trace in figure.data] == ["heatmap"] * 3
    for trace, row_id in zip(figure.data, row_ids):
        np.testing.assert_array_equal(np.asarray(trace.z), frame.loc[row_id, PIXELS].to_numpy().reshape(8, 8))
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles == ["row 3: 3", "row 0: 0", "row 7: 7"]
    assert figure.layout.title.text == "Images: 3 of 3 rows"
    assert figure.layout.yaxis.autorange == "reversed"


def test_image_grid_shows_at_most_16_images_with_one_colour_range():
    frame = _digits_like(20)
    figure = image_grid_chart(frame, PIXELS, list(frame.index))
    assert len(figure.data) == 16
    assert figure.layout.title.text == "Images: 16 of 20 rows"
    shown = frame.loc[:15, PIXELS].to_numpy()
    assert {(trace.zmin, trace.zmax) for trace in figure.data} == {(shown.min(), shown.max())}
    assert figure.layout.annotations[0].text == "row 0"


def test_image_grid_with_no_rows_says_so():
    figure = image_grid_chart(_digits_like(), PIXELS, [])
    assert len(figure.data) == 0
    assert figure.layout.title.text == "Images: no rows to show"


def test_image_grid_refuses_bad_input():
    frame = _digits_like()
    with pytest.raises(ValueError) as caught:
        image_grid_chart(frame, PIXELS[:10], [0])
    assert str(caught.value) == charts.NOT_AN_IMAGE.format(count=10)
    with pytest.raises(ValueError) as caught:
        image_grid_chart(frame, PIXELS, [0, 1], labels=[0])
    assert str(caught.value) == charts.LABELS_LENGTH.format(labels=1, rows=2)
    with pytest.raises(ValueError) as caught:
        image_grid_chart(frame, PIXELS, [0, 99])
    assert str(caught.value) == charts.UNKNOWN_ROWS.format(row_ids="99")
