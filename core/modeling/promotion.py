"""The promotion gate: a run becomes champion only when it meets every ML target set at scoping
and beats the current champion by at least a margin (after MLflow's metric thresholds).

Each condition is a `GateCheck` with a message, so the page can say exactly which one fails.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.modeling.evaluation import HIGHER_IS_BETTER
from core.scoping.targets import METRICS, TargetLike, compare, evaluate_targets, metric_key, target_text

LOWER_IS_BETTER = {"log_loss"}
COMPARISON_METRICS = tuple(sorted(HIGHER_IS_BETTER | LOWER_IS_BETTER))
MAX_MARGIN = 1.0

NO_DEV = (
    "The run has no dev evaluation, so nothing shows it is good enough. Promote a run that finished "
    "training (its dev metrics are shown in the run list)."
)
UNKNOWN_METRIC = "“{metric}” cannot be compared; choose one of: {names}."
BAD_MARGIN = f"The margin must be between 0 and {MAX_MARGIN:g}; {{margin}} is not. 0.01 means one point better."
TARGET_MET = "Target {target} is met ({value:.4f})."
TARGET_NOT_MET = "Target {target} is not met: the run has {value:.4f} on dev."
TARGET_NOT_MEASURED = (
    "Target {target} is not measured for this run: it has no value for {key}. A target the run cannot show "
    "it meets blocks promotion; compute that metric or change the target on the Scoping page."
)
TARGET_UNMEASURABLE = "Target {target} cannot be measured for this run: {reason}"
POSITIVE_METRICS = ("precision", "recall", "f1")
OTHER_POSITIVE = (
    "Its precision, recall and F1 are those of “{mine}”, but the project's positive class is now “{project}”, "
    "which the targets mean. Train it again (Train again with this config scores it with the project's choice)."
)
CHAMPION_OTHER_POSITIVE = (
    "The champion's {metric} is that of “{theirs}”, the candidate's that of “{mine}”: they cannot be compared. "
    "Compare on a metric of both classes (accuracy, balanced_accuracy, roc_auc) or train the champion again."
)
NO_TARGETS = "No ML target was set at scoping, so only the comparison with the champion applies."
NO_CHAMPION = "There is no champion yet, so this run has nothing to beat."
CHAMPION_UNMEASURED = (
    "The champion has no {metric} on dev, so the two cannot be compared on it. Compare on another metric."
)
BEATS = "It beats the champion on {metric} by {gain:+.4f} (at least {margin:g} needed): {mine:.4f} against {theirs:.4f}."
DOES_NOT_BEAT = (
    "It does not beat the champion on {metric} by the margin: {mine:.4f} against {theirs:.4f} is {gain:+.4f}, "
    "and at least {margin:g} is needed."
)


@dataclass(frozen=True)
class GateCheck:
    """One condition of the gate, whether it holds, and what to tell the user."""

    condition: str
    passed: bool
    message: str


@dataclass(frozen=True)
class GateDecision:
    """All the gate's checks; the run may be promoted when every one passes."""

    checks: tuple[GateCheck, ...]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> tuple[GateCheck, ...]:
        return tuple(check for check in self.checks if not check.passed)


def check_comparison(metric: str, margin: float) -> None:
    """Raise ValueError for a metric that cannot be compared or a margin outside 0..1."""
    if metric not in COMPARISON_METRICS:
        raise ValueError(UNKNOWN_METRIC.format(metric=metric, names=", ".join(COMPARISON_METRICS)))
    if not (isinstance(margin, int | float) and 0.0 <= margin <= MAX_MARGIN):
        raise ValueError(BAD_MARGIN.format(margin=margin))


def promotion_gate(candidate: Mapping[str, float] | None, *, targets: Iterable[TargetLike],
                   champion: Mapping[str, float] | None, metric: str, margin: float,
                   reasons: Mapping[str, str] | None = None, positives: Positives | None = None) -> GateDecision:
    """Return the gate's checks for a candidate's dev metrics against the targets and the champion's.

    `reasons` maps a metric key the candidate lacks (``recall[sex=X]``) to why it cannot be
    measured, which the check then says instead of only "not measured".

    >>> from core.scoping.targets import parse_target
    >>> gate = promotion_gate({"f1": 0.86}, targets=[parse_target("f1 >= 0.85")],
    ...                       champion={"f1": 0.85}, metric="f1", margin=0.01)
    >>> gate.passed, [c.condition for c in gate.checks]
    (True, ['target f1 >= 0.85', 'beats the champion'])
    """
    check_comparison(metric, margin)
    if not candidate:
        return GateDecision((GateCheck("dev evaluation", False, NO_DEV),))
    same_class = [] if positives is None else positive_checks(positives, metric, has_champion=champion is not None)
    return GateDecision((*same_class, *target_checks(candidate, targets, reasons or {}),
                         champion_check(candidate, champion, metric, margin)))


@dataclass(frozen=True)
class Positives:
    """The positive class a two-class candidate was scored with, the project's choice now, and the champion's."""

    candidate: str
    project: str
    champion: str | None = None


def positive_checks(positives: Positives, metric: str, *, has_champion: bool) -> list[GateCheck]:
    """Return a failed check for each way the candidate's precision, recall and F1 mean another class.

    Nothing when they are the project's positive class's and the champion's: the usual case adds no check.
    """
    checks = []
    if positives.candidate != positives.project:
        checks.append(GateCheck("positive class", False,
                                OTHER_POSITIVE.format(mine=positives.candidate, project=positives.project)))
    if has_champion and positives.champion not in (None, positives.candidate) and metric in POSITIVE_METRICS:
        checks.append(GateCheck("same positive class as the champion", False, CHAMPION_OTHER_POSITIVE.format(
            metric=metric, mine=positives.candidate, theirs=positives.champion)))
    return checks


def target_checks(candidate: Mapping[str, float], targets: Iterable[TargetLike],
                  reasons: Mapping[str, str] | None = None) -> list[GateCheck]:
    """Return one check per ML target (slice targets included), or a note when there are none."""
    ml_targets = [t for t in targets if t.metric in METRICS and METRICS[t.metric].kind == "ml"]
    if not ml_targets:
        return [GateCheck("targets", True, NO_TARGETS)]
    checks = []
    for result in evaluate_targets(candidate, ml_targets):
        text = target_text(result.target)
        if result.status == "not measured":
            key = metric_key(result.target.metric, result.target.slice)
            reason = (reasons or {}).get(key)
            message = (TARGET_NOT_MEASURED.format(target=text, key=key) if reason is None
                       else TARGET_UNMEASURABLE.format(target=text, reason=reason))
        else:
            message = (TARGET_MET if result.met else TARGET_NOT_MET).format(target=text, value=result.value)
        checks.append(GateCheck(f"target {text}", result.met, message))
    return checks


def champion_check(candidate: Mapping[str, float], champion: Mapping[str, float] | None, metric: str,
                   margin: float) -> GateCheck:
    """Return whether the candidate beats the champion on `metric` by at least `margin`."""
    if champion is None:
        return GateCheck("beats the champion", True, NO_CHAMPION)
    mine, theirs = _value(candidate, metric), _value(champion, metric)
    if theirs is None:
        return GateCheck("beats the champion", False, CHAMPION_UNMEASURED.format(metric=metric))
    if mine is None:
        return GateCheck("beats the champion", False, TARGET_NOT_MEASURED.format(target=metric, key=metric))
    gain = theirs - mine if metric in LOWER_IS_BETTER else mine - theirs
    passed = compare(gain, ">=", margin)  # equality within rounding: a gain of exactly the margin passes
    text = BEATS if passed else DOES_NOT_BEAT
    return GateCheck("beats the champion", passed,
                     text.format(metric=metric, gain=gain, margin=margin, mine=mine, theirs=theirs))


def _value(metrics: Mapping[str, float], metric: str) -> float | None:
    value = metrics.get(metric)
    return None if value is None or not math.isfinite(float(value)) else float(value)
