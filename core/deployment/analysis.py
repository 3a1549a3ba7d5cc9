"""The analysis run at every rollout step: does the challenger hold up against the champion?

As in Argo Rollouts' analysis runs, three conditions decide: the challenger's error rate on the
requests whose true labels have arrived is not shown worse than the champion's by more than a
margin, its p95 latency meets the scoping target (read through `evaluate_targets`), and none of
its predictions failed. Too few labels on either side make the analysis inconclusive rather
than a pass or a fail.

The error rates are compared with a confidence bound, not as two bare numbers. A step sees a
few hundred labelled requests of the challenger, so two equally good models differ by several
points of error rate by chance alone; comparing point estimates rolled such a pair back about
as often as not. As Kayenta's canary judge does, the analysis fails only when the data show the
challenger worse: the lower bound of Newcombe's hybrid score interval for the difference of the
two error rates (Wilson bounds per side, sound at rates near 0 and with few labels) lies above
the margin. A rollout runs several analyses, so the caller splits its error rate across them.

Latency is judged on the requests timed while the machine was quiet. The replay runs beside
whatever else the analyst's machine does (other sessions, a test suite, a video call), and a
request timed while other work held the CPU measures the machine rather than the model: such
timings rolled back challengers that were fast enough. Which requests were timed busy does not
depend on what they asked, so the quiet ones are a fair sample of the model's own latency. With
too few of them the latency check waits instead of deciding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import norm

from core.scoping.targets import TargetLike, evaluate_targets

Verdict = Literal["pass", "fail", "inconclusive"]
LATENCY_METRIC = "p95_latency_ms"
# The chance a rollout of a challenger as good as the champion is rolled back, over all its analyses.
ROLLOUT_FALSE_ALARM = 0.05
# Quiet-timed requests needed to judge a p95: at 20 the p95 still rests on more than the slowest one.
MIN_QUIET_TIMED = 20


@dataclass(frozen=True)
class ArmStats:
    """What one side did on the requests it answered: labelled count, errors, latencies, failures."""

    n_labelled: int
    n_errors: int
    p95_latency_ms: float | None
    n_failed: int = 0
    n_timed: int = 0
    n_timed_busy: int = 0  # requests timed while other work held the CPU
    quiet_p95_latency_ms: float | None = None  # the p95 over the other requests

    @property
    def n_timed_quiet(self) -> int:
        return self.n_timed - self.n_timed_busy

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
                "challenger_p95_ms": self.challenger.p95_latency_ms, "challenger_failed": self.challenger.n_failed,
                "challenger_quiet_p95_ms": self.challenger.quiet_p95_latency_ms,
                "challenger_timed_busy": self.challenger.n_timed_busy}


def arm_stats(correct: np.ndarray, labelled: np.ndarray, latency_ms: np.ndarray, n_failed: int = 0,
              timed_busy: np.ndarray | None = None) -> ArmStats:
    """Return one side's stats from per-request arrays (correct, label arrived, latency, timed while busy)."""
    busy = np.zeros(len(latency_ms), dtype=bool) if timed_busy is None else np.asarray(timed_busy, dtype=bool)
    return ArmStats(int(labelled.sum()), int((labelled & ~correct).sum()), _p95(latency_ms), n_failed,
                    len(latency_ms), int(busy.sum()), _p95(latency_ms[~busy]))


def _p95(latency_ms: np.ndarray) -> float | None:
    return float(np.percentile(latency_ms, 95)) if len(latency_ms) else None


def wilson_bounds(count: int, n: int, z: float) -> tuple[float, float]:
    """Return Wilson's score interval for the proportion count / n at normal quantile `z`."""
    p, z2 = count / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_bounds(count_a: int, n_a: int, count_b: int, n_b: int, z: float) -> tuple[float, float]:
    """Return Newcombe's hybrid score interval for count_a/n_a − count_b/n_b at normal quantile `z`."""
    p_a, p_b = count_a / n_a, count_b / n_b
    low_a, high_a = wilson_bounds(count_a, n_a, z)
    low_b, high_b = wilson_bounds(count_b, n_b, z)
    difference = p_a - p_b
    return (difference - np.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2),
            difference + np.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2))


def analyses_alpha(n_analyses: int) -> float:
    """Return each analysis' one-sided error rate so that `n_analyses` of them together keep ROLLOUT_FALSE_ALARM."""
    return ROLLOUT_FALSE_ALARM / max(1, n_analyses)  # Bonferroni: no assumption about how the looks correlate


def analyse(champion: ArmStats, challenger: ArmStats, *, margin: float, min_labels: int,
            targets: Iterable[TargetLike] = (), alpha: float = ROLLOUT_FALSE_ALARM) -> Analysis:
    """Return the analysis: fail if any condition fails, else inconclusive if any is, else pass.

    `alpha` is the chance that this analysis fails a challenger exactly `margin` worse than the champion.
    """
    checks = (_failures_check(challenger), _error_check(champion, challenger, margin, min_labels, alpha),
              _latency_check(challenger, targets))
    verdicts = {c.verdict for c in checks}
    verdict: Verdict = "fail" if "fail" in verdicts else "inconclusive" if "inconclusive" in verdicts else "pass"
    return Analysis(verdict, checks, champion, challenger)


def _failures_check(challenger: ArmStats) -> Check:
    if challenger.n_failed:
        return Check("prediction errors", "fail", f"{challenger.n_failed:,} challenger predictions failed.")
    return Check("prediction errors", "pass", "No challenger prediction failed.")


def _error_check(champion: ArmStats, challenger: ArmStats, margin: float, min_labels: int, alpha: float) -> Check:
    short = [f"{name} has {arm.n_labelled} labelled requests" for name, arm in
             (("the champion", champion), ("the challenger", challenger)) if arm.n_labelled < min_labels]
    if short:
        return Check("error rate", "inconclusive", f"Too few labels yet: {' and '.join(short)}, under {min_labels}.")
    lower, _ = difference_bounds(challenger.n_errors, challenger.n_labelled, champion.n_errors, champion.n_labelled,
                                 float(norm.ppf(1 - alpha)))
    worse = lower > margin + 1e-12
    finding = (f"worse by at least {lower:+.3f}, more than the margin {margin:.3f}" if worse else
               f"not shown worse by more than the margin {margin:.3f} (at least {lower:+.3f})")
    return Check("error rate", "fail" if worse else "pass",
                 f"Challenger error rate {challenger.error_rate:.3f} against the champion's {champion.error_rate:.3f} "
                 f"({challenger.n_labelled:,} and {champion.n_labelled:,} labelled requests): {finding}, "
                 f"at {1 - alpha:.1%} confidence.")


def _latency_check(challenger: ArmStats, targets: Iterable[TargetLike]) -> Check:
    latency_targets = [t for t in targets if t.metric == LATENCY_METRIC and not t.slice]
    if not latency_targets:
        return Check("p95 latency", "pass", "No p95 latency target is set at scoping, so latency cannot fail.")
    if challenger.p95_latency_ms is None:
        return Check("p95 latency", "inconclusive", "The challenger has served no request yet.")
    overall = _latency_verdict(challenger.p95_latency_ms, latency_targets, "")
    if overall.verdict == "pass" or not challenger.n_timed_busy:  # busy timings only ever slow a model down
        return overall
    busy = (f" {challenger.n_timed_busy:,} of its {challenger.n_timed:,} requests were timed while other work held "
            f"the CPU; with them the p95 is {challenger.p95_latency_ms:.1f} ms, which says more about the machine "
            "than the model.")
    if challenger.n_timed_quiet < MIN_QUIET_TIMED:
        return Check("p95 latency", "inconclusive",
                     f"Fewer than {MIN_QUIET_TIMED} challenger requests were timed while the machine was quiet, too "
                     f"few to judge the model's own latency; waiting for more.{busy}")
    return _latency_verdict(challenger.quiet_p95_latency_ms, latency_targets,
                            f" on the {challenger.n_timed_quiet:,} requests timed while the machine was quiet", busy)


def _latency_verdict(p95: float, latency_targets: list[TargetLike], which: str, after: str = "") -> Check:
    result = evaluate_targets({LATENCY_METRIC: p95}, latency_targets)[0]
    word = "meets" if result.met else "misses"
    return Check("p95 latency", "pass" if result.met else "fail",
                 f"Challenger p95 latency {p95:.1f} ms{which} {word} the target "
                 f"{result.target.comparator} {result.target.value:g} ms.{after}")
