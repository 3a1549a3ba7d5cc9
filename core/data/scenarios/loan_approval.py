"""Loan approval: tabular binary classification with planted bias, noise and drift.

Text columns are pandas ``category`` dtype (few distinct values, cheap at 1M rows and
kept through Parquet); ``applicant_id`` is a string. The frame is in time order and
every planted effect draws from its own random stream, so for one seed the features
and the unbiased, noise-free outcome are the same whatever the bias strength or the
label noise; the clean label of a noisy frame is the label generated with
``label_noise=0`` and the same other settings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.data.roles import Roles
from core.data.scenarios.base import (
    ParamSpec,
    Scenario,
    ScenarioSpec,
    check_params,
    effect_streams,
    label_noise_param,
    label_noise_truth,
    row_index,
    rows_to_flip,
    seed_param,
)

NAME = "loan_approval"
TITLE = "Loan approval"
YEAR = 2024
TARGET = "approved"
BIASED_COLUMN, BIASED_GROUP = "sex", "F"
# At full strength half of the disadvantaged group's approvals were overturned.
MAX_BIAS_REJECTION = 0.5
INCOME_DRIFT_FACTOR = 1.25
CREDIT_SCORE_DRIFT = -30
DTI_WEIGHT_FACTOR = 2.0
# Debt below this share of income does not count against an applicant.
DTI_FLOOR = 0.20
LEGACY_RULE = "credit_score >= 650 and debt_to_income < 0.40"
# The planted hard slice: self-employed applicants' records are unreliable. Their income is stated,
# not verified, so it and the debt-to-income computed from it are off, and their credit files are
# thin and noisy; the decisions were made on the verified figures the data does not hold.
HARD_COLUMN, HARD_GROUP = "employment_type", "self_employed"
CREDIT_NOISE = 100

REGIONS = ["North", "South", "East", "West", "Central"]
EMPLOYMENT = ["salaried", "self_employed", "contract", "unemployed", "retired"]
HOME = ["rent", "mortgage", "own"]
PURPOSES = [
    "debt_consolidation", "home_improvement", "car", "education", "business", "medical", "other",
]
# Typical loan size as a share of yearly income, by purpose.
PURPOSE_LOAN_RATIO = np.array([0.30, 0.35, 0.40, 0.30, 0.60, 0.15, 0.20])
AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_BAND_EDGES = [25, 35, 45, 55, 65]
TERMS = np.array([12, 24, 36, 48, 60])
YEARLY_INTEREST = 0.08

PARAMS = (
    ParamSpec("n_rows", "Number of applications", "int", 20_000, 1_000, 1_000_000,
              "More rows make slices and drift easier to see; 1M rows take a few seconds."),
    seed_param(),
    ParamSpec("bias_strength", "Historical bias against women", "float", 0.5, 0.0, 1.0,
              "How often past approvals of female applicants were overturned (0 = never)."),
    label_noise_param(0.05),
    ParamSpec("record_noise", "Unreliable records of the self-employed", "float", 1.0, 0.0, 1.5,
              "How far the self-employed's recorded income and credit score stray from the truth: a hard slice."),
    ParamSpec("drift_month", "Drift starts in month", "int", 9, 2, 12,
              "From this month applicants change; a month later the lending policy changes too."),
)


def loan_approval(
    *,
    n_rows: int = 20_000,
    seed: int = 0,
    bias_strength: float = 0.5,
    label_noise: float = 0.05,
    record_noise: float = 1.0,
    drift_month: int = 9,
) -> Scenario:
    """Return the loan-approval scenario: applications, biased noisy labels and drift."""
    params = check_params(NAME, PARAMS, dict(
        n_rows=n_rows, seed=seed, bias_strength=bias_strength,
        label_noise=label_noise, record_noise=record_noise, drift_month=drift_month,
    ))
    n_rows, drift_month = params["n_rows"], params["drift_month"]
    policy_month = min(drift_month + 1, 12)
    feature_rng, outcome_rng, bias_rng, noise_rng, record_rng = effect_streams(params["seed"], 5)
    frame = _applications(n_rows, feature_rng)
    _apply_data_drift(frame, drift_month)
    approved = _clean_outcome(frame, policy_month, outcome_rng)
    approved, n_overturned = _apply_bias(frame, approved, params["bias_strength"], bias_rng)
    flipped = rows_to_flip(n_rows, params["label_noise"], noise_rng)
    original = approved[flipped].copy()
    approved[flipped] = 1 - original
    frame[TARGET] = approved
    n_unreliable = _record_unreliable_income(frame, params["record_noise"], record_rng)
    truth = _ground_truth(params, policy_month, n_overturned, flipped, original)
    truth["hard_slice"] = _hard_slice_truth(params["record_noise"], n_unreliable)
    return Scenario(
        name=NAME, title=TITLE, frame=frame, roles=_roles(), ground_truth=truth,
        description=(
            f"{n_rows:,} loan applications from {YEAR}, one row each, with the historical "
            "decision as the label. Those decisions may carry a bias against female "
            "applicants and recording errors, and late in the year both the applicants and the "
            "lending policy change: a place to practise fairness audits, label cleaning "
            "and drift monitoring."
        ),
    )


def _roles() -> Roles:
    """Return the column roles of the loan-approval frame."""
    return Roles(
        target=TARGET, id="applicant_id", time="month",
        sensitive=("sex", "age_band", "region"),
    )


def legacy_rule(frame: pd.DataFrame) -> pd.Series:
    """Return the legacy rule's decisions (1 approve, 0 reject): the old-model baseline."""
    approve = (frame["credit_score"] >= 650) & (frame["debt_to_income"] < 0.40)
    return approve.astype(np.int64).rename("legacy_decision")


def _applications(n_rows: int, rng: np.random.Generator) -> pd.DataFrame:
    """Return the applicants' features (before drift), in month order."""
    # One hidden creditworthiness drives credit history, income and savings together,
    # so the features correlate the way real credit files do.
    quality = rng.normal(size=n_rows)
    columns = {
        "applicant_id": _applicant_ids(n_rows),
        "month": _months(n_rows, rng),
        **_profile(n_rows, rng),
    }
    columns.update(_finances(columns, quality, rng))
    columns.update(_loan(columns, quality, rng))
    columns.update(_credit_history(quality, rng))
    # copy=False: the arrays are fresh, and skipping pandas' block consolidation saves
    # about a third of a second at 1M rows.
    return pd.DataFrame(columns, index=row_index(n_rows), copy=False)


def _months(n_rows: int, rng: np.random.Generator) -> pd.DatetimeIndex:
    month = np.sort(rng.integers(1, 13, n_rows))
    return pd.to_datetime([f"{YEAR}-{m:02d}-01" for m in range(1, 13)]).take(month - 1)


def _profile(n_rows: int, rng: np.random.Generator) -> dict:
    age = np.clip(np.round(rng.normal(41, 12, n_rows)), 18, 80).astype(np.int64)
    working = rng.choice(4, n_rows, p=[0.68, 0.15, 0.12, 0.05])
    retired = (age >= 62) & (rng.random(n_rows) < 0.7)
    employment = np.where(retired, EMPLOYMENT.index("retired"), working)
    share_of_adult_life = rng.uniform(0.1, 0.85, n_rows)
    years_employed = np.where(
        employment == EMPLOYMENT.index("unemployed"), 0, np.floor(share_of_adult_life * (age - 17))
    )
    return {
        "age": age,
        "age_band": _categorical(np.digitize(age, AGE_BAND_EDGES), AGE_BANDS),
        "sex": _categorical((rng.random(n_rows) < 0.51).astype(np.int64), ["F", "M"]),
        "region": _categorical(rng.choice(5, n_rows, p=[0.18, 0.22, 0.2, 0.2, 0.2]), REGIONS),
        "employment_type": _categorical(employment, EMPLOYMENT),
        "years_employed": years_employed.astype(np.int64),
    }


def _finances(columns: dict, quality: np.ndarray, rng: np.random.Generator) -> dict:
    age, employment = columns["age"], columns["employment_type"].codes
    employment_effect = np.array([0.0, 0.1, -0.1, -1.0, -0.3])[employment]
    log_income = (10.7 + 0.25 * quality + 0.015 * np.minimum(columns["years_employed"], 25)
                  + employment_effect + rng.normal(0, 0.35, len(age)))
    income = np.round(np.exp(log_income), -2)
    savings_ratio = rng.lognormal(-1.0 + 0.5 * quality + 0.02 * (age - 41), 0.7)
    home_score = (age - 38) / 12 + 0.4 * quality + rng.normal(0, 0.7, len(age))
    return {
        "income": income,
        "savings": np.round(income * savings_ratio, -1),
        "home_ownership": _categorical(np.digitize(home_score, [-0.2, 1.0]), HOME),
    }


def _loan(columns: dict, quality: np.ndarray, rng: np.random.Generator) -> dict:
    income = columns["income"]
    purpose = rng.choice(len(PURPOSES), len(income), p=[0.30, 0.18, 0.20, 0.08, 0.08, 0.06, 0.10])
    amount = income * PURPOSE_LOAN_RATIO[purpose] * rng.lognormal(0, 0.45, len(income))
    amount = np.clip(np.round(amount, -2), 1_000, 500_000)
    term = rng.choice(TERMS, len(income), p=[0.10, 0.20, 0.35, 0.15, 0.20])
    return {
        "purpose": _categorical(purpose, PURPOSES),
        "loan_amount": amount,
        "loan_term_months": term.astype(np.int64),
        "debt_to_income": _debt_to_income(income, amount, term, quality, rng),
    }


def _credit_history(quality: np.ndarray, rng: np.random.Generator) -> dict:
    late = np.minimum(rng.poisson(np.exp(-0.7 - 0.7 * quality)), 15)
    score = 690 + 50 * quality - 10 * late + rng.normal(0, 25, len(quality))
    return {
        "credit_score": np.clip(np.round(score), 300, 850).astype(np.int64),
        "num_open_accounts": 1 + rng.poisson(np.exp(1.1 + 0.1 * quality)),
        "late_payments_2y": late.astype(np.int64),
    }


def _applicant_ids(n_rows: int) -> pd.Series:
    numbers = np.arange(1, n_rows + 1).astype(np.dtypes.StringDType())
    ids = np.strings.add("A", np.strings.zfill(numbers, 7))
    return pd.Series(ids.astype(object), dtype="str", index=row_index(n_rows))


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=categories)


def _debt_to_income(income, loan_amount, loan_term, quality, rng) -> np.ndarray:
    """Return existing debt payments plus the new loan's payment, over monthly income."""
    rate = YEARLY_INTEREST / 12
    payment = loan_amount * rate / (1 - (1 + rate) ** -loan_term)
    existing = rng.beta(2, 7, len(income)) * np.exp(-0.15 * quality)
    return np.round(np.clip(existing + 12 * payment / income, 0, 2), 3)


def _apply_data_drift(frame: pd.DataFrame, drift_month: int) -> None:
    # A new sales channel from drift_month on: higher stated incomes, thinner credit files.
    # Debt-to-income was computed before, so only these two columns move.
    drifted = frame["month"].dt.month.to_numpy() >= drift_month
    income, score = frame.loc[drifted, "income"], frame.loc[drifted, "credit_score"]
    frame.loc[drifted, "income"] = np.round(income * INCOME_DRIFT_FACTOR, -2)
    frame.loc[drifted, "credit_score"] = np.clip(score + CREDIT_SCORE_DRIFT, 300, 850)


def _clean_outcome(frame: pd.DataFrame, policy_month: int, rng) -> np.ndarray:
    """Return unbiased, noise-free decisions drawn from a logistic model of the file."""
    after_policy = frame["month"].dt.month.to_numpy() >= policy_month
    dti_weight = np.where(after_policy, DTI_WEIGHT_FACTOR, 1.0)
    logit = (
        1.6
        + 1.6 * (frame["credit_score"].to_numpy() - 680) / 60
        - 1.1 * dti_weight * (frame["debt_to_income"].to_numpy() - DTI_FLOOR) / 0.15
        - 0.35 * frame["late_payments_2y"].to_numpy()
        + 0.6 * np.log(frame["income"].to_numpy() / frame["loan_amount"].to_numpy())
        + 0.3 * (frame["home_ownership"] == "own").to_numpy()
        - 0.8 * (frame["employment_type"] == "unemployed").to_numpy()
    )
    return (rng.random(len(frame)) < 1 / (1 + np.exp(-logit))).astype(np.int64)


def _apply_bias(frame, approved, bias_strength, rng) -> tuple[np.ndarray, int]:
    """Return decisions with some approvals of the disadvantaged group overturned."""
    draw = rng.random(len(frame))
    overturned = (
        (frame[BIASED_COLUMN] == BIASED_GROUP).to_numpy()
        & (approved == 1)
        & (draw < MAX_BIAS_REJECTION * bias_strength)
    )
    return np.where(overturned, 0, approved), int(overturned.sum())


def _record_unreliable_income(frame: pd.DataFrame, spread: float, rng: np.random.Generator) -> int:
    """Record the hard group's income, debt-to-income and credit score with noise, after the decisions."""
    group = (frame[HARD_COLUMN] == HARD_GROUP).to_numpy()
    # Drawn for every row, so the stream does not depend on how many rows are in the group.
    factor = np.exp(rng.normal(0.0, 1.0, len(frame)) * spread)[group]
    if spread > 0:
        frame.loc[group, "income"] = np.round(frame.loc[group, "income"].to_numpy() * factor, -2)
        dti = frame.loc[group, "debt_to_income"].to_numpy() / factor
        frame.loc[group, "debt_to_income"] = np.round(np.clip(dti, 0, 2), 3)
        shift = rng.normal(0.0, 1.0, len(frame))[group] * CREDIT_NOISE * spread
        frame.loc[group, "credit_score"] = np.clip(np.round(frame.loc[group, "credit_score"].to_numpy() + shift), 300, 850)
    return int(group.sum()) if spread > 0 else 0


def _hard_slice_truth(spread: float, n_rows: int) -> dict:
    return {
        "name": "self-employed applicants with unreliable income",
        "conditions": [{"column": HARD_COLUMN, "op": "==", "value": HARD_GROUP}] if spread > 0 else [],
        "columns": ["income", "debt_to_income", "credit_score"], "noise": spread,
        "income_log_sd": spread, "credit_score_sd": CREDIT_NOISE * spread, "n_rows": n_rows,
        "why": ("their stated income is unverified and their credit files are thin, so the recorded figures "
                "say less about the decision than for other applicants"),
    }


def _ground_truth(params, policy_month, n_overturned, flipped, original) -> dict:
    drift_month = params["drift_month"]
    return {
        "task": "binary_classification",
        "target": TARGET,
        "positive_label": 1,
        "bias": {
            "column": BIASED_COLUMN, "group": BIASED_GROUP,
            "strength": params["bias_strength"],
            "rejection_probability": MAX_BIAS_REJECTION * params["bias_strength"],
            "n_overturned": n_overturned,
        },
        "label_noise": label_noise_truth(params["label_noise"], flipped, original),
        "data_drift": {
            "month": drift_month, "start": f"{YEAR}-{drift_month:02d}-01",
            "columns": ["income", "credit_score"],
            "changes": {
                "income": f"x{INCOME_DRIFT_FACTOR}", "credit_score": f"{CREDIT_SCORE_DRIFT} points",
            },
        },
        "concept_drift": {
            "month": policy_month, "start": f"{YEAR}-{policy_month:02d}-01",
            "column": "debt_to_income", "weight_factor": DTI_WEIGHT_FACTOR,
            "change": "a stricter policy doubles the weight of debt-to-income in decisions",
        },
        "legacy_model": LEGACY_RULE,
    }


SPEC = ScenarioSpec(
    name=NAME, title=TITLE,
    summary=(
        "Loan applications over a year: historical bias, flipped labels, data and concept drift."
    ),
    generator=loan_approval, params=PARAMS,
)
