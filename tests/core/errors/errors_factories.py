"""Dev predictions of a model trained on a scenario, for the error-analysis tests."""

import functools

import numpy as np
import pandas as pd

from core.data.scenarios import generate_scenario
from core.errors.data import analysis_data
from core.predictions import predictions_frame

LOAN_NUMERIC = ["age", "years_employed", "income", "savings", "loan_amount", "loan_term_months", "debt_to_income",
                "credit_score", "num_open_accounts", "late_payments_2y"]
LOAN_CATEGORICAL = ["employment_type", "home_ownership", "purpose"]


def dev_predictions(frame, target, numeric, categorical, *, seed=1, dev_share=0.2, model=None):
    """Return (predictions frame, dev mask) of a model (gradient boosting by default) trained on the other rows."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    dev = np.random.default_rng(seed).random(len(frame)) < dev_share
    features = pd.get_dummies(frame[[*numeric, *categorical]])
    model = model or HistGradientBoostingClassifier(max_iter=60, random_state=0)
    model.fit(features[~dev], frame.loc[~dev, target])
    proba = model.predict_proba(features[dev])
    predicted = model.classes_[proba.argmax(axis=1)]
    return predictions_frame(frame.index[dev], frame.loc[dev, target], predicted, proba, classes=model.classes_), dev


@functools.cache
def loan_analysis(**params):
    scenario = generate_scenario("loan_approval", **params)
    predictions, _ = dev_predictions(scenario.frame, "approved", LOAN_NUMERIC, LOAN_CATEGORICAL)
    data = analysis_data(predictions, scenario.frame, classes=[0, 1], numeric=LOAN_NUMERIC,
                         categorical=LOAN_CATEGORICAL)
    return scenario, data
