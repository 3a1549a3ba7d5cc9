"""Batch sampling strategies and the assignment of items to labelers."""

import numpy as np
import pandas as pd
import pytest

from core.labeling.sampling import SAMPLERS, SamplingInputs, assign_items, sample_batch, uncertainty_scores

POOL = pd.Index(range(100, 300), name="row_id")


def inputs():
    rng = np.random.default_rng(0)
    column = pd.Series(np.where(np.arange(200) < 150, "big", "small"), index=POOL)
    raw = rng.random((200, 3))
    probs = pd.DataFrame(raw / raw.sum(axis=1, keepdims=True), index=POOL, columns=["a", "b", "c"])
    scores = pd.Series(rng.random(200), index=POOL).where(lambda s: s > 0.5, 0.0)
    return SamplingInputs(column=column, probabilities=probs, disagreement=scores)


@pytest.mark.parametrize("strategy", list(SAMPLERS))
def test_every_strategy_gives_distinct_pool_rows_and_is_seeded(strategy):
    first = sample_batch(POOL, 20, strategy=strategy, inputs=inputs(), random_state=4)
    again = sample_batch(POOL, 20, strategy=strategy, inputs=inputs(), random_state=4)
    assert len(first) == 20 and first.is_unique and first.isin(POOL).all()
    assert list(first) == list(again)


def test_stratified_keeps_the_shares_of_the_column():
    chosen = sample_batch(POOL, 40, strategy="stratified", inputs=inputs(), random_state=1)
    shares = inputs().column.loc[chosen].value_counts()
    assert shares.to_dict() == {"big": 30, "small": 10}


@pytest.mark.parametrize("measure", ["least_confidence", "margin", "entropy"])
def test_uncertainty_picks_the_least_sure_rows(measure):
    data = inputs()
    data = SamplingInputs(probabilities=data.probabilities, measure=measure)
    chosen = sample_batch(POOL, 10, strategy="uncertainty", inputs=data)
    scores = uncertainty_scores(data.probabilities, measure=measure)
    assert set(chosen) == set(scores.nlargest(10).index)


def test_uncertainty_measures_on_known_answers():
    probs = pd.DataFrame([[0.5, 0.3, 0.2], [0.9, 0.05, 0.05]], columns=list("abc"))
    assert uncertainty_scores(probs, measure="least_confidence").tolist() == pytest.approx([0.5, 0.1])
    assert uncertainty_scores(probs, measure="margin").tolist() == pytest.approx([0.8, 0.15])
    expected = -(0.5 * np.log(0.5) + 0.3 * np.log(0.3) + 0.2 * np.log(0.2))
    assert uncertainty_scores(probs, measure="entropy")[0] == pytest.approx(expected)


def test_disagreement_takes_only_conflicting_rows_most_conflicting_first():
    data = inputs()
    chosen = sample_batch(POOL, 5, strategy="disagreement", inputs=data)
    assert list(chosen) == list(data.disagreement.sort_values(ascending=False, kind="stable").index[:5])


def test_a_batch_larger_than_the_pool_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="asks for 500 items, but only 200 .* Lower the batch size to 200"):
        sample_batch(POOL, 500, strategy="random")
    with pytest.raises(ValueError, match="at least 1"):
        sample_batch(POOL, 0, strategy="random")
    with pytest.raises(ValueError, match="Unknown sampling strategy"):
        sample_batch(POOL, 5, strategy="clever")
    with pytest.raises(ValueError, match="Label a first batch"):
        sample_batch(POOL, 5, strategy="uncertainty")


def test_assignment_overlap_and_balance():
    table = assign_items(range(100), ["ann", "bob", "cid"], overlap=0.2, random_state=0)
    per_item = table.groupby("row_id").size()
    assert (per_item == 2).sum() == 20 and (per_item == 1).sum() == 80
    assert not table.duplicated(["row_id", "labeler"]).any()
    load = table["labeler"].value_counts()
    assert load.max() - load.min() <= 1
    assert sorted(table[table.labeler == "ann"]["position"]) == list(range(load["ann"]))


def test_assignment_refuses_overlap_with_one_labeler():
    with pytest.raises(ValueError, match="at least two labelers"):
        assign_items(range(5), ["ann"], overlap=0.5)
    assert len(assign_items(range(5), ["ann"], overlap=0.0)) == 5
