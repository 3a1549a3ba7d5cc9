"""Which parity matters: the Aequitas fairness tree as a few questions that recommend the metric to judge by.

The tree asks whether fairness is about whom a decision selects (representation) or about the
errors it makes; for errors, whether the intervention is punitive or assistive, and whose errors
cost most. Each leaf is one group metric whose ratio to the reference should sit in the fair band.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Concern = Literal["representation", "errors"]
Intervention = Literal["punitive", "assistive"]
# Whose errors matter most. Punitive: everyone, the people acted on, the people who did not warrant it.
# Assistive, able to reach most people in need: everyone, the people not helped, the people in need;
# able to help only a small fraction: "few" (then only whether those in need are reached equally).
Whom = Literal["everyone", "selected", "not_warranted", "not_selected", "in_need", "few"]

QUESTIONS = {
    "concern": "Is fairness here about whom the decision selects, or about the errors it makes?",
    "intervention": "Does a positive decision punish (deny, investigate, detain) or assist (grant, help, treat)?",
    "whom": "Whose errors are most costly?",
}
WHOM_CHOICES: dict[Intervention, dict[str, str]] = {
    "punitive": {"everyone": "everyone, whatever their actual outcome",
                 "selected": "the people the decision acts against",
                 "not_warranted": "the people who did not warrant the action"},
    "assistive": {"everyone": "everyone, whatever their actual need",
                  "not_selected": "the people who receive no help",
                  "in_need": "the people with an actual need",
                  "few": "we can help only a small fraction of those in need"},
}
# (concern, intervention, whom) -> (metric, parity name, why)
LEAVES: dict[tuple, tuple[str, str, str]] = {
    ("representation", None, None): (
        "selection_rate", "demographic parity",
        "Each group should be selected in proportion to its size, whatever the labels say — right when the "
        "labels themselves may carry the bias."),
    ("errors", "punitive", "everyone"): (
        "fp_share", "false positives / group size parity",
        "Wrongful actions should hit every group equally often, counted against the group's whole size."),
    ("errors", "punitive", "selected"): (
        "fdr", "false discovery rate parity",
        "Among the people acted against, each group should be wrongly targeted equally often."),
    ("errors", "punitive", "not_warranted"): (
        "fpr", "false positive rate parity",
        "People who did not warrant the action should be equally safe from it in every group."),
    ("errors", "assistive", "everyone"): (
        "fn_share", "false negatives / group size parity",
        "Missed help should hit every group equally often, counted against the group's whole size."),
    ("errors", "assistive", "not_selected"): (
        "for", "false omission rate parity",
        "Among the people turned away, each group should hold equally few who needed help."),
    ("errors", "assistive", "in_need"): (
        "fnr", "false negative rate parity",
        "People who need help should be equally likely to be missed in every group."),
    ("errors", "assistive", "few"): (
        "tpr", "recall (true positive rate) parity",
        "With help for only a few, what matters is that those in need are reached at the same rate in each group."),
}
INCOMPLETE = "Answer the questions in order: {missing}."
NOT_A_CHOICE = "{value!r} is not an answer to “{question}”; choose one of: {names}."


@dataclass(frozen=True)
class ParityAdvice:
    """The recommended metric and parity, why, and the answers that led there (stored with an audit)."""

    metric: str
    parity: str
    why: str
    concern: str
    intervention: str | None
    whom: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def recommend_parity(concern: Concern, intervention: Intervention | None = None, whom: Whom | None = None) -> ParityAdvice:
    """Return the metric the Aequitas tree recommends for these answers; raise ValueError when one is missing."""
    _check(concern, ("representation", "errors"), "concern")
    if concern == "representation":
        return ParityAdvice(*LEAVES[("representation", None, None)], concern, None, None)
    if intervention is None or whom is None:
        missing = "punitive or assistive" if intervention is None else "whose errors are most costly"
        raise ValueError(INCOMPLETE.format(missing=missing))
    _check(intervention, tuple(WHOM_CHOICES), "intervention")
    _check(whom, tuple(WHOM_CHOICES[intervention]), "whom")
    return ParityAdvice(*LEAVES[("errors", intervention, whom)], concern, intervention, whom)


def _check(value, allowed: tuple, question: str) -> None:
    if value not in allowed:
        raise ValueError(NOT_A_CHOICE.format(value=value, question=QUESTIONS[question], names=", ".join(allowed)))
