"""The runs-table search: conditions on metrics, parameters, model and tags, with known answers."""

import numpy as np
import pandas as pd
import pytest

from core.modeling.comparison import parameter_table
from core.modeling.run_filter import RunFilterError, filter_runs


@pytest.fixture
def runs():
    """Four runs as the runs table has them (index: run number), with hyperparameter columns."""
    table = pd.DataFrame({
        "model": ["random_forest", "knn", "logistic_regression", "random_forest"],
        "status": ["finished", "finished", "failed", "finished"],
        "f1": [0.91, 0.72, np.nan, 0.85],
        "tags": ["baseline, v1", "", "v1", "tuned"],
        "notes": ["", "leak suspected", "", ""],
        "dataset": ["loans v1"] * 4,
    }, index=pd.Index([4, 3, 2, 1], name="run"))
    params = parameter_table({4: {"params": {"n_estimators": 300}}, 3: {"params": {"n_neighbors": 7}},
                              2: {"params": {"C": 1.0}}, 1: {"params": {"n_estimators": 100}}})
    return pd.concat([table, params], axis=1)


@pytest.mark.parametrize("text, expected", [
    ("", [4, 3, 2, 1]),
    ("f1 > 0.8", [4, 1]),
    ("f1 >= 0.85", [4, 1]),
    ("f1 < 0.85", [3]),  # the failed run has no f1: it matches no comparison
    ("model = random_forest and n_estimators >= 200", [4]),
    ("MODEL = KNN", [3]),
    ("n_estimators != 300", [1]),
    ("tag = v1", [4, 2]),
    ("tag != v1", [3, 1]),
    ("tags ~ tun", [1]),
    ("notes ~ LEAK", [3]),
    ("forest", [4, 1]),
    ("baseline and f1 > 0.9", [4]),
    ("run <= 2", [2, 1]),
    ("status != finished", [2]),
])
def test_filter_keeps_the_runs_that_meet_every_condition(runs, text, expected):
    assert list(filter_runs(runs, text).index) == expected


@pytest.mark.parametrize("text, message", [
    ("accuracy > 0.8", "The runs table has no column “accuracy”. Filter on one of: model, status, f1"),
    ("f1 > high", "“f1 > high”: f1 holds numbers, so compare it with a number, e.g. f1 > 0.8."),
    ("model > knn", "“model > knn”: model holds text; use =, != or ~ (contains) with it, not >."),
    ("f1 >", "“f1 >” has no value after >. Write one, e.g. f1 > 0.8."),
])
def test_a_condition_that_cannot_apply_is_refused_with_the_fix(runs, text, message):
    with pytest.raises(RunFilterError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        filter_runs(runs, text)


def test_parameter_columns_keep_numbers_as_numbers_and_name_clashes_apart():
    table = parameter_table({2: {"params": {"weights": "distance", "n_neighbors": 5}},
                             1: {"params": {"weights": "uniform", "status": 3}}}, taken=["status"])
    assert list(table.columns) == ["weights", "n_neighbors", "param status"]
    assert table["n_neighbors"].dtype == float and table.loc[1, "n_neighbors"] != table.loc[1, "n_neighbors"]
    assert table["weights"].tolist() == ["distance", "uniform"]
