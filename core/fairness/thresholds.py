"""Mitigation by per-group decision thresholds: the most accurate rule that equalises one rate across groups.

The approach of fairlearn's ThresholdOptimizer with accuracy as the objective, made deterministic:
for a common target rate r (selection rate for demographic parity, true positive rate for equal
opportunity), each group gets the threshold on P(positive) whose rate comes closest to r, and the
r that makes the most correct decisions overall wins. fairlearn instead mixes two thresholds at
random per group to hit r exactly; a fixed threshold cannot split rows of equal score, so the rates
here are equal up to the coarseness of each group's scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

Constraint = Literal["demographic_parity", "equal_opportunity"]
CONSTRAINT_LABELS = {"demographic_parity": "demographic parity (equal selection rates)",
                     "equal_opportunity": "equal opportunity (equal true positive rates)"}
GRID_POINTS = 1001

UNKNOWN_CONSTRAINT = "The constraint is one of {names}; got {constraint!r}."
NO_SCORES = (
    "Mitigation moves each group's decision threshold on the model's probability of the positive class, "
    "and these predictions have no usable probabilities ({why}). Pick a run that stored probabilities — "
    "every model trained on the Experiments page does."
)
UNSEEN_GROUP = "Group {group!r} has no threshold: the rule was fitted on other groups ({names})."


@dataclass(frozen=True)
class ThresholdRule:
    """Per-group thresholds on P(positive): a row is selected when its score is at or above its group's."""

    constraint: str
    thresholds: dict[str, float]
    target_rate: float

    def to_dict(self) -> dict:
        return {"constraint": self.constraint, "target_rate": self.target_rate,
                "thresholds": {g: (None if np.isinf(t) else t) for g, t in self.thresholds.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> ThresholdRule:
        """Return the rule stored by `to_dict` (None stands for a threshold nobody reaches)."""
        return cls(data["constraint"], {g: (np.inf if t is None else float(t)) for g, t in data["thresholds"].items()},
                   float(data["target_rate"]))


@dataclass(frozen=True)
class _Cuts:
    """A group's possible cuts: k rows selected (only between distinct scores), and what each cut gives."""

    thresholds: np.ndarray
    selection: np.ndarray
    tpr: np.ndarray
    correct: np.ndarray


def check_scores(scores) -> np.ndarray:
    """Return the scores as floats; raise ValueError when there are none or they are not probabilities."""
    values = pd.to_numeric(pd.Series(scores), errors="coerce").to_numpy(dtype=float)
    if len(values) == 0 or np.isnan(values).all():
        raise ValueError(NO_SCORES.format(why="none were stored"))
    if np.isnan(values).any() or (values < 0).any() or (values > 1).any():
        raise ValueError(NO_SCORES.format(why="some are missing or outside 0 to 1"))
    return values


def _cuts(truth: np.ndarray, scores: np.ndarray) -> _Cuts:
    order = np.argsort(-scores, kind="stable")
    ordered, hits = scores[order], truth[order].astype(np.int64)
    n, positives = len(scores), int(hits.sum())
    k = np.concatenate([[0], np.flatnonzero(np.diff(ordered) != 0) + 1, [n]])
    cum_pos = np.concatenate([[0], np.cumsum(hits)])[k]
    thresholds = np.concatenate([[np.inf], ordered[k[1:] - 1]])
    correct = cum_pos + ((n - positives) - (k - cum_pos))
    tpr = cum_pos / positives if positives else np.full(len(k), np.nan)
    return _Cuts(thresholds, k / n, tpr, correct)


def _pick(rate: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Return, for each target, the index of the (non-decreasing) rate closest to it (the lower one on a tie)."""
    upper = np.clip(np.searchsorted(rate, targets, side="left"), 0, len(rate) - 1)
    lower = np.clip(upper - 1, 0, len(rate) - 1)
    return np.where(np.abs(rate[lower] - targets) <= np.abs(rate[upper] - targets), lower, upper)


def fit_group_thresholds(y_true, scores, groups, *, positive, constraint: Constraint = "demographic_parity",
                         grid: int = GRID_POINTS) -> ThresholdRule:
    """Return the per-group thresholds that meet the constraint with the most correct decisions."""
    if constraint not in get_args(Constraint):
        raise ValueError(UNKNOWN_CONSTRAINT.format(names=", ".join(get_args(Constraint)), constraint=constraint))
    scores, truth = check_scores(scores), np.asarray(y_true) == positive
    groups = np.asarray(groups, dtype=object)
    targets = np.linspace(0, 1, grid)
    cuts = {g: _cuts(truth[groups == g], scores[groups == g]) for g in sorted(pd.unique(groups))}
    chosen = {g: _choices(c, targets, constraint) for g, c in cuts.items()}
    total = sum(c.correct[chosen[g]] for g, c in cuts.items())
    best = int(np.argmax(total))
    return ThresholdRule(constraint, {str(g): float(c.thresholds[chosen[g][best]]) for g, c in cuts.items()},
                         float(targets[best]))


def _choices(cuts: _Cuts, targets: np.ndarray, constraint: str) -> np.ndarray:
    if constraint == "demographic_parity":
        return _pick(cuts.selection, targets)
    if np.isnan(cuts.tpr).all():  # a group without positives: its TPR is undefined, so keep its most accurate cut
        return np.full(len(targets), int(np.argmax(cuts.correct)))
    return _pick(cuts.tpr, targets)


def apply_thresholds(rule: ThresholdRule, scores, groups) -> np.ndarray:
    """Return the rule's decisions: True where a row's score reaches its group's threshold."""
    scores, groups = check_scores(scores), pd.Series(np.asarray(groups, dtype=object)).astype(str)
    unseen = sorted(set(groups) - set(rule.thresholds))
    if unseen:
        raise ValueError(UNSEEN_GROUP.format(group=unseen[0], names=", ".join(rule.thresholds)))
    return scores >= groups.map(rule.thresholds).to_numpy(dtype=float)
