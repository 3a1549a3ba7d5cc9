"""An old model's predictions, from a file or an earlier run, checked against the dataset before use.

The file is CSV or Parquet with one row per dataset row: ``row_id`` (the dataset's stable row
id), ``prediction`` (a class of the target, spelled as in the dataset) and optionally
``probability``, the probability the model gave its prediction (between 0 and 1). Rows of other
splits may be present; every dev row must be.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api import types

from core.baselines.metrics import positive_class
from core.baselines.computed import Predictions
from core.predictions import PROBA_PREFIX
from core.data.ingest import read_table

ROW_ID, PREDICTION, PROBABILITY = "row_id", "prediction", "probability"
MAX_EXAMPLES = 3

MISSING_COLUMNS = (
    "The predictions file lacks the column {columns}. It needs the columns row_id and prediction "
    "(and may add probability); its columns are: {found}."
)
ROW_ID_NOT_WHOLE = (
    "row_id must hold the dataset's row ids, which are whole numbers; {count} rows hold something "
    "else, for example “{example}”. Export the row ids with the predictions."
)
DUPLICATE_ROW_IDS = (
    "{count} row ids appear more than once, for example {examples}. Give one prediction per row."
)
UNKNOWN_ROW_IDS = (
    "{count} row ids are not in this dataset version, for example {examples}. Predict the rows of "
    "the dataset version chosen above, using its row_id column."
)
MISSING_ROWS = (
    "{count} of the {total} dev rows have no prediction, for example row ids {examples}. Predict "
    "every dev row (or every row of the dataset)."
)
EMPTY_PREDICTIONS = (
    "{count} rows have an empty prediction, for example row id {examples}. Fill in a class for every row."
)
UNKNOWN_CLASSES = (
    "The predictions hold {values}, which the target does not have. The target's classes are "
    "{classes}: spell predictions exactly like them."
)
PROBABILITY_NOT_NUMBER = (
    "probability must be a number between 0 and 1; {count} rows hold something else, for example "
    "“{example}” for row id {row_id}. Write probabilities as plain numbers such as 0.83, or leave "
    "the column out."
)
PROBABILITY_OUT_OF_RANGE = (
    "probability must lie between 0 and 1; {count} rows lie outside, for example {value} for row id "
    "{row_id}. Write 83% as 0.83."
)


class PredictionFileError(ValueError):
    """A predictions file was refused; the message names the problem and the fix."""


def read_predictions(
    data: bytes, filename: str, *, dataset_row_ids: pd.Index, dev_row_ids: pd.Index, classes: Sequence,
) -> Predictions:
    """Return the file's predictions for the dev rows, or raise PredictionFileError saying what is wrong."""
    table = _named_columns(read_table(data, filename).frame)
    row_ids = _checked_row_ids(table[ROW_ID], dataset_row_ids)
    table.index = pd.Index(row_ids, name=ROW_ID)
    dev, labels = _dev_predictions(table, dev_row_ids, classes)
    if PROBABILITY not in dev.columns:
        return Predictions(labels)
    confidence = _checked_probabilities(dev[PROBABILITY])
    if len(classes) != 2:
        return Predictions(labels)
    # The file gives the probability of the predicted class; ranking needs the positive class's.
    is_positive = (labels == positive_class(classes)).to_numpy()
    return Predictions(labels, pd.Series(np.where(is_positive, confidence, 1 - confidence), index=labels.index))


def run_predictions(stored: pd.DataFrame, *, dev_row_ids: pd.Index, classes: Sequence) -> Predictions:
    """Return a training run's stored dev predictions (prediction and proba_<class> columns by row_id)."""
    dev, labels = _dev_predictions(stored, dev_row_ids, classes)
    column = f"{PROBA_PREFIX}{positive_class(classes)}"  # a run keeps one probability column per class
    if len(classes) != 2 or column not in dev.columns:
        return Predictions(labels)
    return Predictions(labels, dev[column].astype(float))


def _dev_predictions(table: pd.DataFrame, dev_row_ids: pd.Index, classes: Sequence) -> tuple[pd.DataFrame, pd.Series]:
    _check_covers(table.index, dev_row_ids)
    dev = table.loc[dev_row_ids]
    return dev, _checked_classes(dev[PREDICTION], classes)


def _named_columns(table: pd.DataFrame) -> pd.DataFrame:
    table = table.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in (ROW_ID, PREDICTION) if c not in table.columns]
    if missing:
        raise PredictionFileError(MISSING_COLUMNS.format(columns=" and ".join(missing),
                                                         found=", ".join(map(str, table.columns))))
    return table


def _checked_row_ids(column: pd.Series, dataset_row_ids: pd.Index) -> np.ndarray:
    numbers = pd.to_numeric(column, errors="coerce")
    whole = numbers.notna() & (numbers == numbers.round())
    if not whole.all():
        raise PredictionFileError(ROW_ID_NOT_WHOLE.format(count=int((~whole).sum()), example=column[~whole].iloc[0]))
    ids = numbers.astype(np.int64).to_numpy()
    repeated = pd.unique(ids[pd.Series(ids).duplicated().to_numpy()])
    if len(repeated):
        raise PredictionFileError(DUPLICATE_ROW_IDS.format(count=len(repeated), examples=_examples(repeated)))
    unknown = ids[~np.isin(ids, dataset_row_ids.to_numpy())]
    if len(unknown):
        raise PredictionFileError(UNKNOWN_ROW_IDS.format(count=len(unknown), examples=_examples(unknown)))
    return ids


def _check_covers(row_ids: pd.Index, dev_row_ids: pd.Index) -> None:
    missing = dev_row_ids.difference(row_ids)
    if len(missing):
        raise PredictionFileError(MISSING_ROWS.format(count=len(missing), total=len(dev_row_ids),
                                                      examples=_examples(missing)))


def _checked_classes(predictions: pd.Series, classes: Sequence) -> pd.Series:
    empty = predictions.isna() | (predictions.astype(str).str.strip() == "")
    if empty.any():
        raise PredictionFileError(EMPTY_PREDICTIONS.format(count=int(empty.sum()), examples=_examples(predictions.index[empty])))
    by_text = {class_text(c): c for c in classes}
    texts = _as_text(predictions)
    unknown = sorted(set(texts) - set(by_text))
    if unknown:
        raise PredictionFileError(UNKNOWN_CLASSES.format(values=_quoted(unknown), classes=_quoted(list(by_text))))
    return texts.map(by_text).rename(PREDICTION)


def class_text(value) -> str:
    """Return a class as a file spells it: 1.0 read from a file with gaps is the class 1."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _as_text(values: pd.Series) -> pd.Series:
    if types.is_numeric_dtype(values):
        return values.map(class_text)
    return values.astype(str).str.strip()


def _checked_probabilities(column: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna()
    if bad.any():
        raise PredictionFileError(PROBABILITY_NOT_NUMBER.format(count=int(bad.sum()), example=column[bad].iloc[0],
                                                                row_id=column.index[bad][0]))
    outside = (numbers < 0) | (numbers > 1)
    if outside.any():
        raise PredictionFileError(PROBABILITY_OUT_OF_RANGE.format(count=int(outside.sum()), value=numbers[outside].iloc[0],
                                                                  row_id=numbers.index[outside][0]))
    return numbers.astype(float)


def _examples(values) -> str:
    shown = ", ".join(str(v) for v in list(values)[:MAX_EXAMPLES])
    return shown + (", …" if len(values) > MAX_EXAMPLES else "")


def _quoted(values: Sequence) -> str:
    shown = ", ".join(f"“{v}”" for v in list(values)[:10])
    return shown + (", …" if len(values) > 10 else "")
