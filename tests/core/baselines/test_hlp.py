"""Human-level performance: a hand-computed case, the bootstrap interval, and simulated labelers."""

import numpy as np
import pandas as pd
import pytest

from core.baselines import hlp
from core.baselines.hlp import human_level_performance, judgments
from core.data.scenarios import generate_scenario
from core.labeling.simulated_labelers import LabelerProfile, demo_team, simulate_labels


def three_labelers() -> pd.DataFrame:
    # item 1: all agree on x; item 2: a, b say x and c says y; item 3: a, b say y; item 4: only a.
    return pd.DataFrame({"row_id": [1, 1, 1, 2, 2, 2, 3, 3, 4], "labeler": list("abcabcaba"),
                         "value": list("xxxxxyyyx")})


def test_hand_built_case_against_the_other_labelers():
    result = human_level_performance(three_labelers(), n_bootstrap=200)
    # a: item 1 right, item 2 the others tie (b x, c y) so half right, item 3 right -> 2.5 / 3.
    # b: the same, 2.5 / 3. c: item 1 right, item 2 wrong (a and b say x) -> 1 / 2. Item 4 has no others.
    assert result.labelers["accuracy"].to_dict() == pytest.approx({"a": 5 / 6, "b": 5 / 6, "c": 1 / 2})
    overall = result.scores.overall
    assert overall.metrics["accuracy"] == pytest.approx((5 / 6 + 5 / 6 + 1 / 2) / 3)  # 13/18
    assert overall.n == 3 and result.n_judgments == 10
    # Recall of x: a 1.5/1.5, b 1.5/1.5, c 1/2; of y: a and b 1/1.5 (c never met a y reference).
    assert overall.class_recall == pytest.approx({"x": (1 + 1 + 0.5) / 3, "y": 2 / 3})
    assert overall.metrics["balanced_accuracy"] == pytest.approx((5 / 6 + 5 / 6 + 1 / 2) / 3)
    low, high = overall.intervals["accuracy"]
    assert low <= overall.metrics["accuracy"] <= high


def test_hand_built_case_against_the_true_labels():
    truth = pd.Series(["x", "y", "y", "x"], index=[1, 2, 3, 4])
    result = human_level_performance(three_labelers(), reference="truth", truth=truth, n_bootstrap=50)
    # a: 1, 2 wrong, 3, 4 -> 3/4; b: 1, 2 wrong, 3 -> 2/3; c: 1, 2 -> 2/2.
    assert result.labelers["accuracy"].to_dict() == pytest.approx({"a": 3 / 4, "b": 2 / 3, "c": 1.0})
    assert result.scores.overall.metrics["accuracy"] == pytest.approx((3 / 4 + 2 / 3 + 1) / 3)
    assert result.scores.overall.n == 4


def test_unclear_labels_neither_vote_nor_count():
    labels = pd.concat([three_labelers(), pd.DataFrame({"row_id": [4, 4], "labeler": ["b", "c"],
                                                        "value": ["unclear", None]})])
    assert human_level_performance(labels, n_bootstrap=10).scores.overall.n == 3


def test_slices_use_the_items_of_each_value():
    groups = pd.DataFrame({"site": ["north", "north", "south", "south"]}, index=[1, 2, 3, 4])
    result = human_level_performance(three_labelers(), groups=groups, n_bootstrap=20)
    north = result.scores.slices["site"]["north"]
    # Items 1 and 2: a 1.5/2, b 1.5/2, c 1/2.
    assert north.metrics["accuracy"] == pytest.approx((0.75 + 0.75 + 0.5) / 3) and north.n == 2
    assert result.scores.slices["site"]["south"].metrics["accuracy"] == 1.0


def test_no_overlap_says_how_to_get_it():
    single = pd.DataFrame({"row_id": [1, 2], "labeler": ["a", "b"], "value": ["x", "y"]})
    with pytest.raises(ValueError) as error:
        judgments(single)
    assert str(error.value) == hlp.NO_OVERLAP and "overlap" in hlp.NO_OVERLAP
    with pytest.raises(ValueError, match="needs them"):
        judgments(single, reference="truth")


def test_the_interval_is_seeded_and_narrows_with_more_items():
    labels = many_labels(n_items=60, profiles=uniform_team(), seed=1)
    first = human_level_performance(labels, random_state=3).scores.overall.intervals["accuracy"]
    again = human_level_performance(labels, random_state=3).scores.overall.intervals["accuracy"]
    more = many_labels(n_items=600, profiles=uniform_team(), seed=1)
    wide = human_level_performance(more, random_state=3).scores.overall.intervals["accuracy"]
    assert first == again
    assert wide[1] - wide[0] < first[1] - first[0]


def uniform_team() -> dict[str, LabelerProfile]:
    return {"a": LabelerProfile(accuracy=0.95), "b": LabelerProfile(accuracy=0.85), "c": LabelerProfile(accuracy=0.7)}


def many_labels(*, n_items: int, profiles: dict, seed: int, truth: pd.Series | None = None) -> pd.DataFrame:
    if truth is None:
        truth = generate_scenario("digits").frame["digit"].iloc[:n_items]
    parts = []
    for position, (name, profile) in enumerate(profiles.items()):
        labels = simulate_labels(truth, range(10), profile, random_state=seed + position)
        parts.append(pd.DataFrame({"row_id": labels.index, "labeler": name, "value": labels["value"].to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def expected_agreement_with_two_others(p: float, q: float, r: float, n_classes: int = 10) -> float:
    """Chance a labeler of skill p matches the vote of two others (q, r) whose mistakes are uniform."""
    wrong_alike = (1 - p) / (n_classes - 1)  # chance the labeler gives one given wrong class
    both_right = q * r * p
    one_right = (q * (1 - r) + (1 - q) * r) * (p + wrong_alike) / 2  # a tie: truth or the other's mistake
    both_wrong = (1 - q) * (1 - r) * wrong_alike  # one wrong class, or a tie of two: worth the same
    return both_right + one_right + both_wrong


def test_digits_hlp_lies_within_what_the_simulated_skills_imply():
    digits = generate_scenario("digits").frame["digit"]
    team = uniform_team()
    labels = many_labels(n_items=len(digits), profiles=team, seed=0, truth=digits)
    skills = [profile.accuracy for profile in team.values()]
    n = len(digits)
    # Against the truth each labeler's accuracy is a binomial share around their skill.
    against_truth = human_level_performance(labels, reference="truth", truth=digits, n_bootstrap=200)
    spread = np.sqrt(sum(p * (1 - p) for p in skills) / n) / len(skills)
    assert abs(against_truth.scores.overall.metrics["accuracy"] - np.mean(skills)) < 3 * spread
    low, high = against_truth.scores.overall.intervals["accuracy"]
    assert low < np.mean(skills) < high
    # Against the other two, each labeler's expected agreement follows from the three skills.
    expected = np.mean([expected_agreement_with_two_others(skills[i], *(skills[:i] + skills[i + 1:])) for i in range(3)])
    against_others = human_level_performance(labels, n_bootstrap=200)
    low, high = against_others.scores.overall.intervals["accuracy"]
    assert low < expected < high
    assert against_others.scores.overall.metrics["accuracy"] < against_truth.scores.overall.metrics["accuracy"]


def test_demo_team_on_digits_scores_near_its_mean_skill_against_the_truth():
    digits = generate_scenario("digits").frame["digit"]
    team = demo_team(range(10), confusions=[(1, 7), (3, 8), (4, 9)])
    labels = many_labels(n_items=len(digits), profiles=team, seed=5, truth=digits)
    result = human_level_performance(labels, reference="truth", truth=digits, n_bootstrap=200)
    low, high = result.scores.overall.intervals["accuracy"]
    assert low < np.mean([p.accuracy for p in team.values()]) < high
    assert set(result.scores.overall.class_recall) == {str(d) for d in range(10)}


def test_low_hlp_message_says_accuracy_against_which_reference():
    from core.baselines.hlp import low_hlp_message

    truth = low_hlp_message(0.81, reference="truth", items=120)
    assert truth.startswith("Labelers' labels match the true labels on only 81% of the items they labeled "
                            "(accuracy against the truth, averaged over labelers; 120 items). Low accuracy usually")
    others = low_hlp_message(0.805, reference="others", items=40.5)
    assert others.startswith("Labelers match the vote of the other labelers on only 80% of the items they share")
    assert "40.5 items). Low agreement usually means" in others and "People agree" not in truth + others
    with pytest.raises(ValueError, match="is not a reference for HLP"):
        low_hlp_message(0.5, reference="crowd", items=1)
