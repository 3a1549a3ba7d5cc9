import numpy as np
import pandas as pd
import pytest

from core.data.splits import (
    ERR_FRACTIONS,
    ERR_NO_TARGET,
    ERR_NO_TIME,
    SPLIT_NAMES,
    make_splits,
    split_summary,
    suggest_split_strategy,
)

STRATEGIES = ("random", "stratified", "time")
FRACTIONS = (0.7, 0.15, 0.15)


def labelled_frame(class_sizes: dict, *, seed: int = 0) -> pd.DataFrame:
    """A frame whose target has exactly the given class sizes, rows in random order."""
    rng = np.random.default_rng(seed)
    labels = np.concatenate([[label] * size for label, size in class_sizes.items()])
    labels = labels[rng.permutation(len(labels))]
    n = len(labels)
    return pd.DataFrame(
        {
            "y": labels,
            "t": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 30, n), unit="D"),
            "x": rng.normal(size=n),
        },
        index=pd.RangeIndex(n, name="row_id"),
    )


@pytest.mark.parametrize(
    "class_sizes",
    [
        {"a": 6, "b": 4},  # tiny: 10 rows
        {0: 3, 1: 3, 2: 3, 3: 5},
        {"benign": 357, "malignant": 212},
        {"yes": 9_500, "no": 500},  # 5% minority
        {k: 150 + 7 * k for k in range(10)},
    ],
)
@pytest.mark.parametrize("fractions", [FRACTIONS, (0.6, 0.2, 0.2), (0.5, 0.3, 0.2)])
def test_stratified_split_holds_each_class_share_within_one_row(class_sizes, fractions):
    frame = labelled_frame(class_sizes)
    split = make_splits(frame, strategy="stratified", target="y", fractions=fractions)
    counts = pd.crosstab(split, frame["y"])
    for label, size in class_sizes.items():
        for name, fraction in zip(SPLIT_NAMES, fractions):
            assert abs(counts.loc[name, label] - size * fraction) < 1, (label, name)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_row_lands_in_exactly_one_split_with_exact_sizes(strategy):
    frame = labelled_frame({"a": 700, "b": 301})
    split = make_splits(frame, strategy=strategy, target="y", time_column="t")
    assert split.name == "split"
    assert split.index.equals(frame.index)
    assert split.notna().all()
    assert set(split.unique()) == set(SPLIT_NAMES)
    sizes = split.value_counts()
    for name, fraction in zip(SPLIT_NAMES, FRACTIONS):
        assert abs(sizes[name] - len(frame) * fraction) < 2


@pytest.mark.parametrize("strategy", ("random", "stratified"))
def test_same_seed_gives_same_split_and_other_seed_another(strategy):
    frame = labelled_frame({"a": 500, "b": 500})
    first = make_splits(frame, strategy=strategy, target="y", random_state=3)
    again = make_splits(frame, strategy=strategy, target="y", random_state=3)
    other = make_splits(frame, strategy=strategy, target="y", random_state=4)
    pd.testing.assert_series_equal(first, again)
    assert not first.equals(other)


def test_time_split_puts_train_before_dev_before_test():
    frame = labelled_frame({"a": 600, "b": 400})
    split = make_splits(frame, strategy="time", time_column="t")
    times = frame["t"].groupby(split, observed=True).agg(["min", "max"])
    assert times.loc["train", "max"] <= times.loc["dev", "min"]
    assert times.loc["dev", "max"] <= times.loc["test", "min"]


def test_time_split_breaks_ties_by_row_id():
    # All rows share one timestamp: the order falls back to row_id entirely.
    frame = pd.DataFrame({"t": [5] * 20}, index=pd.RangeIndex(20, name="row_id"))
    split = make_splits(frame, strategy="time", time_column="t")
    assert list(split) == ["train"] * 14 + ["dev"] * 3 + ["test"] * 3


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_row_order_does_not_change_where_a_row_id_lands(strategy):
    frame = labelled_frame({"a": 300, "b": 200, "c": 100})
    shuffled = frame.sample(frac=1.0, random_state=7)
    original = make_splits(frame, strategy=strategy, target="y", time_column="t")
    reordered = make_splits(shuffled, strategy=strategy, target="y", time_column="t")
    pd.testing.assert_series_equal(reordered.sort_index(), original)


def test_missing_targets_go_to_train_and_the_rest_is_still_balanced():
    frame = labelled_frame({"a": 400, "b": 200})
    frame.loc[frame.index[:50], "y"] = None
    split = make_splits(frame, strategy="stratified", target="y")
    assert (split[frame["y"].isna()] == "train").all()
    counts = pd.crosstab(split, frame["y"])
    size = frame["y"].value_counts()
    for label in ("a", "b"):
        assert abs(counts.loc["dev", label] - size[label] * 0.15) < 1


def test_unused_categories_do_not_count_as_empty_classes():
    frame = labelled_frame({"a": 50, "b": 50})
    frame["y"] = pd.Categorical(frame["y"], categories=["a", "b", "never_seen"])
    split = make_splits(frame, strategy="stratified", target="y")
    assert split.value_counts()["train"] == 70


def test_split_summary_reports_sizes_and_class_shares():
    frame = labelled_frame({"a": 80, "b": 20})
    split = make_splits(frame, strategy="stratified", target="y")
    summary = split_summary(split, frame, target="y")
    assert list(summary.index) == list(SPLIT_NAMES)
    assert summary["n_rows"].tolist() == [70, 15, 15]
    assert summary["share"].tolist() == pytest.approx([0.7, 0.15, 0.15])
    assert summary.loc["train", "y=a"] == pytest.approx(56 / 70)
    assert summary[["y=a", "y=b"]].sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_split_summary_without_target_has_only_sizes():
    frame = labelled_frame({"a": 10, "b": 10})
    summary = split_summary(make_splits(frame, strategy="random"), frame)
    assert list(summary.columns) == ["n_rows", "share"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"n_rows": 500, "has_target": True, "has_time": True}, "time"),
        ({"n_rows": 500, "has_target": True, "has_time": False}, "stratified"),
        ({"n_rows": 500, "has_target": False, "has_time": False}, "random"),
    ],
)
def test_suggested_strategy_comes_with_a_reason(kwargs, expected):
    strategy, reason = suggest_split_strategy(**kwargs)
    assert strategy == expected
    assert reason and "\n" not in reason


@pytest.mark.parametrize(
    "fractions", [(0.7, 0.3, 0.0), (0.5, 0.3, 0.3), (0.8, 0.2), (1.2, -0.1, -0.1)]
)
def test_fractions_must_be_positive_and_sum_to_one(fractions):
    frame = labelled_frame({"a": 10, "b": 10})
    with pytest.raises(ValueError, match="sum to 1"):
        make_splits(frame, strategy="random", fractions=fractions)
    assert "sum to 1" in ERR_FRACTIONS


def test_stratified_needs_a_target():
    with pytest.raises(ValueError) as error:
        make_splits(labelled_frame({"a": 10}), strategy="stratified")
    assert str(error.value) == ERR_NO_TARGET


def test_time_split_needs_a_time_column():
    with pytest.raises(ValueError) as error:
        make_splits(labelled_frame({"a": 10}), strategy="time")
    assert str(error.value) == ERR_NO_TIME


def test_a_class_smaller_than_the_number_of_splits_is_named_with_a_fix():
    frame = labelled_frame({"common": 30, "rare": 2})
    with pytest.raises(ValueError, match=r"'rare' has only 2 .*random split.*collect more"):
        make_splits(frame, strategy="stratified", target="y")


@pytest.mark.parametrize("n_rows", [0, 1, 2])
def test_fewer_than_three_rows_cannot_be_split(n_rows):
    frame = labelled_frame({"a": n_rows})
    with pytest.raises(ValueError, match="at least 3 rows"):
        make_splits(frame, strategy="random")


def test_unknown_strategy_and_column_are_rejected():
    frame = labelled_frame({"a": 10})
    with pytest.raises(ValueError, match="Unknown split strategy"):
        make_splits(frame, strategy="kfold")
    with pytest.raises(ValueError, match="'nope' is not in the data"):
        make_splits(frame, strategy="stratified", target="nope")


def test_missing_times_are_rejected_with_a_fix():
    frame = labelled_frame({"a": 10})
    frame.loc[frame.index[0], "t"] = pd.NaT
    with pytest.raises(ValueError, match="1 missing value"):
        make_splits(frame, strategy="time", time_column="t")


# Planted flips and the split used to share `default_rng(seed).permutation(n)`: with the same
# seed every flipped row landed in train and dev/test stayed clean.
@pytest.mark.parametrize("scenario, params", [("digits", {"label_noise": 0.05}),
                                              ("breast_cancer", {"label_noise": 0.1}),
                                              ("loan_approval", {"n_rows": 5_000})])
@pytest.mark.parametrize("strategy", ["stratified", "random"])
def test_flipped_rows_spread_over_train_dev_and_test_in_proportion(scenario, params, strategy):
    from scipy.stats import chisquare

    from core.data.scenarios import generate_scenario

    for seed in (0, 1, 7):
        generated = generate_scenario(scenario, seed=seed, **params)
        split = make_splits(generated.frame, strategy=strategy, target=generated.roles.target, random_state=seed)
        flipped = generated.ground_truth["label_noise"]["flipped_row_ids"]
        counts = split.loc[flipped].value_counts().reindex(["train", "dev", "test"]).to_numpy()
        expected = np.array([0.7, 0.15, 0.15]) * len(flipped)
        assert counts[1] > 0 and counts[2] > 0, (seed, counts)
        assert chisquare(counts, expected).pvalue > 0.001, (seed, counts, expected)


def test_the_split_stream_differs_from_the_seed_stream_and_its_spawns():
    from core.data.scenarios.base import effect_streams
    from core.data.splits import split_rng

    ours = split_rng(0).permutation(100)
    others = [np.random.default_rng(0), *effect_streams(0, 4)]
    assert all(not np.array_equal(ours, rng.permutation(100)) for rng in others)
