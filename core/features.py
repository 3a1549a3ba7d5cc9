"""How every model in the app sees a dataset's columns: the feature plan and its encoders.

One place decides which columns a model learns from and how each is encoded, so the
Experiments pipeline, the label-error model and the uncertainty-sampling model treat a column
alike whatever its pandas dtype (an uploaded CSV gives text columns as strings, a scenario as
categories): the decision reads the column kinds inferred at upload, never the dtype.

Which columns a model sees: every column that is not the target, ID, time, ignored or
sensitive (a sensitive column only when the user includes it on purpose); image pixels count
as numbers. Free text and dates are left out, each with the reason shown to the user.

How they are encoded depends on the model (`InputStyle`; the catalog gives each model one):

- ``scaled`` (linear, k-NN, MLP): numbers imputed with the median and standardised; categories
  one-hot encoded, levels rarer than `min_frequency` grouped into one "infrequent" column and
  unseen levels mapped there too.
- ``ordinal`` (random forest): numbers imputed; categories as integer codes, rare levels grouped.
  A forest on a dense or ordinal matrix trains several times faster than on a sparse one-hot
  matrix, and thresholds on codes lose little for trees.
- ``native`` (gradient boosting): numbers as they are (missing values are handled by the model),
  categories as codes the model splits on natively.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

import pandas as pd

from core.data.roles import Roles

InputStyle = Literal["scaled", "ordinal", "native"]

NUMERIC_KINDS = ("numeric", "image")
EXCLUDED_REASONS = {
    "text": "free text needs a text model, which the catalog does not have",
    "datetime": "dates are not used directly; derive month or weekday columns if they matter",
}
ROLE_REASONS = {"target": "the target", "id": "the row ID", "time": "the time column", "ignored": "marked as ignored",
                "sensitive": "sensitive: left out unless included on purpose"}

UNKNOWN_STYLE = "Input style must be one of {styles}; got {style!r}."
NO_FEATURES = (
    "No column is left to learn from: every column is the target, an ID, the time, sensitive, ignored, "
    "free text or a date. Give the dataset feature columns, or change the roles on the Datasets page."
)
NOT_SENSITIVE = "“{column}” is not a sensitive column of this dataset, so it cannot be included as one."
MISSING_FEATURES = "The data lacks the feature columns {columns}. Train on a dataset version that has them."


@dataclass(frozen=True)
class FeaturePlan:
    """The columns a model learns from, by kind, and the columns left out with the reason."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    excluded: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[str]:
        return [*self.numeric, *self.categorical]

    @property
    def categorical_mask(self) -> tuple[bool, ...]:
        """Which transformed columns are categorical, in the order the preprocessor outputs them."""
        return (False,) * len(self.numeric) + (True,) * len(self.categorical)

    def to_dict(self) -> dict[str, Any]:
        return {"numeric": list(self.numeric), "categorical": list(self.categorical),
                "excluded": {column: reason for column, reason in self.excluded}}


def plan_features(column_kinds: Mapping[str, str], roles: Roles, *, include_sensitive: Iterable[str] = ()) -> FeaturePlan:
    """Return which columns to learn from; raise ValueError when none is left.

    >>> plan = plan_features({"age": "numeric", "sex": "categorical", "y": "categorical"},
    ...                      Roles(target="y", sensitive=("sex",)))
    >>> plan.numeric, plan.categorical, plan.excluded
    (('age',), (), (('sex', 'sensitive: left out unless included on purpose'), ('y', 'the target')))
    """
    included = tuple(include_sensitive)
    for column in included:
        if column not in roles.sensitive:
            raise ValueError(NOT_SENSITIVE.format(column=column))
    role_of = _role_of(roles, included)
    numeric, categorical, excluded = [], [], []
    for column, kind in column_kinds.items():
        if column in role_of:
            excluded.append((column, ROLE_REASONS[role_of[column]]))
        elif kind in EXCLUDED_REASONS:
            excluded.append((column, EXCLUDED_REASONS[kind]))
        else:
            (numeric if kind in NUMERIC_KINDS else categorical).append(column)
    if not numeric and not categorical:
        raise ValueError(NO_FEATURES)
    return FeaturePlan(tuple(numeric), tuple(categorical), tuple(excluded))


def _role_of(roles: Roles, included_sensitive: tuple[str, ...]) -> dict[str, str]:
    role_of = {column: "ignored" for column in roles.ignored}
    role_of.update({column: "sensitive" for column in roles.sensitive if column not in included_sensitive})
    role_of.update({getattr(roles, role): role for role in ("target", "id", "time") if getattr(roles, role)})
    return role_of


def feature_frame(frame: pd.DataFrame, plan: FeaturePlan) -> pd.DataFrame:
    """Return the plan's feature columns of `frame`; raise ValueError naming missing ones."""
    missing = [column for column in plan.columns if column not in frame.columns]
    if missing:
        raise ValueError(MISSING_FEATURES.format(columns=", ".join(missing)))
    return frame[plan.columns]


def build_preprocessor(plan: FeaturePlan, *, style: InputStyle, min_frequency: float = 0.01,
                       max_categories: int = 50) -> Any:
    """Return an unfitted ColumnTransformer: numeric columns first, then categorical ones."""
    if style not in get_args(InputStyle):
        raise ValueError(UNKNOWN_STYLE.format(styles=", ".join(get_args(InputStyle)), style=style))
    from sklearn.compose import ColumnTransformer

    numeric, categorical = _NUMERIC[style](), _categorical(style, min_frequency, max_categories)
    parts = [("numeric", numeric, list(plan.numeric)), ("categorical", categorical, list(plan.categorical))]
    # Dense output: trees train several times faster on it than on a sparse matrix.
    return ColumnTransformer([part for part in parts if part[2]], sparse_threshold=0.0,
                             verbose_feature_names_out=False)


def _scaled_numbers() -> Any:
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])


def _imputed_numbers() -> Any:
    from sklearn.impute import SimpleImputer

    return SimpleImputer(strategy="median")


_NUMERIC = {"scaled": _scaled_numbers, "ordinal": _imputed_numbers, "native": lambda: "passthrough"}


def _categorical(style: InputStyle, min_frequency: float, max_categories: int) -> Any:
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    if style == "scaled":
        return OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=min_frequency,
                             max_categories=max_categories, sparse_output=False)
    # Gradient boosting reads NaN codes as missing; the forest gets -1, below every real code.
    code = float("nan") if style == "native" else -1
    return OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=code, encoded_missing_value=code,
                          min_frequency=min_frequency, max_categories=max_categories)
