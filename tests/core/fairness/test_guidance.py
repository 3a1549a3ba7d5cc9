"""The Aequitas fairness tree: every leaf, and unanswered or unknown answers."""

import pytest

from core.fairness.guidance import LEAVES, WHOM_CHOICES, recommend_parity
from core.fairness.metrics import RATES


@pytest.mark.parametrize("answers, metric", [
    (("representation",), "selection_rate"),
    (("errors", "punitive", "everyone"), "fp_share"),
    (("errors", "punitive", "selected"), "fdr"),
    (("errors", "punitive", "not_warranted"), "fpr"),
    (("errors", "assistive", "everyone"), "fn_share"),
    (("errors", "assistive", "not_selected"), "for"),
    (("errors", "assistive", "in_need"), "fnr"),
    (("errors", "assistive", "few"), "tpr"),
])
def test_each_path_recommends_the_aequitas_metric(answers, metric):
    advice = recommend_parity(*answers)
    assert advice.metric == metric and advice.metric in RATES
    assert advice.to_dict()["concern"] == answers[0]


def test_every_leaf_is_reachable_and_measured():
    reachable = {("representation", None, None)} | {("errors", i, w) for i, whom in WHOM_CHOICES.items() for w in whom}
    assert reachable == set(LEAVES)


@pytest.mark.parametrize("answers, message", [
    (("errors",), "punitive or assistive"),
    (("errors", "punitive"), "whose errors"),
    (("errors", "punitive", "few"), "not an answer"),
    (("neither",), "not an answer"),
])
def test_incomplete_or_unknown_answers_are_refused(answers, message):
    with pytest.raises(ValueError, match=message):
        recommend_parity(*answers)
