"""Slices: numeric columns binned into ranges, the rest by value, and the flags for thin slices."""

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as sk

from core.slicing import (
    MISSING_SLICE, count_note, slice_frame, slice_order, slice_values, too_few,
)


def in_range(value: float, name: str, *, last: bool, whole: bool) -> bool:
    low, _, high = name.partition("–")
    low, high = float(low), float(high or low)
    if whole or last:
        return low <= value <= high
    return low <= value < high


@pytest.mark.parametrize("seed", range(5))
def test_ages_are_cut_into_at_most_five_quantile_ranges_holding_their_rows(seed):
    rng = np.random.default_rng(seed)
    ages = pd.Series(rng.integers(18, 81, 2_000))
    names = slice_values(ages)
    order = sorted(names.unique(), key=slice_order)
    assert 2 <= len(order) <= 5
    assert all(in_range(v, n, last=n == order[-1], whole=True) for v, n in zip(ages, names))
    assert names.value_counts().min() >= 0.1 * len(ages)  # quantiles: no bin of a handful of rows
    lows = [float(n.split("–")[0]) for n in order]
    assert lows == sorted(lows) and lows[0] == ages.min() and order[-1].endswith(str(ages.max()))


def test_decimals_get_half_open_ranges_and_even_shares():
    values = pd.Series(np.random.default_rng(3).lognormal(size=5_000))
    names = slice_values(values)
    order = sorted(names.unique(), key=slice_order)
    assert len(order) == 5 and names.value_counts().between(950, 1050).all()
    # The names round the edges to three digits; a value sits within its rounded range.
    for value, name in zip(values, names):
        low, high = (float(x) for x in name.split("–"))
        assert low - 0.005 * abs(low) - 1e-9 <= value <= high + 0.005 * abs(high) + 1e-9


def test_categories_and_few_valued_numbers_keep_their_values_as_names():
    frame = pd.DataFrame({"sex": pd.Categorical(["F", "M", None, "F"]), "region": ["North", "South", "North", None],
                          "flag": [0, 1, 1, 0], "term": [12, 24, 36, 60], "ok": [True, False, True, True]})
    names = slice_frame(frame)
    assert names["sex"].tolist() == ["F", "M", MISSING_SLICE, "F"]
    assert names["region"].tolist() == ["North", "South", "North", MISSING_SLICE]
    assert names["flag"].tolist() == ["0", "1", "1", "0"] and names["term"].tolist() == ["12", "24", "36", "60"]
    assert names["ok"].tolist() == ["True", "False", "True", "True"]
    ten = pd.Series(np.arange(100) % 10)  # ten distinct values: still sliced by value
    assert sorted(slice_values(ten).unique(), key=slice_order) == [str(i) for i in range(10)]


def test_missing_numbers_are_their_own_slice_and_bins_come_from_the_whole_column():
    ages = pd.Series([*range(20, 70), np.nan], index=pd.RangeIndex(51, name="row_id"))
    whole = slice_frame(ages.to_frame("age"))["age"]
    assert whole.iloc[-1] == MISSING_SLICE
    dev = ages.index[::7]
    assert whole.loc[dev].tolist() == slice_frame(ages.to_frame("age")).loc[dev, "age"].tolist()
    assert set(whole.loc[dev]) <= set(whole)


def test_thin_counts_are_flagged_with_the_count():
    assert too_few(29, 30) and not too_few(30, 30) and too_few(None, 30) and too_few(float("nan"), 30)
    assert count_note(3, 20, unit="shared items") == "too few shared items (3 < 20)"
    assert count_note(None, 30) == "rows not recorded: read with care" and count_note(31, 30) == ""


# --- every place slices are computed uses the same names -------------------------------------


def loans():
    from core.data.scenarios import generate_scenario

    frame = generate_scenario("loan_approval", n_rows=3_000).frame
    rng = np.random.default_rng(0)
    predicted = np.where(rng.random(len(frame)) < 0.8, frame["approved"], 1 - frame["approved"])
    return frame, pd.Series(predicted, index=frame.index)


def test_baseline_slices_of_a_numeric_sensitive_column_are_its_bins():
    from core.baselines.computed import Predictions, baseline_data, score_predictions, slice_candidates
    from core.data.schema import infer_schema

    frame, predicted = loans()
    kinds = infer_schema(frame)
    split = pd.Series(np.where(frame.index % 5 == 0, "dev", "train"), index=frame.index)
    candidates = slice_candidates(kinds, exclude=("approved", "applicant_id"), sensitive=("age", "sex"))
    data = baseline_data(frame, split, target="approved", features=[], column_kinds=kinds, slice_candidates=candidates)
    scores = score_predictions(data, Predictions(predicted[data.dev.index]))
    bins = slice_values(frame["age"])
    assert set(scores.slices["age"]) == set(bins.loc[data.dev.index])  # not 60-odd single ages
    assert len(scores.slices["age"]) <= 5 and set(scores.slices["sex"]) == {"F", "M"}
    for name, within in scores.slices["age"].items():
        rows = data.dev.index[(bins.loc[data.dev.index] == name).to_numpy()]
        assert within.n == len(rows)
        assert within.metrics["accuracy"] == pytest.approx(sk.accuracy_score(frame.loc[rows, "approved"],
                                                                             predicted.loc[rows]))


def test_run_slices_and_hlp_slices_use_the_same_bins():
    from core.baselines.hlp import human_level_performance
    from core.modeling.evaluation import slice_metrics
    from core.predictions import LABEL, PREDICTION, PROBA_PREFIX

    frame, predicted = loans()
    dev = frame.index[frame.index % 5 == 0]
    predictions = pd.DataFrame({LABEL: frame.loc[dev, "approved"], PREDICTION: predicted.loc[dev],
                                f"{PROBA_PREFIX}0": 0.5, f"{PROBA_PREFIX}1": 0.5}, index=dev)
    scores = slice_metrics(predictions, slice_frame(frame[["age", "sex"]]).loc[dev], classes=[0, 1])
    age_keys = {k for k in scores if k.startswith("accuracy[age=")}
    names = set(slice_values(frame["age"]).loc[dev])
    assert age_keys == {f"accuracy[age={n}]" for n in names} and "accuracy[sex=F]" in scores
    assert sum(scores[f"n_rows[age={n}]"] for n in names) == len(dev)
    labels = pd.DataFrame({"row_id": np.repeat(dev[:200], 2), "labeler": ["a", "b"] * 200,
                           "value": np.repeat(frame.loc[dev[:200], "approved"].astype(str).to_numpy(), 2)})
    hlp = human_level_performance(labels, groups=frame[["age"]], n_bootstrap=10)
    assert set(hlp.scores.slices["age"]) == set(slice_values(frame["age"]).loc[dev[:200]])
    assert len(hlp.scores.slices["age"]) <= 5
