import numpy as np
import pandas as pd
import pytest

from core.errors.actions import recommend_action
from core.errors.data import analysis_data
from core.errors.errors import error_rows
from core.errors.tags import MAX_TAG, clean_tag
from core.predictions import predictions_frame


def test_recommendation_rules_in_order():
    assert recommend_action(gap=-0.01, share=0.5, unstructured=False).action == "none"
    labels = recommend_action(gap=0.1, share=0.05, unstructured=True, hlp_slice=0.80, hlp_overall=0.95)
    assert labels.action == "better labels" and "80%" in labels.reason and "95%" in labels.reason
    assert recommend_action(gap=0.1, share=0.05, unstructured=True).action == "augmentation"
    assert recommend_action(gap=0.1, share=0.05, unstructured=False).action == "more data"
    assert recommend_action(gap=0.1, share=0.3, unstructured=False, hlp_slice=0.7, hlp_overall=0.72).action \
        == "better features"
    assert recommend_action(gap=0.02, share=0.3, unstructured=False, far_everywhere=True).action == "better features"
    assert recommend_action(gap=0.02, share=0.3, unstructured=False).action == "more data"


def test_error_rows_are_the_mistakes_most_confident_first():
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    predictions = predictions_frame([5, 6, 7, 8], [1, 1, 1, 1], proba.argmax(1), proba, classes=[0, 1])
    frame = pd.DataFrame({"x": [1, 2, 3, 4]}, index=pd.Index([5, 6, 7, 8], name="row_id"))
    data = analysis_data(predictions, frame, classes=[0, 1], numeric=["x"], categorical=[], tags={7: ["odd"]})
    table = error_rows(data)
    assert table["row_id"].tolist() == [5, 7]
    assert table["confidence"].tolist() == [0.9, 0.6] and table["tags"].tolist() == ["", "odd"]
    assert table["loss"].tolist() == pytest.approx([-np.log(0.1), -np.log(0.4)])
    assert error_rows(data, predicted_class="1").empty
    assert error_rows(data, mask=np.array([False, False, True, True]))["row_id"].tolist() == [7]


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_blank_tag_is_refused(text):
    with pytest.raises(ValueError, match="empty or only spaces"):
        clean_tag(text)


def test_long_tag_is_refused_and_spaces_collapse():
    with pytest.raises(ValueError, match="longer than 60"):
        clean_tag("x" * (MAX_TAG + 1))
    assert clean_tag("  self-reported   income ") == "self-reported income"
    assert clean_tag("x" * MAX_TAG) == "x" * MAX_TAG
