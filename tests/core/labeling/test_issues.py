"""Label errors and the uncertainty model read columns through the shared feature plan.

An uploaded CSV gives text columns as strings, a scenario as pandas categories; both must be
encoded alike, as the Experiments pipeline encodes them (`core.features`).
"""

import numpy as np
import pandas as pd
import pytest

from core.data.ingest import read_table
from core.data.roles import Roles
from core.data.scenarios import generate_scenario
from core.data.schema import coerce_schema, infer_schema
from core.data.splits import make_splits
from core.features import build_preprocessor, plan_features
from core.labeling.issues import (
    detection_summary, fit_predict_probabilities, out_of_fold_probabilities, rank_label_issues,
)

TEXT_FEATURES = ["employment_type", "home_ownership", "purpose"]  # the non-sensitive text columns


def uploaded(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame as the Datasets page stores an upload of it written to CSV."""
    table = read_table(frame.to_csv(index=False).encode(), "upload.csv").frame
    return coerce_schema(table, infer_schema(table)).frame


@pytest.fixture(scope="module")
def loans():
    scenario = generate_scenario("loan_approval", n_rows=5_000)
    return scenario.frame, scenario.roles


def flagged_rows(frame: pd.DataFrame, roles: Roles) -> pd.Index:
    split = make_splits(frame, strategy="stratified", target=roles.target, random_state=0)
    train = frame[split == "train"]
    labels = train[roles.target].astype(str)
    probs = out_of_fold_probabilities(train, labels, plan=plan_features(infer_schema(frame), roles))
    return rank_label_issues(labels, probs).table.index.sort_values()


def test_uploaded_text_columns_arrive_as_strings_and_are_planned_as_categories(loans):
    frame, roles = loans
    upload = uploaded(frame)
    assert pd.api.types.is_string_dtype(upload["region"]) and not isinstance(upload["region"].dtype, pd.CategoricalDtype)
    plan = plan_features(infer_schema(upload), roles)
    assert set(TEXT_FEATURES) <= set(plan.categorical)


def test_an_upload_flags_the_same_rows_as_the_scenario_it_was_written_from(loans):
    frame, roles = loans
    # Before the shared plan, string columns were dropped: the upload flagged other rows.
    assert flagged_rows(uploaded(frame), roles).equals(flagged_rows(frame, roles))


def test_a_file_whose_features_are_all_text_is_checked(loans):
    frame, roles = loans
    columns = [*TEXT_FEATURES, roles.target]
    text_only, text_roles = frame[columns], roles.restricted_to(columns)
    flagged = flagged_rows(uploaded(text_only), text_roles)  # was refused: "no feature columns"
    assert len(flagged) > 0 and flagged.equals(flagged_rows(text_only, text_roles))


def test_the_label_error_model_is_the_experiments_linear_pipeline(loans):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    frame, roles = loans
    upload = uploaded(frame).head(1_500)
    plan = plan_features(infer_schema(upload), roles)
    labels = upload[roles.target].astype(str)
    ours = out_of_fold_probabilities(upload, labels, plan=plan, folds=3, random_state=4)
    reference = cross_val_predict(
        make_pipeline(build_preprocessor(plan, style="scaled"), LogisticRegression(max_iter=1000)),
        upload[plan.columns], labels, cv=StratifiedKFold(3, shuffle=True, random_state=4), method="predict_proba")
    assert np.allclose(ours.to_numpy(), reference)


def test_the_uncertainty_model_reads_uploaded_text_columns(loans):
    frame, roles = loans
    columns = [*TEXT_FEATURES, roles.target]
    text_only, text_roles = frame[columns].head(2_000), roles.restricted_to(columns)
    upload = uploaded(text_only)
    labeled, pool = upload.index[:1_000], upload.index[1_000:]

    def pool_probabilities(data):
        plan = plan_features(infer_schema(data), text_roles)
        return fit_predict_probabilities(data.loc[labeled], data.loc[labeled, "approved"].astype(str),
                                         data.loc[pool], plan=plan)

    from_upload = pool_probabilities(upload)  # was refused: "no feature columns"
    assert np.allclose(from_upload.to_numpy(), pool_probabilities(text_only).to_numpy())
    assert from_upload.iloc[:, 0].nunique() > 1  # the text columns carry information


def test_the_detection_summary_gives_counts_and_never_a_ratio_of_nothing():
    checked = pd.Index(range(10))
    assert detection_summary(pd.Index([1, 2]), pd.Index([2, 5, 11]), checked=checked) == (
        "Of the 2 flipped labels in the rows checked, 1 (50%) are flagged; 1 of the 2 flagged rows (50%) were flipped.")
    assert detection_summary(pd.Index([]), pd.Index([2]), checked=checked).endswith("are flagged; no row is flagged.")
    for flipped in (pd.Index([]), pd.Index([42])):  # nothing planted among the rows checked
        summary = detection_summary(pd.Index([1]), flipped, checked=checked)
        assert summary.startswith("No label was flipped on purpose") and "nan" not in summary


def test_the_reasons_name_the_classes_by_their_display_names():
    from core.labeling.classes import ClassNames
    from core.labeling.issues import explanations

    table = pd.DataFrame({"label": ["0"], "suggested": ["1"], "suggested_confidence": [0.9]}, index=[7])
    names = ClassNames({"0": "rejected", "1": "approved"})
    assert explanations(table, show=names.show) == [
        "The model is 90% sure this is “approved”; it was labeled “rejected” in the data."]
    assert explanations(table, show=names.show, votes={7: ["0", "0"]})[0].endswith("labeled “rejected” by two labelers.")
