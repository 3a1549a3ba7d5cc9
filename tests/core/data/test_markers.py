"""Missing-value markers in uploaded files: found by rule, shown with counts, treated by choice."""

import numpy as np
import pandas as pd
import pytest

from core.data import markers
from core.data.ingest import read_table
from core.data.markers import MarkerFinding, find_missing_markers, treat_markers_as_missing
from core.data.profile import profile_dataset
from core.data.schema import infer_schema
from core.data.upload import UploadChoices, apply_choices


def found(frame) -> dict:
    return {f.column: dict(f.counts) for f in find_missing_markers(frame)}


def test_question_marks_in_a_numeric_column_are_markers_and_the_column_becomes_numbers():
    result = read_table(b"age,city\n39,Oslo\n?,Lima\n52,Pune\n?,Oslo\n", "census.csv")
    assert found(result.frame) == {"age": {"?": 2}}
    treated = apply_choices(result, UploadChoices()).frame
    assert treated["age"].dtype == np.float64
    assert treated["age"].isna().tolist() == [False, True, False, True]
    assert treated["age"].sum() == 91


@pytest.mark.parametrize("marker", ["?", "NA", "N/A", "-", "null", "none", "NULL", "None", "nan", "#N/A", " ", ""])
def test_every_common_marker_in_a_numeric_column_is_found(marker):
    frame = pd.DataFrame({"x": ["1.5", marker, "2", "3"]}, dtype="str")
    findings = find_missing_markers(frame)
    if marker == "":
        assert findings[0].counts == {"": 1}
    assert [f.column for f in findings] == ["x"] and findings[0].numbers_otherwise
    treated, _ = treat_markers_as_missing(frame, findings)
    assert treated["x"].tolist()[0] == 1.5 and np.isnan(treated["x"].tolist()[1])


def test_a_rare_sign_in_a_text_column_is_a_marker():
    values = ["Private"] * 6 + ["Local-gov", "?", "Self-emp", "?"]
    assert found(pd.DataFrame({"workclass": values})) == {"workclass": {"?": 2}}


def test_a_word_marker_unlike_the_rest_is_found():
    frame = pd.DataFrame({"colour": ["red", "blue", "green", "null", "yellow", "Null"]})
    assert found(frame) == {"colour": {"null": 1, "Null": 1}}


def test_na_among_two_letter_country_codes_is_namibia_not_a_marker():
    frame = pd.DataFrame({"country": ["US", "DE", "NA", "FR", "NA", "JP"]})
    assert found(frame) == {}


def test_a_minus_among_plus_and_minus_ratings_is_a_rating():
    frame = pd.DataFrame({"rating": ["+", "-", "+", "+", "-", "?"]})
    assert found(frame) == {}  # signs are what this column holds; "?" is like the rest here too


def test_a_column_of_only_markers_is_found_whole():
    frame = pd.DataFrame({"notes": ["NA", "NA", "-"]})
    assert found(frame) == {"notes": {"NA": 2, "-": 1}}


def test_pandas_default_missing_words_are_no_longer_dropped_silently_but_found():
    # pandas alone would read NA and null as missing without a word.
    result = read_table(b"score,code\n1,NA\n2,US\nnull,DE\n4,FR\n", "codes.csv")
    assert list(result.frame["code"]) == ["NA", "US", "DE", "FR"]  # Namibia stays
    assert found(result.frame) == {"score": {"null": 1}}


def test_decimal_comma_numbers_with_a_marker_become_numbers_after_treatment():
    result = read_table("price;qty\n12,50;1\n-;2\n1.299,00;3\n".encode(), "eu.csv")
    treated = apply_choices(result, UploadChoices()).frame
    assert treated["price"].tolist()[0] == 12.5 and np.isnan(treated["price"].tolist()[1])
    assert treated["price"].tolist()[2] == 1299.0


def test_codes_with_leading_zeros_stay_text_after_treatment():
    frame = pd.DataFrame({"zip": ["00501", "?", "02134"]}, dtype="str")
    treated, _ = treat_markers_as_missing(frame, find_missing_markers(frame))
    assert treated["zip"].tolist()[0] == "00501" and pd.isna(treated["zip"].tolist()[1])


def test_the_default_choice_treats_markers_and_says_so_in_the_notes():
    result = read_table(b"age,city\n39,Oslo\n?,Lima\n52,Pune\n", "census.csv")
    treated = apply_choices(result, UploadChoices())
    assert markers.TREATED_NOTE.format(findings="'age': '?' × 1") in treated.notes
    assert result.frame["age"].tolist() == ["39", "?", "52"]  # the read table is left alone


def test_keeping_markers_as_values_leaves_the_frame_and_says_so():
    result = read_table(b"age,city\n39,Oslo\n?,Lima\n52,Pune\n", "census.csv")
    kept = apply_choices(result, UploadChoices(markers="keep"))
    assert kept.frame["age"].tolist() == ["39", "?", "52"]
    assert markers.KEPT_NOTE.format(findings="'age': '?' × 1") in kept.notes


def test_an_unknown_choice_is_refused_with_the_options():
    with pytest.raises(ValueError, match="choose one of missing, keep"):
        UploadChoices(markers="drop")


def test_the_profile_counts_treated_markers_as_missing_like_pandas():
    data = b"age,workclass\n39,Private\n?,?\n52,Self-emp\n41,Private\n?,Private\n"
    frame = apply_choices(read_table(data, "census.csv"), UploadChoices()).frame
    profile = profile_dataset(frame, infer_schema(frame))
    assert profile.missing.to_dict() == {"age": 2, "workclass": 1}
    # the same counts pandas gives when told the marker itself
    import io
    reference = pd.read_csv(io.BytesIO(data), na_values=["?"])
    assert profile.missing.to_dict() == reference.isna().sum().to_dict()


def test_describe_findings_lists_columns_values_and_counts():
    findings = (MarkerFinding("age", {"?": 1836}, True), MarkerFinding("city", {"NA": 1, "": 2}, False))
    assert markers.describe_findings(findings) == "'age': '?' × 1,836; 'city': 'NA' × 1, '' × 2"


def test_plain_integers_made_numbers_after_treatment_get_no_decimal_note():
    result = read_table(b"price;qty\n12,50;3\n7,99;?\n", "eu.csv")
    treated = apply_choices(result, UploadChoices())
    assert treated.frame["qty"].tolist()[0] == 3.0
    assert [note for note in treated.notes if "Decimal commas" in note] == [
        "Decimal commas read as numbers (e.g. '1.234,50' = 1234.5) in: 'price'"]


def test_values_look_counts_rows_in_words():
    assert markers.values_look((MarkerFinding("a", {"?": 1}, True),)) == "1 value looks"
    assert markers.values_look((MarkerFinding("a", {"?": 1200, "-": 3}, True),)) == "1,203 values look"


def test_markers_after_a_comma_and_space_are_found_as_written():
    # The census income file separates fields with ", ", so its marker reads " ?".
    data = b"age, workclass, hours\n39, State-gov, 40\n50, ?, 13\n38, Private, ?\n"
    result = read_table(data, "adult.csv")
    assert found(result.frame) == {"workclass": {" ?": 1}, "hours": {" ?": 1}}
    treated = apply_choices(result, UploadChoices()).frame
    assert treated["hours"].tolist()[:2] == [40.0, 13.0] and pd.isna(treated["workclass"].tolist()[1])
