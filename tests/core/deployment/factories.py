"""Fitted models and a loan stream for the deployment tests (no database)."""

import functools

from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from core.data.scenarios import loan_approval as loans
from core.deployment.servers import ModelServer
from core.deployment.streams import loan_stream

COLUMNS = ["credit_score", "debt_to_income", "income", "loan_amount", "late_payments_2y"]


@functools.cache
def scenario():
    return loans.loan_approval(n_rows=5_000, seed=0)


@functools.cache
def fitted(kind: str):
    frame = scenario().frame
    X, y = frame[COLUMNS], frame["approved"]
    if kind == "good":
        return make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    if kind == "thin":  # a weaker but sound model: two columns only
        return make_pipeline(StandardScaler(), LogisticRegression()).fit(X[COLUMNS[:2]].assign(
            income=0.0, loan_amount=0.0, late_payments_2y=0.0), y)
    return DummyClassifier(strategy="stratified", random_state=0).fit(X, y)  # planted worse: guesses


def server(kind: str, name: str | None = None) -> ModelServer:
    return ModelServer(name or kind, fitted(kind), COLUMNS)


@functools.cache
def stream(n_requests: int = 6_000):
    return loan_stream(scenario().ground_truth, n_requests=n_requests, start_month=6, seed=1)
