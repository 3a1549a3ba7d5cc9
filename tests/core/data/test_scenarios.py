import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.data.hashing import content_hash
from core.data.roles import Roles, check_roles
from core.data.scenarios import SCENARIOS, ParamSpec, Scenario, generate_scenario
from core.data.scenarios.digits import CONFUSION_PAIRS, PIXEL_COLUMNS
from core.data.scenarios.loan_approval import legacy_rule
from core.data.schema import image_columns, infer_schema

ROOT = Path(__file__).resolve().parents[3]
SMALL = {"loan_approval": {"n_rows": 5_000}, "digits": {}, "breast_cancer": {}}


def loan(**params) -> Scenario:
    return generate_scenario("loan_approval", **{"n_rows": 20_000, **params})


# --- registry and parameters -------------------------------------------------------


@pytest.mark.parametrize("name", SCENARIOS)
def test_param_specs_match_the_generator_signature(name):
    spec = SCENARIOS[name]
    signature = inspect.signature(spec.generator).parameters
    assert [p.name for p in spec.params] == list(signature)
    for param in spec.params:
        assert isinstance(param, ParamSpec)
        assert signature[param.name].kind is inspect.Parameter.KEYWORD_ONLY
        assert signature[param.name].default == param.default
        assert param.min <= param.default <= param.max
        assert param.label and param.help
    assert spec.name == name and spec.title and spec.summary


def test_unknown_scenario_names_the_choices():
    with pytest.raises(ValueError, match="loan_approval, digits, breast_cancer"):
        generate_scenario("titanic")


def test_unknown_parameter_is_rejected():
    with pytest.raises(ValueError, match="no parameter 'rows'.*n_rows"):
        generate_scenario("loan_approval", rows=10)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("loan_approval", {"n_rows": 999}, "between 1,000 and 1,000,000; got 999"),
        ("loan_approval", {"bias_strength": 1.5}, "between 0 and 1; got 1.5"),
        ("loan_approval", {"drift_month": 1}, "between 2 and 12; got 1"),
        ("digits", {"label_noise": 0.31}, "between 0 and 0.3; got 0.31"),
        ("breast_cancer", {"seed": -1}, "between 0 and 4,294,967,295"),
    ],
)
def test_out_of_range_values_name_the_valid_range(name, params, message):
    with pytest.raises(ValueError, match=message):
        generate_scenario(name, **params)


@pytest.mark.parametrize("value", [2000.0, "2000", True, float("nan")])
def test_whole_number_parameters_reject_other_types(value):
    with pytest.raises(ValueError, match="must be a whole number"):
        generate_scenario("loan_approval", n_rows=value)


def test_generator_called_directly_checks_its_ranges_too():
    with pytest.raises(ValueError, match="between 0 and 0.3"):
        SCENARIOS["breast_cancer"].generator(label_noise=0.5)


# --- properties every scenario shares ------------------------------------------------


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_follows_the_frame_conventions(name):
    scenario = generate_scenario(name, **SMALL[name], label_noise=0.1)
    frame = scenario.frame
    assert scenario.name == name and scenario.title
    assert frame.index.name == "row_id"
    assert frame.index.dtype == np.int64
    assert (frame.index == np.arange(len(frame))).all()
    assert isinstance(scenario.roles, Roles)
    roles = scenario.roles
    named = [roles.target, roles.id, roles.time, *roles.sensitive]
    assert set(c for c in named if c) <= set(frame.columns)
    assert frame[scenario.roles.target].notna().all()
    assert 2 <= scenario.description.count(". ") + 1 <= 3


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_roles_pass_the_role_checks(name):
    scenario = generate_scenario(name, **SMALL[name], label_noise=0.1)
    assert check_roles(scenario.frame, scenario.roles, infer_schema(scenario.frame)) == ()


@pytest.mark.parametrize("name", SCENARIOS)
def test_ground_truth_is_plain_json(name):
    truth = generate_scenario(name, **SMALL[name], label_noise=0.1).ground_truth
    assert json.loads(json.dumps(truth)) == truth


@pytest.mark.parametrize("name", SCENARIOS)
def test_same_seed_and_params_give_the_same_data(name):
    params = {**SMALL[name], "seed": 11, "label_noise": 0.1}
    first, again = generate_scenario(name, **params), generate_scenario(name, **params)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert content_hash(first.frame) == content_hash(again.frame)
    assert first.ground_truth == again.ground_truth
    other = generate_scenario(name, **{**params, "seed": 12})
    flipped = first.ground_truth["label_noise"]["flipped_row_ids"]
    assert other.ground_truth["label_noise"]["flipped_row_ids"] != flipped


@pytest.mark.parametrize("name", SCENARIOS)
def test_flipped_labels_are_exactly_the_rows_that_differ_from_the_clean_labels(name):
    params = {**SMALL[name], "seed": 5}
    clean = generate_scenario(name, **params, label_noise=0.0)
    noisy = generate_scenario(name, **params, label_noise=0.2)
    target = noisy.roles.target
    noise = noisy.ground_truth["label_noise"]
    n_rows = len(noisy.frame)
    assert noise["n_flipped"] == round(0.2 * n_rows) == len(noise["flipped_row_ids"])
    differs = clean.frame[target].to_numpy() != noisy.frame[target].to_numpy()
    assert np.flatnonzero(differs).tolist() == noise["flipped_row_ids"]
    assert clean.frame[target].iloc[noise["flipped_row_ids"]].tolist() == noise["original_labels"]
    features = clean.frame.drop(columns=target)
    pd.testing.assert_frame_equal(features, noisy.frame.drop(columns=target))


def test_importing_scenarios_and_splits_does_not_import_sklearn():
    code = "import sys, core.data.scenarios, core.data.splits; print('sklearn' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- loan approval --------------------------------------------------------------------


def test_loan_frame_has_the_documented_columns_and_types():
    frame = loan(n_rows=2_000).frame
    assert 15 <= frame.shape[1] <= 20
    assert frame["applicant_id"].is_unique
    assert pd.api.types.is_datetime64_dtype(frame["month"])
    assert (frame["month"].dt.day == 1).all() and frame["month"].dt.year.nunique() == 1
    assert sorted(frame["month"].dt.month.unique()) == list(range(1, 13))
    assert set(frame["sex"].unique()) == {"F", "M"}
    assert set(frame["region"].unique()) == {"North", "South", "East", "West", "Central"}
    assert set(frame["approved"].unique()) == {0, 1}
    young = frame["age"] < 25
    assert (frame.loc[young, "age_band"] == "18-24").all()
    assert (frame.loc[frame["age"] >= 65, "age_band"] == "65+").all()


def test_loan_roles_name_target_id_time_and_sensitive_columns():
    assert loan(n_rows=1_000).roles == Roles(
        target="approved", id="applicant_id", time="month", sensitive=("sex", "age_band", "region")
    )


def test_loan_generates_a_million_rows():
    frame = generate_scenario("loan_approval", n_rows=1_000_000).frame
    assert len(frame) == 1_000_000 and frame["applicant_id"].is_unique


def test_loan_labels_are_learnable_by_a_logistic_regression():
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    frame = loan().frame
    features = frame.select_dtypes("number").drop(columns="approved")
    x_train, x_test, y_train, y_test = train_test_split(features, frame["approved"], random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(x_train, y_train)
    assert 0.78 <= roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]) <= 0.92


def test_bias_lowers_only_the_disadvantaged_groups_approvals():
    fair = loan(bias_strength=0.0, label_noise=0.0)
    biased = loan(bias_strength=0.5, label_noise=0.0)
    truth = biased.ground_truth["bias"]
    assert truth == {"column": "sex", "group": "F", "strength": 0.5, "rejection_probability": 0.25,
                     "n_overturned": truth["n_overturned"]}
    women = (biased.frame["sex"] == "F").to_numpy()
    before, after = fair.frame["approved"].to_numpy(), biased.frame["approved"].to_numpy()
    assert after[women].mean() < before[women].mean() - 0.05
    assert (after[~women] == before[~women]).all()
    assert (before[before != after] == 1).all()
    assert (before != after).sum() == truth["n_overturned"]
    # Without bias the groups are approved alike, with it the gap is plain.
    assert abs(before[women].mean() - before[~women].mean()) < 0.03
    assert after[women].mean() < 0.85 * after[~women].mean()


def test_data_drift_moves_the_recorded_columns_after_the_month_only():
    scenario = loan(n_rows=60_000, drift_month=7)
    drift = scenario.ground_truth["data_drift"]
    assert drift["month"] == 7 and drift["start"] == "2024-07-01"
    assert drift["columns"] == ["income", "credit_score"]
    frame = scenario.frame
    late = frame["month"] >= pd.Timestamp(drift["start"])
    ratio = frame.loc[late, "income"].median() / frame.loc[~late, "income"].median()
    assert ratio == pytest.approx(1.25, abs=0.05)
    shift = frame.loc[late, "credit_score"].mean() - frame.loc[~late, "credit_score"].mean()
    assert shift == pytest.approx(-30, abs=5)
    for column in ("age", "loan_amount", "debt_to_income", "late_payments_2y"):
        steady = frame.loc[late, column].mean() / frame.loc[~late, column].mean()
        assert steady == pytest.approx(1.0, abs=0.05), column


def test_policy_change_doubles_the_weight_of_debt_to_income():
    from sklearn.linear_model import LogisticRegression

    scenario = loan(n_rows=100_000, drift_month=6, bias_strength=0.0, label_noise=0.0)
    concept = scenario.ground_truth["concept_drift"]
    assert concept["month"] == 7 and concept["column"] == "debt_to_income"
    frame = scenario.frame
    # The decision model's own inputs: the fitted weights then estimate the true ones.
    inputs = pd.DataFrame({
        "credit_score": frame["credit_score"],
        "debt_to_income": frame["debt_to_income"],
        "late_payments_2y": frame["late_payments_2y"],
        "log_income_to_loan": np.log(frame["income"] / frame["loan_amount"]),
        "owns_home": (frame["home_ownership"] == "own").astype(int),
        "unemployed": (frame["employment_type"] == "unemployed").astype(int),
    })
    # One scaling for both periods keeps the ratio of fitted weights the ratio of true ones.
    inputs = (inputs - inputs.mean()) / inputs.std()
    month = frame["month"].dt.month

    def dti_weight(rows):
        model = LogisticRegression(C=1e6).fit(inputs[rows], frame.loc[rows, "approved"])
        return model.coef_[0][1]

    ratio = dti_weight(month >= concept["month"]) / dti_weight(month < concept["month"])
    assert ratio == pytest.approx(2.0, abs=0.3)


def test_policy_month_is_capped_at_december():
    truth = loan(n_rows=1_000, drift_month=12).ground_truth
    assert truth["data_drift"]["month"] == 12 and truth["concept_drift"]["month"] == 12


def test_legacy_rule_is_the_rule_named_in_the_ground_truth():
    scenario = loan(n_rows=5_000)
    decisions = legacy_rule(scenario.frame)
    assert decisions.index.equals(scenario.frame.index)
    assert set(decisions.unique()) == {0, 1}
    expected = scenario.frame.eval(scenario.ground_truth["legacy_model"]).astype(int)
    assert (decisions == expected).all()
    # A plausible old model: better than always approving, worse than a fitted one.
    accuracy = (decisions == scenario.frame["approved"]).mean()
    assert 0.6 < accuracy < 0.8


# --- digits and breast cancer -------------------------------------------------------


def test_digits_are_8x8_integer_images_with_a_digit():
    scenario = generate_scenario("digits")
    frame = scenario.frame
    assert frame.shape == (1_797, 65)
    assert list(frame.columns[:64]) == [f"pixel_{i}" for i in range(64)] == list(PIXEL_COLUMNS)
    assert image_columns(frame) == PIXEL_COLUMNS
    pixels = frame[list(PIXEL_COLUMNS)]
    assert all(pd.api.types.is_integer_dtype(t) for t in pixels.dtypes)
    assert pixels.min().min() == 0 and pixels.max().max() == 16
    assert sorted(frame["digit"].unique()) == list(range(10))
    assert scenario.roles == Roles(target="digit")


def test_the_digits_demo_plants_the_default_share_of_flipped_labels():
    # The README and teaching mode promise flipped digits; the default used to plant none.
    noise = generate_scenario("digits").ground_truth["label_noise"]
    assert noise["rate"] == 0.05 and noise["n_flipped"] == round(0.05 * 1_797) == 90


def test_digit_noise_prefers_the_typical_confusions():
    noise = generate_scenario("digits", label_noise=0.3, seed=2).ground_truth["label_noise"]
    frame = generate_scenario("digits", label_noise=0.3, seed=2).frame
    partner = {a: b for pair in CONFUSION_PAIRS for a, b in (pair, pair[::-1])}
    for row, original in zip(noise["flipped_row_ids"], noise["original_labels"]):
        noisy = frame.at[row, "digit"]
        assert noisy != original
        if original in partner:
            assert noisy == partner[original]


def test_breast_cancer_has_readable_features_and_a_named_diagnosis():
    scenario = generate_scenario("breast_cancer")
    frame = scenario.frame
    assert frame.shape == (569, 31)
    assert "mean_radius" in frame.columns and "worst_concave_points" in frame.columns
    assert not any(" " in column for column in frame.columns)
    assert frame.drop(columns="diagnosis").dtypes.map(pd.api.types.is_float_dtype).all()
    assert frame["diagnosis"].value_counts().to_dict() == {"benign": 357, "malignant": 212}
    assert scenario.roles == Roles(target="diagnosis")
    assert scenario.ground_truth["positive_label"] == "malignant"


def test_hard_slice_changes_only_the_self_employed_records_and_keeps_the_labels():
    noisy, clean = loan(n_rows=5_000), loan(n_rows=5_000, record_noise=0.0)
    truth = noisy.ground_truth["hard_slice"]
    assert truth["conditions"] == [{"column": "employment_type", "op": "==", "value": "self_employed"}]
    group = (noisy.frame["employment_type"] == "self_employed").to_numpy()
    assert truth["n_rows"] == group.sum() > 0
    # Its own random stream: labels and every other row and column are as without it.
    assert noisy.frame["approved"].equals(clean.frame["approved"])
    untouched = noisy.frame.drop(columns=truth["columns"])
    pd.testing.assert_frame_equal(untouched, clean.frame.drop(columns=truth["columns"]))
    pd.testing.assert_frame_equal(noisy.frame[~group], clean.frame[~group])
    for column in truth["columns"]:
        assert (noisy.frame.loc[group, column] != clean.frame.loc[group, column]).mean() > 0.5, column
