import pandas as pd
import pytest

from core.data.scenarios import generate_scenario
from core.errors.data import TRUE_CLASS, analysis_data
from core.errors.discovery import discover_slices
from core.errors.slices import slice_mask
from core.errors.table import min_slice_rows, pair_slices, tag_slices, value_slices
from tests.core.errors.errors_factories import dev_predictions, loan_analysis


def planted_rows(scenario, data):
    truth = scenario.ground_truth["hard_slice"]["conditions"][0]
    return (data.frame[truth["column"]] == truth["value"]).to_numpy()


def test_discovery_ranks_the_planted_loan_slice_in_its_top_three():
    scenario, data = loan_analysis()
    assert data.n_rows > 3_000  # 20,000 rows, a fifth of them dev
    found = discover_slices(data)
    planted = planted_rows(scenario, data)
    # A discovered slice "is" the planted one when most of its rows are in it and it holds most of them.
    def matches(s):
        mask = slice_mask(data.frame, s.predicate)
        return (mask & planted).sum() / mask.sum() > 0.8 and (mask & planted).sum() / planted.sum() > 0.5
    assert any(matches(s) for s in found[:3]), [s.name for s in found[:5]]
    assert all(s.n >= min_slice_rows(data.n_rows) for s in found)


def test_without_the_planted_noise_the_group_is_not_the_weakest():
    scenario, data = loan_analysis(record_noise=0.0)
    assert scenario.ground_truth["hard_slice"]["conditions"] == []
    found = discover_slices(data)
    assert found[0].name != 'employment_type == "self_employed"'


def test_discovered_slices_are_scored_on_their_own_predicates():
    _, data = loan_analysis()
    for s in discover_slices(data)[:10]:
        mask = slice_mask(data.frame, s.predicate)
        assert s.n == mask.sum() and s.errors == (data.true != data.pred)[mask].sum()
        assert s.metric == pytest.approx((data.true == data.pred)[mask].mean())


def test_digits_confused_classes_are_the_weakest_class_slices():
    scenario = generate_scenario("digits", label_noise=0.1)
    pixels = [c for c in scenario.frame.columns if c.startswith("pixel_")]
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2_000))
    predictions, _ = dev_predictions(scenario.frame, "digit", pixels, [], dev_share=0.3, model=model)
    data = analysis_data(predictions, scenario.frame, classes=list(range(10)), numeric=pixels, categorical=[])
    by_class = sorted(value_slices(data, columns=[TRUE_CLASS]), key=lambda s: s.metric)
    confused = {str(c) for pair in scenario.ground_truth["label_noise"]["confusion_pairs"] for c in pair}
    weakest = {str(s.predicate.conditions[0].value) for s in by_class[:3]}
    # Flipped labels now land in dev as in train (independent streams), and 5 is hard on its own:
    # most, not all, of the three weakest class slices are confused digits, and they score lower.
    assert len(weakest & confused) >= 2, [s.name for s in by_class]
    score = {str(s.predicate.conditions[0].value): s.metric for s in by_class}
    inside = [v for k, v in score.items() if k in confused]
    outside = [v for k, v in score.items() if k not in confused]
    assert sum(inside) / len(inside) < sum(outside) / len(outside)


def test_value_slices_match_a_pandas_groupby():
    _, data = loan_analysis()
    correct = pd.Series(data.true == data.pred, index=data.frame.index)
    slices = {s.name: s for s in value_slices(data, columns=["employment_type"])}
    expected = correct.groupby(data.frame["employment_type"], observed=True).agg(["size", "mean"])
    for level, row in expected.iterrows():
        s = slices[f'employment_type == "{level}"']
        assert s.n == row["size"] and s.metric == pytest.approx(row["mean"])


def test_pairs_and_tags():
    _, data = loan_analysis()
    singles = value_slices(data, min_rows=min_slice_rows(data.n_rows))
    pairs = pair_slices(data, singles, min_rows=20)
    assert pairs and all(len(p.predicate.conditions) >= 2 for p in pairs)
    for p in pairs[:5]:
        assert p.n == slice_mask(data.frame, p.predicate).sum()
    tagged = data.frame.index[:7]
    tags = pd.Series({r: frozenset({"odd"}) for r in tagged}).reindex(data.frame.index)
    data_with_tags = type(data)(**{**data.__dict__, "tags": tags})
    (one,) = tag_slices(data_with_tags, ["odd", "unused"])
    assert one.n == 7 and one.source == "tag"


def test_zero_row_slice_is_refused_with_its_name():
    from core.errors.slices import Condition, SliceError, SlicePredicate
    from core.errors.table import score_predicate

    _, data = loan_analysis()
    nobody = SlicePredicate((Condition("credit_score", ">", 10_000),))
    with pytest.raises(SliceError, match="“impossible” holds no dev rows"):
        score_predicate(data, nobody, name="impossible")


def test_numeric_column_with_one_value_is_skipped_not_fatal():
    _, data = loan_analysis()
    frame = data.frame.assign(flat=1.0)
    flat = type(data)(**{**data.__dict__, "frame": frame, "numeric": (*data.numeric, "flat")})
    assert not [s for s in value_slices(flat) if "flat" in s.name]
