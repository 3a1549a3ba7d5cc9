import pytest

from core.modeling.catalog import MODELS, build_estimator, check_hyperparameters, check_weighting, model_spec


@pytest.mark.parametrize("model", list(MODELS))
def test_every_default_is_within_its_own_range(model):
    spec = MODELS[model]
    assert check_hyperparameters(model, {}) == spec.defaults()
    for param in spec.params:
        if param.kind != "choice":
            assert param.low <= param.default <= param.high and param.help


@pytest.mark.parametrize("model", list(MODELS))
def test_every_model_builds_a_classifier_with_the_given_values(model):
    estimator = build_estimator(model, {}, random_state=3)
    assert hasattr(estimator, "predict_proba")
    if "random_state" in estimator.get_params():
        assert estimator.get_params()["random_state"] == 3


@pytest.mark.parametrize("value, message", [
    (5000, "Number of trees must be between 10 and 1000; 5000 is outside. Pick a value in that range."),
    (9, "Number of trees must be between 10 and 1000; 9 is outside"),
    (10.5, "Number of trees must be a whole number; “10.5” is not. Type a number between 10 and 1000."),
    ("many", "Number of trees must be a whole number; “many” is not"),
    (float("nan"), "Number of trees must be a whole number"),
])
def test_out_of_range_and_malformed_values_are_refused_naming_the_range(value, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        check_hyperparameters("random_forest", {"n_estimators": value})


def test_range_ends_are_allowed_and_ints_stay_ints():
    assert check_hyperparameters("random_forest", {"n_estimators": 10.0})["n_estimators"] == 10
    assert isinstance(check_hyperparameters("random_forest", {"n_estimators": 1000.0})["n_estimators"], int)
    assert check_hyperparameters("logistic_regression", {"C": 1e-4})["C"] == 1e-4


def test_unknown_model_parameter_and_choice_are_named():
    with pytest.raises(ValueError, match="“svm” is not a model in the catalog"):
        model_spec("svm")
    with pytest.raises(ValueError, match="k-nearest neighbours has no hyperparameter “gamma”"):
        check_hyperparameters("knn", {"gamma": 1})
    with pytest.raises(ValueError, match="Vote weighting must be one of uniform, distance"):
        check_hyperparameters("knn", {"weights": "cosine"})


def test_class_weighting_is_refused_for_a_model_that_cannot_weight():
    with pytest.raises(ValueError, match="k-nearest neighbours cannot weight classes"):
        check_weighting("knn", balance_classes=True)
    assert build_estimator("random_forest", {}, balance_classes=True).class_weight == "balanced"
    assert build_estimator("hist_gradient_boosting", {}, balance_classes=True).class_weight == "balanced"


def test_boosting_gets_the_categorical_mask_and_unlimited_depth_is_none():
    boosting = build_estimator("hist_gradient_boosting", {}, categorical_mask=(False, True))
    assert boosting.categorical_features == [False, True]
    assert build_estimator("random_forest", {"max_depth": 0}).max_depth is None
    assert build_estimator("mlp", {"hidden_units": 8, "hidden_layers": 3}).hidden_layer_sizes == (8, 8, 8)


def test_early_stopping_is_an_explicit_setting_whatever_the_row_count():
    # scikit-learn's default ("auto") turns it on only above 10,000 rows, so a learning curve mixed two
    # ways of training and a timing sample trained unlike the run.
    assert check_hyperparameters("hist_gradient_boosting", {})["early_stopping"] == "off"
    assert build_estimator("hist_gradient_boosting", {}).early_stopping is False
    assert build_estimator("hist_gradient_boosting", {"early_stopping": "on"}).early_stopping is True
    with pytest.raises(ValueError, match="Early stopping must be one of off, on"):
        check_hyperparameters("hist_gradient_boosting", {"early_stopping": "auto"})
