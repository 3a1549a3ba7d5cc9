"""The analysis run at every rollout step: does the challenger hold up against the champion?

As in Argo Rollouts' analysis runs, three conditions decide: the challenger's error rate on the
requests whose true labels have arrived is within a margin of the champion's, its p95 latency
meets the scoping target (read through `evaluate_targets`), and none of its predictions failed.
Too few labels on either side make the analysis inconclusive rather than a pass or a fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.scoping.targets import TargetLike, evaluate_targets

Verdict = Literal["pass", "fail", "inconclusive"]
LATENCY_METRIC = "p95_latency_ms"


@dataclass(frozen=True)
class ArmStats:
    """What one side did on the requests it answered: labelled count, errors, latencies, failures."""

    n_labelled: int
    n_errors: int
    p95_latency_ms: float | None
    n_failed: int = 0

    @property
    def error_rate(self) -> float | None:
        return self.n_errors / self.n_labelled if self.n_labelled else None


@dataclass(frozen=True)
class Check:
    condition: str
    verdict: Verdict
    message: str


@dataclass(frozen=True)
class Analysis:
    """The verdict of one analysis with each condition's outcome and its numbers."""

    verdict: Verdict
    checks: tuple[Check, ...]
    champion: ArmStats
    challenger: ArmStats

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "checks": [c.__dict__ for c in self.checks],
                "champion_error_rate": self.champion.error_rate, "challenger_error_rate": self.challenger.error_rate,
                "champion_labelled": self.champion.n_labelled, "challenger_labelled": self.challenger.n_labelled,
                "challenger_p95_ms": self.challenger.p95_latency_ms, "challenger_failed": self.challenger.n_failed}


def arm_stats(correct: np.ndarray, labelled: np.ndarray, latency_ms: np.ndarray, n_failed: int = 0) -> ArmStats:
    """Return one side's stats from per-request arrays (correct, label arrived, latency)."""
    p95 = float(np.percentile(latency_ms, 95)) if len(latency_ms) else None
    return ArmStats(int(labelled.sum()), int((labelled & ~correct).sum()), p95, n_failed)


def analyse(champion: ArmStats, challenger: ArmStats, *, margin: float, min_labels: int,
            targets: Iterable[TargetLike] = ()) -> Analysis:
    """Return the analysis: fail if any condition fails, else inconclusive if any is, else pass."""
    checks = (_failures_check(challenger), _error_check(champion, challenger, margin, min_labels),
              _latency_check(challenger, targets))
    verdicts = {c.verdict for c in checks}
    verdict: Verdict = "fail" if "fail" in verdicts else "inconclusive" if "inconclusive" in verdicts else "pass"
    return Analysis(verdict, checks, champion, challenger)


def _failures_check(challenger: ArmStats) -> Check:
    if challenger.n_failed:
        return Check("prediction errors", "fail", f"{challenger.n_failed:,} challenger predictions failed.")
    return Check("prediction errors", "pass", "No challenger prediction failed.")


def _error_check(champion: ArmStats, challenger: ArmStats, margin: float, min_labels: int) -> Check:
    short = [f"{name} has {arm.n_labelled} labelled requests" for name, arm in
             (("the champion", champion), ("the challenger", challenger)) if arm.n_labelled < min_labels]
    if short:
        return Check("error rate", "inconclusive", f"Too few labels yet: {' and '.join(short)}, under {min_labels}.")
    ours, theirs = champion.error_rate, challenger.error_rate
    within = theirs <= ours + margin + 1e-12
    relation = "within" if within else "more than"
    return Check("error rate", "pass" if within else "fail",
                 f"Challenger error rate {theirs:.3f} is {relation} {margin:.3f} of the champion's {ours:.3f} "
                 f"({challenger.n_labelled:,} and {champion.n_labelled:,} labelled requests).")


def _latency_check(challenger: ArmStats, targets: Iterable[TargetLike]) -> Check:
    latency_targets = [t for t in targets if t.metric == LATENCY_METRIC and not t.slice]
    if not latency_targets:
        return Check("p95 latency", "pass", "No p95 latency target is set at scoping, so latency cannot fail.")
    if challenger.p95_latency_ms is None:
        return Check("p95 latency", "inconclusive", "The challenger has served no request yet.")
    result = evaluate_targets({LATENCY_METRIC: challenger.p95_latency_ms}, latency_targets)[0]
    word = "meets" if result.met else "misses"
    return Check("p95 latency", "pass" if result.met else "fail",
                 f"Challenger p95 latency {challenger.p95_latency_ms:.1f} ms {word} the target "
                 f"{result.target.comparator} {result.target.value:g} ms.")
