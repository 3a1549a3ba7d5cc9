"""Majority vote with ties broken by labeler quality; decisions override the vote."""

import pandas as pd
import pytest

from core.labeling.consensus import consensus_labels, disagreement_scores, disagreements, majority_vote


def votes(rows):
    return pd.DataFrame(rows, columns=["row_id", "labeler", "value"])


def test_majority_wins_and_ties_go_to_the_better_labeler():
    table = votes([(1, "a", "x"), (1, "b", "x"), (1, "c", "y"), (2, "a", "x"), (2, "b", "y"), (3, "c", "z")])
    result = majority_vote(table, quality={"a": 0.6, "b": 0.9, "c": 0.5})
    assert result.loc[1, "label"] == "x" and not result.loc[1, "tie_broken"]
    assert result.loc[2, "label"] == "y" and result.loc[2, "tie_broken"]  # b is the better labeler
    assert result.loc[1, "share"] == pytest.approx(2 / 3) and result.loc[3, "n_labels"] == 1


def test_unclear_votes_do_not_count():
    table = votes([(1, "a", "unclear"), (1, "b", "y"), (2, "a", "unclear")])
    result = majority_vote(table)
    assert result["label"].to_dict() == {1: "y"}


def test_equal_quality_ties_go_to_the_class_that_sorts_first():
    result = majority_vote(votes([(5, "a", "b"), (5, "b", "a")]))
    assert result.loc[5, "label"] == "a"


def test_vote_does_not_depend_on_row_order():
    table = votes([(1, "a", "x"), (1, "b", "y"), (1, "c", "y"), (2, "a", "z"), (2, "b", "x")])
    quality = {"a": 0.8, "b": 0.7, "c": 0.1}
    expected = majority_vote(table, quality=quality)
    shuffled = majority_vote(table.sample(frac=1, random_state=3), quality=quality)
    pd.testing.assert_frame_equal(expected, shuffled.loc[expected.index])


def test_the_latest_decision_overrides_the_vote():
    table = votes([(1, "a", "1"), (1, "b", "1"), (1, "r", "7"), (2, "a", "3"), (2, "r", "8"), (2, "s", "3")])
    table["decision"] = [False, False, True, False, True, True]
    table["order"] = range(len(table))
    assert consensus_labels(table).to_dict() == {1: "7", 2: "3"}


def test_disagreements_list_who_said_what_most_split_first():
    table = votes([(1, "a", "1"), (1, "b", "7"), (2, "a", "3"), (2, "b", "3"), (2, "c", "8"), (3, "a", "x")])
    queue = disagreements(table)
    assert list(queue.index) == [1, 2]
    assert queue.loc[2, "labels"] == "3: a, b · 8: c"
    assert disagreement_scores(table).to_dict() == pytest.approx({1: 0.5, 2: 1 / 3, 3: 0.0})
