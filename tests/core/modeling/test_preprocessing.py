import numpy as np
import pandas as pd
import pytest

from core.modeling.preprocessing import build_preprocessor, feature_frame, plan_features
from core.data.roles import Roles
from tests.core.modeling.training_factories import KINDS, ROLES, labelled_frame


def test_plan_leaves_out_roles_text_and_dates_with_reasons():
    kinds = {**KINDS, "id": "categorical", "when": "datetime", "skip": "numeric"}
    roles = Roles(target="y", id="id", time="when", sensitive=("group",), ignored=("skip",))
    plan = plan_features(kinds, roles)
    assert plan.numeric == ("x1", "x2") and plan.categorical == ("colour",)
    excluded = dict(plan.excluded)
    assert excluded == {"group": "sensitive: left out unless included on purpose", "note": excluded["note"],
                        "y": "the target", "id": "the row ID", "when": "the time column", "skip": "marked as ignored"}
    assert "text model" in excluded["note"]


def test_sensitive_columns_only_on_purpose_and_only_sensitive_ones():
    assert plan_features(KINDS, ROLES, include_sensitive=["group"]).categorical == ("colour", "group")
    with pytest.raises(ValueError, match="“colour” is not a sensitive column"):
        plan_features(KINDS, ROLES, include_sensitive=["colour"])


def test_image_pixels_are_numeric_and_no_features_is_refused():
    kinds = {f"pixel_{i}": "image" for i in range(4)} | {"digit": "categorical"}
    assert plan_features(kinds, Roles(target="digit")).numeric == tuple(f"pixel_{i}" for i in range(4))
    with pytest.raises(ValueError, match="No column is left to learn from"):
        plan_features({"y": "categorical", "note": "text"}, Roles(target="y"))


def test_scaled_style_standardises_and_groups_rare_and_unseen_levels():
    frame = labelled_frame(1000)
    plan = plan_features(KINDS, ROLES)
    prepare = build_preprocessor(plan, style="scaled", min_frequency=0.01)
    out = prepare.fit_transform(feature_frame(frame, plan))
    names = list(prepare.get_feature_names_out())
    assert names[:2] == ["x1", "x2"] and "colour_infrequent_sklearn" in names and "colour_violet" not in names
    assert np.allclose(out[:, :2].mean(axis=0), 0, atol=1e-9) and not np.isnan(out).any()
    unseen = prepare.transform(feature_frame(frame.head(1).assign(colour="teal"), plan))
    assert unseen[0, names.index("colour_infrequent_sklearn")] == 1


def test_tree_styles_give_codes_unknown_levels_below_every_code_or_missing():
    frame = labelled_frame(400)
    plan = plan_features(KINDS, ROLES)
    strange = feature_frame(frame.head(1).assign(colour="teal"), plan)
    ordinal = build_preprocessor(plan, style="ordinal").fit(feature_frame(frame, plan))
    assert ordinal.transform(strange)[0, -1] == -1
    native = build_preprocessor(plan, style="native").fit(feature_frame(frame, plan))
    assert np.isnan(native.transform(strange)[0, -1])
    assert plan.categorical_mask == (False, False, True)
    with pytest.raises(ValueError, match="Input style must be one of"):
        build_preprocessor(plan, style="sparse")


def test_missing_feature_columns_are_named():
    plan = plan_features(KINDS, ROLES)
    with pytest.raises(ValueError, match="lacks the feature columns x2"):
        feature_frame(pd.DataFrame({"x1": [1.0], "colour": ["red"]}), plan)
