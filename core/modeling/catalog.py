"""The models a user can train, each with its hyperparameters described for a form.

Every hyperparameter has a default, a range (or a set of choices) and a one-line help, so the
page builds its form from this registry and `check_hyperparameters` refuses values outside
the range with a message naming it. scikit-learn is imported inside `build_estimator` only:
the home page imports nothing of it at start-up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from core.features import InputStyle

ParamKind = Literal["int", "float", "choice"]
Weighting = Literal["class_weight", "sample_weight", "none"]

UNKNOWN_MODEL = "“{model}” is not a model in the catalog. Choose one of: {names}."
UNKNOWN_PARAM = "{model} has no hyperparameter “{name}”. Its hyperparameters are: {names}."
NOT_A_NUMBER = "{label} must be {kind_text}; “{value}” is not. Type a number between {low:g} and {high:g}."
OUT_OF_RANGE = "{label} must be between {low:g} and {high:g}; {value:g} is outside. Pick a value in that range."
NOT_A_CHOICE = "{label} must be one of {choices}; “{value}” is not."
NO_WEIGHTING = "{model} cannot weight classes. Switch class weighting off, or choose another model."
# scikit-learn's own default ("auto") switches early stopping on above 10,000 rows only, so a
# learning curve would mix two ways of training and a timing sample would train unlike the run.
EARLY_STOPPING_HELP = (
    "On: 10% of the training rows are held out and boosting stops once their score has not improved for "
    "10 rounds. Off: every round runs on all training rows. The same setting applies at every data size."
)


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter of a model, described so that a form can be built from it."""

    name: str
    label: str
    kind: ParamKind
    default: int | float | str
    help: str
    low: float = 0.0
    high: float = 0.0
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in get_args(ParamKind):
            raise ValueError(f"Hyperparameter kind must be one of {get_args(ParamKind)}; got {self.kind!r}.")


@dataclass(frozen=True)
class ModelSpec:
    """A catalog entry: how to present a model, its hyperparameters and what inputs suit it."""

    name: str
    label: str
    summary: str
    params: tuple[HyperParam, ...]
    # Trees split on thresholds, so they take ordinal codes; distance- and gradient-based
    # models need scaled numbers and one-hot categories.
    input_style: InputStyle
    weighting: Weighting

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


def _int(name: str, label: str, default: int, low: int, high: int, help: str) -> HyperParam:
    return HyperParam(name, label, "int", default, help, low, high)


def _float(name: str, label: str, default: float, low: float, high: float, help: str) -> HyperParam:
    return HyperParam(name, label, "float", default, help, low, high)


MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in (
    ModelSpec("logistic_regression", "Logistic regression",
              "A linear model: fast, a strong first baseline, easy to explain.", (
                  _float("C", "Inverse regularisation C", 1.0, 1e-4, 1e4,
                         "Smaller values keep the weights small (simpler model); larger values fit the data closer."),
                  _int("max_iter", "Maximum iterations", 1000, 50, 10_000,
                       "Raise it if the solver warns that it did not converge."),
              ), "scaled", "class_weight"),
    ModelSpec("random_forest", "Random forest",
              "Many decision trees on resampled rows, averaged: robust, little tuning needed.", (
                  _int("n_estimators", "Number of trees", 100, 10, 1000,
                       "More trees give steadier predictions and take proportionally longer."),
                  _int("max_depth", "Maximum depth (0 = unlimited)", 0, 0, 100,
                       "Shallower trees are simpler and fit less noise; 0 lets trees grow until leaves are pure."),
                  _int("min_samples_leaf", "Minimum rows per leaf", 1, 1, 1000,
                       "Larger leaves smooth the model and guard against fitting label noise."),
              ), "ordinal", "class_weight"),
    ModelSpec("hist_gradient_boosting", "Histogram gradient boosting",
              "Boosted trees on binned features: usually the most accurate on tables, and fast on large data.", (
                  _float("learning_rate", "Learning rate", 0.1, 0.001, 1.0,
                         "Smaller steps need more iterations but often generalise better."),
                  _int("max_iter", "Maximum iterations", 100, 10, 2000,
                       "Number of boosting rounds; with early stopping on, it can stop sooner."),
                  HyperParam("early_stopping", "Early stopping", "choice", "off", EARLY_STOPPING_HELP,
                             choices=("off", "on")),
                  _int("max_leaf_nodes", "Leaves per tree", 31, 2, 1024, "Larger trees capture more interactions."),
                  _float("l2_regularization", "L2 regularisation", 0.0, 0.0, 100.0,
                         "Penalises large leaf values; raise it against overfitting."),
              ), "native", "class_weight"),
    ModelSpec("knn", "k-nearest neighbours",
              "Predicts the majority class of the closest training rows: no training, slow to predict on big data.", (
                  _int("n_neighbors", "Neighbours k", 5, 1, 500,
                       "How many training rows vote; must not exceed the number of training rows."),
                  HyperParam("weights", "Vote weighting", "choice", "uniform",
                             "“distance” lets closer neighbours count more.", choices=("uniform", "distance")),
              ), "scaled", "none"),
    ModelSpec("mlp", "Small neural network (MLP)",
              "A multi-layer perceptron: flexible, needs scaled inputs and more data than the others.", (
                  _int("hidden_units", "Units per hidden layer", 64, 1, 1024, "Width of each hidden layer."),
                  _int("hidden_layers", "Hidden layers", 1, 1, 4, "Depth of the network."),
                  _float("alpha", "L2 penalty alpha", 1e-4, 0.0, 10.0, "Weight decay; raise it against overfitting."),
                  _float("learning_rate_init", "Initial learning rate", 1e-3, 1e-5, 1.0,
                         "Step size of the Adam optimiser."),
                  _int("max_iter", "Maximum epochs", 200, 10, 2000, "Passes over the training data."),
              ), "scaled", "sample_weight"),
)}


def model_spec(model: str) -> ModelSpec:
    """Return the catalog entry of a model, or raise ValueError naming the known ones."""
    if model not in MODELS:
        raise ValueError(UNKNOWN_MODEL.format(model=model, names=", ".join(MODELS)))
    return MODELS[model]


def check_hyperparameters(model: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the model's full hyperparameters (defaults filled in), each checked against its range.

    >>> check_hyperparameters("knn", {"n_neighbors": 7})
    {'n_neighbors': 7, 'weights': 'uniform'}
    """
    spec = model_spec(model)
    known = {p.name: p for p in spec.params}
    unknown = [name for name in values if name not in known]
    if unknown:
        raise ValueError(UNKNOWN_PARAM.format(model=spec.label, name=unknown[0], names=", ".join(known)))
    return {name: _checked(param, values.get(name, param.default)) for name, param in known.items()}


def _checked(param: HyperParam, value: Any) -> int | float | str:
    if param.kind == "choice":
        if value not in param.choices:
            raise ValueError(NOT_A_CHOICE.format(label=param.label, choices=", ".join(param.choices), value=value))
        return value
    number = _as_number(param, value)
    if not param.low <= number <= param.high:
        raise ValueError(OUT_OF_RANGE.format(label=param.label, low=param.low, high=param.high, value=number))
    return int(number) if param.kind == "int" else float(number)


def _as_number(param: HyperParam, value: Any) -> float:
    kind_text = "a whole number" if param.kind == "int" else "a number"
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or (param.kind == "int" and not number.is_integer()):
        raise ValueError(NOT_A_NUMBER.format(label=param.label, kind_text=kind_text, value=value,
                                             low=param.low, high=param.high))
    return number


def check_weighting(model: str, *, balance_classes: bool) -> None:
    """Raise ValueError when class weighting is asked of a model that cannot weight classes."""
    spec = model_spec(model)
    if balance_classes and spec.weighting == "none":
        raise ValueError(NO_WEIGHTING.format(model=spec.label))


def build_estimator(model: str, params: Mapping[str, Any], *, balance_classes: bool = False,
                    categorical_mask: tuple[bool, ...] = (), random_state: int = 0) -> Any:
    """Return an unfitted scikit-learn classifier for checked hyperparameters."""
    check_weighting(model, balance_classes=balance_classes)
    params = check_hyperparameters(model, params)
    weight = "balanced" if balance_classes and model_spec(model).weighting == "class_weight" else None
    return _BUILDERS[model](params, weight, categorical_mask, random_state)


def _logistic(params, weight, _mask, random_state):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=params["C"], max_iter=params["max_iter"], class_weight=weight,
                              random_state=random_state)


def _forest(params, weight, _mask, random_state):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=params["n_estimators"], max_depth=params["max_depth"] or None,
                                  min_samples_leaf=params["min_samples_leaf"], class_weight=weight,
                                  n_jobs=-1, random_state=random_state)


def _boosting(params, weight, mask, random_state):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        learning_rate=params["learning_rate"], max_iter=params["max_iter"], max_leaf_nodes=params["max_leaf_nodes"],
        l2_regularization=params["l2_regularization"], categorical_features=list(mask) if any(mask) else None,
        early_stopping=params["early_stopping"] == "on", class_weight=weight, random_state=random_state)


def _neighbours(params, _weight, _mask, _random_state):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=params["n_neighbors"], weights=params["weights"])


def _network(params, _weight, _mask, random_state):
    from sklearn.neural_network import MLPClassifier

    layers = (params["hidden_units"],) * params["hidden_layers"]
    return MLPClassifier(hidden_layer_sizes=layers, alpha=params["alpha"], max_iter=params["max_iter"],
                         learning_rate_init=params["learning_rate_init"], random_state=random_state)


_BUILDERS = {"logistic_regression": _logistic, "random_forest": _forest, "hist_gradient_boosting": _boosting,
             "knn": _neighbours, "mlp": _network}
