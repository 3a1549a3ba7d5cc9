"""What only the model card says, in sentences: intended use, limitations, monitoring plan, sign-off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.report.document import CardFacts
from core.report.later import AuditInputs
from core.report.operations import MonitoringInputs
from core.scoping.targets import TargetResult, target_text

INTENDED_USE = (("problem.statement", "Problem"), ("problem.owner", "Owner"), ("solutions.choice", "Solution chosen"),
                ("value.business_metric", "Business metric"), ("value.ml_metric", "ML metric"))
NOT_ANSWERED = "{label}: not answered at scoping (the Scoping page asks for it)."
NOT_SIGNED = "Not signed off: no fairness audit has been signed by a reviewer (the Fairness audit page)."


@dataclass(frozen=True)
class CardInputs:
    answers: Mapping[str, str]  # checklist item key -> answer text
    results: Sequence[TargetResult]
    major_slices: Sequence[str]  # names of slices with a major gap
    audit: AuditInputs | None
    monitoring: MonitoringInputs
    test_looks: int
    has_champion: bool


def card_facts(inputs: CardInputs) -> CardFacts:
    """Return the model card's own sentences from the gathered facts."""
    return CardFacts(intended_use(inputs.answers), limitations(inputs), monitoring_plan(inputs), sign_off(inputs.audit))


def intended_use(answers: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(f"{label}: {answers[key].strip()}" if answers.get(key, "").strip()
                 else NOT_ANSWERED.format(label=label) for key, label in INTENDED_USE)


def limitations(inputs: CardInputs) -> tuple[str, ...]:
    """Return what the model is known not to do: missed targets, weak slices, flagged groups, open checks."""
    lines = [f"Target {target_text(r.target)} is {r.status}" + (f" (measured {r.value:.3f})." if r.value is not None
                                                                 else ".")
             for r in inputs.results if r.status != "met"]
    if not inputs.results:
        lines.append("No scoping target is set, so nothing says what the model must reach.")
    lines += [f"Slice with a major gap to the baseline: {name}." for name in inputs.major_slices]
    if inputs.audit is not None:
        lines += [f"Fairness: {attribute}={group} is outside the four-fifths band in the latest audit."
                  for attribute, result in inputs.audit.results.items() for group in result.get("flagged", [])]
    failure = inputs.answers.get("ethics.failure_modes", "").strip()
    lines += [f"Known failure modes (scoping): {failure}"] if failure else []
    if inputs.has_champion and not inputs.test_looks:
        lines.append("The champion's performance on the held-back test split has not been looked at.")
    return tuple(lines) or ("None recorded: every target is met and no slice or group is flagged.",)


def monitoring_plan(inputs: CardInputs) -> tuple[str, ...]:
    """Return the targets production is held to and where monitoring stands."""
    held = [f"Hold the model to {target_text(r.target)}." for r in inputs.results]
    status = ("Monitoring is running: " + f"{len(inputs.monitoring.open_alerts):,} open alerts."
              if inputs.monitoring.monitored else f"Monitoring: {inputs.monitoring.reason}")
    return (*held, status) if held else ("No scoping target is set for monitoring to hold the model to.", status)


def sign_off(audit: AuditInputs | None) -> tuple[str, ...]:
    if audit is None or audit.signed_at is None:
        return (NOT_SIGNED,)
    lines = [f"Decision: {audit.decision}", f"Reviewer: {audit.reviewer}",
             f"Signed: {audit.signed_at:%Y-%m-%d %H:%M} UTC ({audit.label})", f"Comments: {audit.comments or '—'}"]
    if audit.stale:
        lines.append("Stale: " + "; ".join(audit.stale) + ".")
    return tuple(lines)
