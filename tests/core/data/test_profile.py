import dataclasses

import numpy as np
import pandas as pd
import pytest

from core.data import profile as profile_module
from core.data.profile import DatasetProfile, data_structure, profile_dataset
from core.data.schema import infer_schema


def _frame(n_rows: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({
        "x": rng.normal(size=n_rows),
        "colour": rng.choice(["red", "blue", "green"], size=n_rows),
        "same": "k",
        "empty": np.nan,
        "label": rng.choice(["cat", "dog"], size=n_rows, p=[0.7, 0.3]),
    })
    frame.loc[frame.index % 3 == 0, "x"] = np.nan
    frame.loc[1, "same"] = None  # missing values do not break constancy
    return frame.rename_axis("row_id")


def _profile(frame: pd.DataFrame, **options) -> DatasetProfile:
    return profile_dataset(frame, infer_schema(frame), **options)


def test_counts_and_missing_match_pandas():
    frame = _frame(50)
    result = _profile(frame, target="label")
    assert (result.n_rows, result.n_columns) == (50, 5)
    pd.testing.assert_series_equal(result.missing, frame.isna().sum().rename("missing"))
    pd.testing.assert_series_equal(result.missing_share, frame.isna().mean().rename("missing_share"))
    assert result.missing["x"] == 17  # rows 0, 3, ..., 48
    assert result.memory_bytes == frame.memory_usage(deep=True).sum()


def test_duplicate_rows_match_pandas_and_ignore_row_id():
    frame = pd.DataFrame({"a": [1, 1, 2, 1, 2], "b": ["x", "x", "y", "x", "z"]})
    result = _profile(frame.rename_axis("row_id"))
    assert result.duplicate_rows == int(frame.duplicated().sum()) == 2


def test_rows_that_match_with_missing_values_are_duplicates():
    frame = pd.DataFrame({"a": [1.0, np.nan, np.nan], "b": ["x", None, None]})
    assert _profile(frame).duplicate_rows == 1


def test_constant_and_all_missing_columns():
    result = _profile(_frame())
    assert result.constant_columns == ("same",)
    assert result.all_missing_columns == ("empty",)


def test_two_valued_column_is_not_constant():
    frame = pd.DataFrame({"a": [1, 1, 1, 2], "b": [0.5, 0.5, np.nan, 0.5]})
    assert _profile(frame).constant_columns == ("b",)


def test_class_balance_is_ordered_by_count():
    frame = pd.DataFrame({"y": ["b", "a", "a", "c", "a", "b", None]})
    balance = _profile(frame, target="y").class_balance
    assert list(balance.index) == ["a", "b", "c"]
    assert list(balance) == [3, 2, 1]
    pd.testing.assert_series_equal(balance, frame["y"].value_counts())


def test_no_target_means_no_class_balance():
    assert _profile(_frame()).class_balance is None


def test_unknown_target_is_refused():
    with pytest.raises(ValueError) as caught:
        _profile(_frame(), target="outcome")
    assert str(caught.value) == profile_module.UNKNOWN_TARGET.format(target="outcome")


@pytest.mark.parametrize(("n_rows", "size_class"), [(10_000, "small"), (10_001, "big")])
def test_size_class_boundary(n_rows, size_class):
    frame = pd.DataFrame({"x": np.arange(n_rows, dtype=float)})
    assert _profile(frame).size_class == size_class


def test_image_columns_make_the_data_unstructured():
    pixels = pd.DataFrame(np.arange(12).reshape(3, 4) % 5, columns=[f"pixel_{i}" for i in range(4)])
    result = _profile(pixels.assign(label=[0, 1, 2]), target="label")
    assert result.structure == "unstructured"
    assert "Data augmentation (small shifts, rotations and added noise)" in " ".join(result.advice)
    assert "rephrasing" not in " ".join(result.advice)


def test_text_feature_makes_the_data_unstructured_but_a_text_target_does_not():
    schema = {"review": "text", "stars": "numeric"}
    assert data_structure(schema) == "unstructured"
    assert data_structure(schema, target="review") == "structured"


@pytest.mark.parametrize("key", list(profile_module.ADVICE))
def test_advice_has_two_to_four_sentences_for_every_case(key):
    advice = profile_module.ADVICE[key]
    assert 2 <= len(advice) <= 4
    assert all(sentence.endswith(".") for sentence in advice)


def test_big_structured_advice_is_chosen_for_many_tabular_rows():
    frame = pd.DataFrame({"x": np.arange(20_000.0), "y": np.arange(20_000) % 2})
    result = _profile(frame, target="y")
    assert (result.size_class, result.structure) == ("big", "structured")
    assert result.advice == profile_module.ADVICE[("big", "structured")]


def test_profile_is_frozen():
    result = _profile(_frame())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n_rows = 3


def test_empty_frame_profile_has_zero_shares():
    frame = pd.DataFrame({"a": pd.Series([], dtype=float)})
    result = _profile(frame)
    assert result.n_rows == 0 and result.duplicate_rows == 0
    assert list(result.missing_share) == [0.0]
    assert result.all_missing_columns == () and result.constant_columns == ()


def test_markers_kept_as_values_are_listed_in_the_profile():
    frame = pd.DataFrame({"age": ["39", "?", "52"], "city": ["Oslo", "Lima", "Pune"]}, dtype="str")
    result = profile_dataset(frame, {"age": "categorical", "city": "categorical"})
    assert [(f.column, dict(f.counts)) for f in result.markers] == [("age", {"?": 1})]
    assert result.missing.sum() == 0  # they are values until treated
def test_one_free_text_column_leaves_a_7000_row_table_small_and_structured():
    # Before: any text column made the whole table "unstructured", with advice to augment by rephrasing.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"age": rng.integers(18, 80, 7000).astype(float), "income": rng.normal(size=7000),
                          "region": rng.choice(["north", "south"], 7000), "y": rng.integers(0, 2, 7000)})
    schema = {"age": "numeric", "income": "numeric", "region": "categorical", "notes": "text", "y": "categorical"}
    result = profile_dataset(frame.assign(notes="x"), schema, target="y")
    assert (result.size_class, result.structure) == ("small", "structured")
    text = " ".join(result.advice)
    assert "rephrasing" not in text and "augmentation" not in text
    assert text.endswith("“notes” holds free text, which the models here leave out; the advice above is for the "
                         "other 3 columns.")


@pytest.mark.parametrize(("kinds", "structure"), [
    (["text", "numeric", "numeric"], "structured"),
    (["text", "numeric"], "unstructured"),
    (["image"] * 64, "unstructured"),
    (["image"] * 3 + ["numeric"] * 4, "structured"),
])
def test_structure_follows_what_most_feature_columns_are(kinds, structure):
    schema = {f"c{i}": kind for i, kind in enumerate(kinds)}
    assert data_structure({**schema, "y": "text"}, target="y") == structure


def test_text_data_is_advised_to_rephrase_and_images_to_shift():
    text = profile_module.data_advice({"review": "text", "y": "categorical"}, "big", "unstructured", target="y")
    assert "Data augmentation (rephrasing and swapping synonyms)" in " ".join(text)
