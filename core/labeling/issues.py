"""Likely label errors in the training data: out-of-fold probabilities, confident learning, reasons.

The probabilities come from cross-validation on the rows given (the page passes the training
split only: cleaning dev or test labels with a model would make their scores flatter the
model). Each row's probability comes from a model that never saw that row. The flagged set is
confident learning's (`core.labeling.confident_learning.find_label_issues`), ranked by self-confidence:
the probability the model gives to the label the row has, lowest first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from core.features import FeaturePlan, build_preprocessor, feature_frame
from core.labeling.confident_learning import find_label_issues

ModelName = Literal["logistic_regression"]
MIN_ROWS_PER_CLASS = 2

UNKNOWN_MODEL = "Unknown model {model!r}; choose one of: {names}."
TOO_FEW_FOLDS = "Cross-validation needs at least 2 folds; got {folds}."
TOO_FEW_ROWS = (
    "Class {label!r} has only {count} labeled training row(s); cross-validation with {folds} folds needs "
    "at least {folds} per class. Label more rows of that class, or use fewer folds."
)
ONE_CLASS = "All labeled training rows have the same label; label errors need at least two classes."
NO_LABELED_ROWS = ("No training row has a label yet, so there is nothing to check. Label a batch on the Label tab "
                   "(or give the version a target column) first.")
FLAGGED_FIELDS = ("label", "suggested", "self_confidence", "suggested_confidence")


@dataclass(frozen=True)
class LabelIssues:
    """The rows flagged as likely mislabeled, most suspicious first, and the probabilities behind them."""

    table: pd.DataFrame  # row_id index; label, suggested, self_confidence, suggested_confidence, explanation
    probabilities: pd.DataFrame  # row_id × class, out of fold
    n_checked: int

    @property
    def n_flagged(self) -> int:
        return len(self.table)


def out_of_fold_probabilities(
    frame: pd.DataFrame, labels: pd.Series, *, plan: FeaturePlan, model: ModelName = "logistic_regression",
    folds: int = 5, random_state: int = 0,
) -> pd.DataFrame:
    """Return each row's class probabilities from a model fitted on the other folds.

    Columns are the sorted classes. The plan (`core.features.plan_features`, the one the
    Experiments pipeline uses) says which columns are numbers and which categories, from the
    column kinds rather than the dtype: an uploaded CSV's text columns arrive as strings and
    count as categories all the same. Encoded as for a linear model in Experiments.
    """
    if model not in get_args(ModelName):
        raise ValueError(UNKNOWN_MODEL.format(model=model, names=", ".join(get_args(ModelName))))
    if folds < 2:
        raise ValueError(TOO_FEW_FOLDS.format(folds=folds))
    _check_classes(labels, folds)
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    features = feature_frame(frame, plan)
    estimator = _pipeline(plan)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    classes = np.sort(labels.unique())
    probs = cross_val_predict(estimator, features, labels.to_numpy(), cv=splitter, method="predict_proba")
    return pd.DataFrame(probs, index=features.index, columns=classes)


def scan_settings(*, folds: int, seed: int, model: ModelName = "logistic_regression") -> dict:
    """Return what a stored scan records of how it was made: out-of-fold predictions on the training split."""
    return {"model": model, "predictions": "out_of_fold", "folds": int(folds), "seed": int(seed), "split": "train"}


def fit_predict_probabilities(frame: pd.DataFrame, labels: pd.Series, candidates: pd.DataFrame, *,
                              plan: FeaturePlan) -> pd.DataFrame:
    """Return class probabilities for the candidate rows from a model fitted on the labeled rows.

    The same model and feature plan as `out_of_fold_probabilities`; uncertainty sampling reads these.
    """
    _check_classes(labels, MIN_ROWS_PER_CLASS)
    model = _pipeline(plan).fit(feature_frame(frame, plan), labels.to_numpy())
    probs = model.predict_proba(feature_frame(candidates, plan))
    return pd.DataFrame(probs, index=candidates.index, columns=model.classes_)


def model_probabilities(model, candidates: pd.DataFrame) -> pd.DataFrame:
    """Return a fitted classifier's class probabilities for the candidate rows (row_id index)."""
    probs = model.predict_proba(candidates)
    return pd.DataFrame(probs, index=candidates.index, columns=[str(c) for c in model.classes_])


def _check_classes(labels: pd.Series, folds: int) -> None:
    counts = labels.value_counts()
    if counts.empty:
        raise ValueError(NO_LABELED_ROWS)
    if len(counts) < 2:
        raise ValueError(ONE_CLASS)
    small = counts[counts < max(folds, MIN_ROWS_PER_CLASS)]
    if len(small):
        raise ValueError(TOO_FEW_ROWS.format(label=small.index[0], count=int(small.iloc[0]), folds=folds))


def _pipeline(plan: FeaturePlan):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(build_preprocessor(plan, style="scaled"), LogisticRegression(max_iter=1000))


def rank_label_issues(
    labels: pd.Series, probabilities: pd.DataFrame, *, votes: Mapping | None = None
) -> LabelIssues:
    """Return the rows confident learning flags, lowest self-confidence first, each with a reason.

    `votes` may map a row_id to the labels people gave it (e.g. ``["1", "1"]``), which the
    explanation then names.
    """
    classes = list(probabilities.columns)
    codes = pd.Categorical(labels.loc[probabilities.index], categories=classes).codes
    probs = probabilities.to_numpy(dtype=float)
    rows = np.arange(len(probs))
    flagged = find_label_issues(codes.astype(np.int64), probs)
    best = probs.argmax(axis=1)
    table = pd.DataFrame({
        "label": np.asarray(classes, dtype=object)[codes],
        "suggested": np.asarray(classes, dtype=object)[best],
        "self_confidence": probs[rows, codes],
        "suggested_confidence": probs[rows, best],
    }, index=probabilities.index)[flagged]
    table = table.sort_values("self_confidence", kind="stable")
    table["explanation"] = explanations(table, votes=votes)
    return LabelIssues(table, probabilities, len(probs))


def flagged_records(table: pd.DataFrame) -> list[dict]:
    """Return the flagged rows as plain records (row_id, labels as text, confidences), in the table's order."""
    return [{"row_id": int(row), "label": str(r.label), "suggested": str(r.suggested),
             "self_confidence": float(r.self_confidence), "suggested_confidence": float(r.suggested_confidence)}
            for row, r in table.iterrows()]


def flagged_table(records: list[dict]) -> pd.DataFrame:
    """Return stored flagged records as the table `rank_label_issues` makes (row_id index, order kept).

    >>> flagged_table([{"row_id": 7, "label": "1", "suggested": "7", "self_confidence": 0.02,
    ...                 "suggested_confidence": 0.9}]).loc[7, "suggested"]
    '7'
    """
    frame = pd.DataFrame(records, columns=["row_id", *FLAGGED_FIELDS])
    return frame.set_index("row_id").astype({"self_confidence": float, "suggested_confidence": float})


def explanations(table: pd.DataFrame, *, show: Callable[[object], str] = str, votes: Mapping | None = None) -> list[str]:
    """Return each flagged row's reason, its classes written as `show` names them (display names)."""
    return [explain_issue(show(r.label), show(r.suggested), r.suggested_confidence,
                          [show(v) for v in (votes or {}).get(i, [])] or None)
            for i, r in table.iterrows()]


def explain_issue(label, suggested, confidence: float, votes=None) -> str:
    """Return one plain sentence on why a row looks mislabeled.

    >>> explain_issue("1", "7", 0.94, ["1", "1"])
    'The model is 94% sure this is “7”; it was labeled “1” by two labelers.'
    """
    source = "in the data"
    if votes:
        agreeing = sum(1 for v in votes if str(v) == str(label))
        source = f"by {_count_words(agreeing)} labeler{'s' if agreeing != 1 else ''}"
        if agreeing < len(votes):
            source += f" (of {_count_words(len(votes))})"
    return f"The model is {confidence:.0%} sure this is “{suggested}”; it was labeled “{label}” {source}."


def _count_words(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if n < len(words) else str(n)


def detection_quality(flagged: pd.Index, truly_flipped: pd.Index, *, checked: pd.Index) -> tuple[float, float]:
    """Return (recall, precision) of flagged rows against the truly flipped rows among those checked."""
    truth = set(truly_flipped).intersection(checked)
    hits = len(truth.intersection(flagged))
    recall = hits / len(truth) if truth else float("nan")
    precision = hits / len(flagged) if len(flagged) else float("nan")
    return recall, precision


def detection_summary(flagged: pd.Index, truly_flipped: pd.Index, *, checked: pd.Index) -> str:
    """Return one sentence on how many planted flips among the checked rows were flagged, with the counts.

    Ratios over nothing are not shown as numbers: a version without flips in the rows checked,
    or a run that flags nothing, says so in words.

    >>> detection_summary(pd.Index([1, 2, 3]), pd.Index([2, 3, 9]), checked=pd.Index(range(5)))
    'Of the 2 flipped labels in the rows checked, 2 (100%) are flagged; 2 of the 3 flagged rows (67%) were flipped.'
    >>> detection_summary(pd.Index([1]), pd.Index([]), checked=pd.Index(range(5)))
    'No label was flipped on purpose among the rows checked, so there is no planted error to find here.'
    """
    truth = set(truly_flipped).intersection(checked)
    if not truth:
        return "No label was flipped on purpose among the rows checked, so there is no planted error to find here."
    hits = len(truth.intersection(flagged))
    found = f"Of the {len(truth):,} flipped labels in the rows checked, {hits:,} ({hits / len(truth):.0%}) are flagged"
    if not len(flagged):
        return f"{found}; no row is flagged."
    return f"{found}; {hits:,} of the {len(flagged):,} flagged rows ({hits / len(flagged):.0%}) were flipped."
