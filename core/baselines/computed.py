"""Baselines computed from the data: dummy classifiers, a plain logistic regression, a legacy rule.

Each model baseline is fitted on the train split and predicts the dev split; the registry maps
its name to the function, so adding one is one function and one line. scikit-learn is imported
inside the functions: it takes over a second to import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from core.baselines.metrics import BaselineScores, positive_class, sliced_scores, sorted_classes
from core.predictions import positive_last
from core.data.scenarios import loan_approval
from core.slicing import slice_frame, slice_values

BaselineKind = Literal["hlp", "literature", "old_model", "dummy", "simple_model"]
ModelBaseline = Literal["most_frequent", "stratified", "prior", "logistic_regression"]
KIND_LABELS: dict[BaselineKind, str] = {
    "hlp": "Human-level", "literature": "Literature", "old_model": "Old model",
    "dummy": "Dummy", "simple_model": "Simple model",
}
MODEL_LABELS: dict[ModelBaseline, str] = {
    "most_frequent": "Most frequent class", "stratified": "Stratified random guess",
    "prior": "Class prior", "logistic_regression": "Logistic regression",
}
MODEL_HELP: dict[ModelBaseline, str] = {
    "most_frequent": "Always predicts the commonest training class: the accuracy any model must beat.",
    "stratified": "Guesses at random in the training class shares: what chance alone scores.",
    "prior": "Predicts the commonest class with the class shares as probabilities (ROC-AUC 0.5).",
    "logistic_regression": "A plain linear model on scaled numbers and one-hot categories: a cheap, honest bar.",
}
# Kinds of feature column a plain logistic regression can use as they are.
NUMERIC_KINDS = ("numeric", "image")
CATEGORICAL_KINDS = ("categorical",)
MAX_TRAIN_ROWS = 100_000
MAX_SLICE_VALUES = 50

UNKNOWN_MODEL = "“{name}” is not a baseline model. Choose one of: {names}."
NO_TARGET = "The dataset has no target column. Choose one in Datasets → Roles first."
NO_SPLIT_ROWS = (
    "The {split} split has no rows with a label. Make a split in Datasets → Splits that gives it some."
)
ONE_CLASS_TRAIN = (
    "The train split holds only one class ({value}), so no model can learn to tell classes apart. "
    "Make a stratified split in Datasets → Splits."
)
NO_FEATURES = (
    "The dataset has no numeric or categorical feature column for a logistic regression. Check the "
    "column roles in Datasets → Roles: ignored and sensitive columns are not used."
)
LEGACY_COLUMNS = "The legacy rule needs the columns {columns}, which this dataset version lacks."


@dataclass(frozen=True)
class Predictions:
    """Predicted classes for dev rows (indexed by row_id), with the positive class's probability."""

    labels: pd.Series
    positive_scores: pd.Series | None = None


@dataclass(frozen=True)
class BaselineData:
    """The rows a computed baseline learns from and is scored on, and what they are about."""

    train: pd.DataFrame
    dev: pd.DataFrame
    target: str
    classes: list
    features: list[str]
    column_kinds: Mapping[str, str]
    slice_columns: list[str]
    dev_slices: pd.DataFrame  # dev rows × slice columns: slice names, numeric bins set on all rows


def baseline_data(
    frame: pd.DataFrame, split: pd.Series, *, target: str | None, features: Sequence[str],
    column_kinds: Mapping[str, str], slice_candidates: Sequence[str] = (), positive: object = None,
) -> BaselineData:
    """Return the labelled train and dev rows of a split dataset, ready for the baselines.

    Of two classes, `positive` (as text; None for the last in sorted order) is the one whose
    precision, recall and F1 the baselines report: it is put last in `classes`.
    """
    if not target or target not in frame.columns:
        raise ValueError(NO_TARGET)
    labelled = frame[frame[target].notna()]
    assigned = split.reindex(labelled.index)
    train, dev = labelled[(assigned == "train").to_numpy()], labelled[(assigned == "dev").to_numpy()]
    for name, rows in (("train", train), ("dev", dev)):
        if rows.empty:
            raise ValueError(NO_SPLIT_ROWS.format(split=name))
    columns = slice_columns(frame, slice_candidates)
    classes = positive_last(sorted_classes(labelled[target]), positive)
    return BaselineData(train, dev, target, classes, list(features),
                        dict(column_kinds), columns, slice_frame(frame[columns]).loc[dev.index])


def slice_candidates(column_kinds: Mapping[str, str], *, exclude: Sequence[str | None] = (),
                     sensitive: Sequence[str] = ()) -> list[str]:
    """Return the columns a baseline can be broken down by: categorical ones, and numeric sensitive ones (binned)."""
    wanted = [c for c, kind in column_kinds.items()
              if kind in CATEGORICAL_KINDS or (kind == "numeric" and c in set(sensitive))]
    return [c for c in wanted if c not in set(exclude)]


def slice_columns(frame: pd.DataFrame, candidates: Sequence[str]) -> list[str]:
    """Return the candidates present in the frame with few enough slices for a per-slice table."""
    return [c for c in candidates if c in frame.columns and slice_values(frame[c]).nunique() <= MAX_SLICE_VALUES]


def score_predictions(data: BaselineData, predictions: Predictions) -> BaselineScores:
    """Return the predictions' scores on the dev rows, overall and per slice."""
    truth = data.dev[data.target]
    labels = predictions.labels.reindex(truth.index)
    scores = None if predictions.positive_scores is None else predictions.positive_scores.reindex(truth.index)
    return sliced_scores(truth, labels, data.dev_slices, classes=data.classes, positive_scores=scores)


def predict_baseline(name: str, data: BaselineData, *, random_state: int = 0) -> Predictions:
    """Return the named model baseline's predictions for the dev rows, fitted on the train rows."""
    if name not in get_args(ModelBaseline):
        raise ValueError(UNKNOWN_MODEL.format(name=name, names=", ".join(get_args(ModelBaseline))))
    train_y = data.train[data.target]
    if train_y.nunique() < 2:
        raise ValueError(ONE_CLASS_TRAIN.format(value=train_y.iloc[0]))
    return MODEL_BASELINES[name](data, random_state=random_state)


def _dummy(strategy: str) -> Callable[..., Predictions]:
    def predict(data: BaselineData, *, random_state: int) -> Predictions:
        from sklearn.dummy import DummyClassifier

        # A dummy ignores features; one constant column keeps the fitted object honest about that.
        model = DummyClassifier(strategy=strategy, random_state=random_state)
        model.fit(np.zeros((len(data.train), 1)), data.train[data.target].to_numpy())
        return _predictions(model, np.zeros((len(data.dev), 1)), data)

    return predict


def _logistic_regression(data: BaselineData, *, random_state: int) -> Predictions:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train = data.train
    if len(train) > MAX_TRAIN_ROWS:  # a plain reference line needs no more rows than this
        train = train.sample(MAX_TRAIN_ROWS, random_state=random_state)
    preprocess, columns = _preprocessor(data)
    model = make_pipeline(preprocess, LogisticRegression(max_iter=1000, random_state=random_state))
    model.fit(_feature_frame(train, columns), train[data.target].to_numpy())
    return _predictions(model, _feature_frame(data.dev, columns), data)


def _preprocessor(data: BaselineData):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [c for c in data.features if data.column_kinds.get(c) in NUMERIC_KINDS]
    categorical = [c for c in data.features if data.column_kinds.get(c) in CATEGORICAL_KINDS]
    if not numeric and not categorical:
        raise ValueError(NO_FEATURES)
    parts = [("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
             ("categories", OneHotEncoder(handle_unknown="ignore", min_frequency=0.01), categorical)]
    return ColumnTransformer([p for p in parts if p[2]]), {"numeric": numeric, "categorical": categorical}


def _feature_frame(rows: pd.DataFrame, columns: dict[str, list[str]]) -> pd.DataFrame:
    numbers = rows[columns["numeric"]].astype(float)
    # Text, not pandas categories: an encoder then treats a missing value as one more category.
    categories = rows[columns["categorical"]].astype(object).where(rows[columns["categorical"]].notna(), "(missing)")
    return pd.concat([numbers, categories.astype(str)], axis=1)


def _predictions(model, features, data: BaselineData) -> Predictions:
    labels = pd.Series(model.predict(features), index=data.dev.index, name="prediction")
    if len(data.classes) != 2:
        return Predictions(labels)
    column = list(model.classes_).index(positive_class(data.classes))
    return Predictions(labels, pd.Series(model.predict_proba(features)[:, column], index=data.dev.index))


MODEL_BASELINES: dict[ModelBaseline, Callable[..., Predictions]] = {
    "most_frequent": _dummy("most_frequent"),
    "stratified": _dummy("stratified"),
    "prior": _dummy("prior"),
    "logistic_regression": _logistic_regression,
}
MODEL_KINDS: dict[ModelBaseline, BaselineKind] = {
    "most_frequent": "dummy", "stratified": "dummy", "prior": "dummy", "logistic_regression": "simple_model",
}


@dataclass(frozen=True)
class LegacyRule:
    """A scenario's old rule-based model: the function and the columns it reads."""

    predict: Callable[[pd.DataFrame], pd.Series]
    columns: tuple[str, ...]
    text: str


# Scenario name -> its legacy model; only loan approval had one.
LEGACY_RULES: dict[str, LegacyRule] = {
    "loan_approval": LegacyRule(loan_approval.legacy_rule, ("credit_score", "debt_to_income"),
                                loan_approval.LEGACY_RULE),
}


def legacy_predictions(data: BaselineData, rule: LegacyRule) -> Predictions:
    """Return a scenario's legacy rule applied to the dev rows (its decisions, no probabilities)."""
    missing = [c for c in rule.columns if c not in data.dev.columns]
    if missing:
        raise ValueError(LEGACY_COLUMNS.format(columns=", ".join(missing)))
    return Predictions(rule.predict(data.dev).rename("prediction"))
