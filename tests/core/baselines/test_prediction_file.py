"""A predictions file is read when it fits the dataset and refused, with the reason, when it does not."""

import io

import pandas as pd
import pytest

from core.baselines import prediction_file as pf
from core.data.ingest import IngestError

ROW_IDS = pd.RangeIndex(10, name="row_id")
DEV = pd.Index([2, 5, 7], name="row_id")


def read(text: str, classes=(0, 1), name="old.csv"):
    return pf.read_predictions(text.encode(), name, dataset_row_ids=ROW_IDS, dev_row_ids=DEV, classes=list(classes))


def test_a_good_file_gives_the_dev_predictions_and_positive_probabilities():
    predictions = read("row_id,prediction,probability\n7,1,0.9\n2,0,0.8\n5,1,0.6\n0,0,0.5\n")
    assert predictions.labels.to_dict() == {2: 0, 5: 1, 7: 1}
    # The file gives the probability of the predicted class; the positive class's is derived.
    assert predictions.positive_scores.round(6).to_dict() == {2: 0.2, 5: 0.6, 7: 0.9}


def test_text_classes_and_column_names_in_another_case_are_matched():
    predictions = read("Row_ID;Prediction\n2;yes\n5; no\n7;yes\n", classes=("no", "yes"))
    assert predictions.labels.tolist() == ["yes", "no", "yes"]
    assert predictions.positive_scores is None


def test_a_parquet_file_is_read_too():
    buffer = io.BytesIO()
    pd.DataFrame({"row_id": [2, 5, 7], "prediction": [1, 1, 0]}).to_parquet(buffer, index=False)
    predictions = pf.read_predictions(buffer.getvalue(), "old.parquet", dataset_row_ids=ROW_IDS, dev_row_ids=DEV,
                                      classes=[0, 1])
    assert predictions.labels.tolist() == [1, 1, 0]


@pytest.mark.parametrize("text, expected", [
    ("id,prediction\n2,1\n", pf.MISSING_COLUMNS.format(columns="row_id", found="id, prediction")),
    ("row_id,prediction\n2,1\n5,0\n7,1\n42,1\n99,0\n",
     pf.UNKNOWN_ROW_IDS.format(count=2, examples="42, 99")),
    ("row_id,prediction\n2,1\n", pf.MISSING_ROWS.format(count=2, total=3, examples="5, 7")),
    ("row_id,prediction\n2,1\n5,0\n7,2\n", pf.UNKNOWN_CLASSES.format(values="“2”", classes="“0”, “1”")),
    ("row_id,prediction,probability\n2,1,0.5\n5,0,high\n7,1,0.7\n",
     pf.PROBABILITY_NOT_NUMBER.format(count=1, example="high", row_id=5)),
    ("row_id,prediction,probability\n2,1,0.5\n5,0,83\n7,1,0.7\n",
     pf.PROBABILITY_OUT_OF_RANGE.format(count=1, value=83.0, row_id=5)),
    ("row_id,prediction\n2,1\n2,0\n5,0\n7,1\n", pf.DUPLICATE_ROW_IDS.format(count=1, examples="2")),
    ("row_id,prediction\nA7,1\n5,0\n7,1\n", pf.ROW_ID_NOT_WHOLE.format(count=1, example="A7")),
    ("row_id,prediction\n2,1\n5,\n7,1\n", pf.EMPTY_PREDICTIONS.format(count=1, examples="5")),
])
def test_bad_files_are_refused_with_a_message_naming_the_problem(text, expected):
    with pytest.raises(pf.PredictionFileError) as error:
        read(text)
    assert str(error.value) == expected


def test_an_empty_or_binary_file_is_refused_by_the_reader():
    with pytest.raises(IngestError, match="empty"):
        pf.read_predictions(b"", "old.csv", dataset_row_ids=ROW_IDS, dev_row_ids=DEV, classes=[0, 1])


def test_classes_read_as_floats_from_a_file_with_gaps_still_match():
    assert pf.class_text(1.0) == "1" and pf.class_text("  cat ") == "cat" and pf.class_text(0.5) == "0.5"
