"""Audited decisions for the fairness tests: the loan scenario scored by a simple model, and hand-built cases."""

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from core.data.scenarios.loan_approval import loan_approval

FEATURES = ("income", "credit_score", "debt_to_income", "late_payments_2y", "savings")


def loan_decisions(*, bias_strength: float = 0.5, n_rows: int = 8000, seed: int = 0,
                   with_sex: bool = True) -> pd.DataFrame:
    """Return the dev half of the loan scenario: label, prediction, P(approve), and the sensitive columns.

    The model sees sex when `with_sex` is set, so it can learn the labels' planted bias.
    """
    frame = loan_approval(n_rows=n_rows, seed=seed, bias_strength=bias_strength).frame
    X = frame[list(FEATURES)].assign(is_female=(frame["sex"] == "F").astype(float) if with_sex else 0.0)
    X = (X - X.mean()) / X.std().replace(0, 1)
    train = np.arange(len(frame)) % 2 == 0
    model = LogisticRegression(max_iter=500).fit(X[train], frame["approved"][train])
    dev = frame[~train]
    proba = model.predict_proba(X[~train])[:, 1]
    return pd.DataFrame({"label": dev["approved"], "prediction": (proba >= 0.5).astype(int), "proba_1": proba,
                         "sex": dev["sex"].astype(str), "age_band": dev["age_band"].astype(str),
                         "region": dev["region"].astype(str), "age": dev["age"]}, index=dev.index)


def hand_case() -> pd.DataFrame:
    """Three groups: "a" ordinary, "b" without positive labels (TPR and FNR undefined), "c" never selected."""
    return pd.DataFrame({
        "label":      [1, 1, 0, 0, 1, 0,   0, 0, 0, 0,   1, 0, 1, 0, 0],
        "prediction": [1, 0, 0, 1, 1, 0,   1, 0, 1, 0,   0, 0, 0, 0, 0],
        "group":      ["a"] * 6 + ["b"] * 4 + ["c"] * 5,
    })
