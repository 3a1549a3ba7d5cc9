"""The model registry: champion and challenger aliases per project, and promotions through the gate."""

from typing import Literal, get_args

import pandas as pd
from sqlmodel import Session, col, select

from core.modeling.promotion import GateDecision, Positives, check_comparison, promotion_gate
from core.scoping.slices import split_slice
from core.scoping.targets import TargetLike, metric_key
from storage.data.tables import Dataset
from storage.modeling.tables import Promotion, RegistryAlias, Run
from storage.fields import utc_now
from storage.project.projects import log_event
from storage.modeling.runs import get_run, list_runs, run_label
from storage.db import insert_ignoring_conflicts
from storage.scoping.positive import positive_of
from storage.scoping.records import list_targets
from storage.scoping.slices import data_slice_problem, newest_versions

Alias = Literal["champion", "challenger"]
# What a promotion record says about the gate: only a champion goes through it.
GateOutcome = Literal["passed", "overridden", "not gated"]
MIN_REASON = 10
NOT_GATED = "not gated: a challenger needs only a dev evaluation"

UNKNOWN_ALIAS = "“{alias}” is not an alias; use champion or challenger."
ALREADY = "{run} is already the {alias}."
GATE_FAILED = (
    "{run} did not pass the gate: {failures} Fix those, or promote it anyway with a reason "
    "(at least {n} characters) that will be logged."
)
SLICE_CHANGE = "{problem} Change the target on the Scoping page."
SLICE_NO_DEV_ROWS = (
    "its dev split has no rows with {slice}, so there is nothing to score. Split the data so that dev holds "
    "that group, or change the target."
)
SLICE_NOT_SCORED = (
    "it was trained before a target named column “{column}”, so it has no scores per {column} value. "
    "Train it again (Runs tab, “Train again with this config”) to score that slice."
)
NO_DEV_OVERRIDE = "{run} has no dev evaluation, so it cannot be promoted, even with a reason."


class PromotionRefused(ValueError):
    """A promotion was refused; the message says which gate condition failed and how to go on."""


def aliases(session: Session, project_id: int) -> dict[str, Run]:
    """Return alias -> the run holding it, for the aliases set in the project."""
    rows = session.exec(select(RegistryAlias).where(RegistryAlias.project_id == project_id)).all()
    return {row.alias: get_run(session, row.run_id) for row in rows}


def gate_for(session: Session, *, project_id: int, run_id: int, metric: str, margin: float) -> GateDecision:
    """Return the gate's decision for making the run champion (nothing is written)."""
    run = get_run(session, run_id, project_id=project_id)
    champion = aliases(session, project_id).get("champion")
    champion_metrics = champion.metrics.get("dev") if champion is not None and champion.id != run_id else None
    targets = list_targets(session, project_id)
    return promotion_gate(run.metrics.get("dev") if run.status == "finished" else None, targets=targets,
                          champion=champion_metrics, metric=metric, margin=margin,
                          reasons=unmeasured_slice_reasons(session, run, targets),
                          positives=run_positives(session, run, champion))


def scored_positive(run: Run | None) -> str | None:
    """Return the class whose precision, recall and F1 a finished two-class run reports (its last class), else None."""
    classes = (run.details or {}).get("classes", []) if run is not None else []
    return str(classes[-1]) if len(classes) == 2 else None


def run_positives(session: Session, run: Run, champion: Run | None) -> Positives | None:
    """Return the positive classes the gate compares for a two-class run, or None."""
    mine = scored_positive(run)
    if mine is None:
        return None
    dataset = session.get(Dataset, run.dataset_id) if run.dataset_id is not None else None
    target = (dataset.roles or {}).get("target") if dataset is not None else None
    project = positive_of(session, project_id=run.project_id, target=target, classes=sorted_names(run))
    return Positives(mine, str(project), scored_positive(champion) if champion is not None and champion.id != run.id
                     else None)


def sorted_names(run: Run) -> list:
    """Return a run's classes in sorted order (as the default reads them), whatever order it scored them in."""
    return sorted(run.details["classes"], key=lambda c: (isinstance(c, str), c))


def unmeasured_slice_reasons(session: Session, run: Run, targets: list[TargetLike]) -> dict[str, str]:
    """Return metric key -> why the run has no score for a slice target: the data, the split or its age."""
    dev = run.metrics.get("dev") or {}
    trained_on = session.get(Dataset, run.dataset_id) if run.dataset_id is not None else None
    datasets = [trained_on] if trained_on is not None else newest_versions(session, run.project_id)
    reasons = {}
    for target in targets:
        key = metric_key(target.metric, target.slice)
        if target.slice and key not in dev:
            problem = data_slice_problem(session, target.slice, datasets)
            reasons[key] = SLICE_CHANGE.format(problem=problem) if problem else not_scored_reason(target.slice, dev)
    return reasons


def not_scored_reason(slice: str, dev: dict) -> str:
    """Return why a run lacks a score for a slice the data holds: no such dev rows, or trained before the target."""
    column, _ = split_slice(slice)
    if any(f"[{column}=" in key for key in dev):
        return SLICE_NO_DEV_ROWS.format(slice=slice)
    return SLICE_NOT_SCORED.format(column=column)


def promote(session: Session, *, project_id: int, run_id: int, alias: Alias = "champion", metric: str = "f1",
            margin: float = 0.0, override_reason: str = "", actor: str = "analyst") -> Promotion:
    """Return the recorded promotion of a run to an alias.

    Champion needs the gate passed, or an override reason; challenger needs a dev evaluation only.
    Raises PromotionRefused naming every failed condition.
    """
    if alias not in get_args(Alias):
        raise PromotionRefused(UNKNOWN_ALIAS.format(alias=alias))
    check_comparison(metric, margin)
    run = get_run(session, run_id, project_id=project_id)
    held = aliases(session, project_id)
    if alias in held and held[alias].id == run_id:
        raise PromotionRefused(ALREADY.format(run=run_label(run), alias=alias))
    decision = gate_for(session, project_id=project_id, run_id=run_id, metric=metric, margin=margin)
    reason = " ".join(override_reason.split())
    _check_decision(run_label(run), alias, decision, reason)
    previous = held.get(alias)
    _set_alias(session, project_id=project_id, alias=alias, run_id=run_id, actor=actor)
    if alias == "champion" and held.get("challenger") is not None and held["challenger"].id == run_id:
        _drop_alias(session, project_id=project_id, alias="challenger")
    return _record(session, run, alias, previous, decision, reason, actor)


def _check_decision(run: str, alias: str, decision: GateDecision, reason: str) -> None:
    if any(check.condition == "dev evaluation" for check in decision.failures):
        raise PromotionRefused(NO_DEV_OVERRIDE.format(run=run))
    if alias == "champion" and not decision.passed and len(reason) < MIN_REASON:
        failures = " ".join(check.message for check in decision.failures)
        raise PromotionRefused(GATE_FAILED.format(run=run, failures=failures, n=MIN_REASON))


def _set_alias(session: Session, *, project_id: int, alias: str, run_id: int, actor: str) -> None:
    # Another tab may set the same alias at once: insert-or-ignore, then move the row that won.
    session.execute(insert_ignoring_conflicts(session, RegistryAlias).values(
        project_id=project_id, alias=alias, run_id=run_id, actor=actor, set_at=utc_now()))
    row = session.exec(select(RegistryAlias).where(RegistryAlias.project_id == project_id,
                                                   RegistryAlias.alias == alias)).one()
    row.run_id, row.actor, row.set_at = run_id, actor, utc_now()
    session.add(row)
    session.flush()


def _drop_alias(session: Session, *, project_id: int, alias: str) -> None:
    row = session.exec(select(RegistryAlias).where(RegistryAlias.project_id == project_id,
                                                   RegistryAlias.alias == alias)).first()
    if row is not None:
        session.delete(row)
        session.flush()


def _record(session: Session, run: Run, alias: str, previous: Run | None, decision: GateDecision, reason: str,
            actor: str) -> Promotion:
    gate = gate_outcome(alias, decision)
    row = Promotion(project_id=run.project_id, run_id=run.id, alias=alias,
                    previous_run_id=previous.id if previous is not None else None, gate=gate,
                    checks=[{"condition": c.condition, "passed": c.passed, "message": c.message}
                            for c in decision.checks],
                    override_reason=reason if gate == "overridden" else "", actor=actor)
    session.add(row)
    session.flush()
    details = {"run": run_label(run), "alias": alias, "gate": gate_words(row.gate, row.checks)}
    if previous is not None:
        details["replaced"] = run_label(previous)
    if row.override_reason:
        details["reason"] = row.override_reason
    log_event(session, project_id=run.project_id, actor=actor, action=f"promoted run to {alias}", details=details)
    return row


def gate_outcome(alias: str, decision: GateDecision) -> GateOutcome:
    """Return what the gate did for a promotion: a champion passed or was overridden; a challenger is not gated."""
    if alias != "champion":
        return "not gated"
    return "passed" if decision.passed else "overridden"


def gate_words(gate: str, checks: list[dict]) -> str:
    """Return the gate outcome in words with the count of checks behind it, claiming no check that failed.

    >>> gate_words("not gated", [{"passed": True}, {"passed": False}])
    'not gated: a challenger needs only a dev evaluation (the gate would fail 1 of 2 checks)'
    """
    failed, total = sum(not c["passed"] for c in checks), len(checks)
    if gate == "passed":
        return f"passed ({_of(total, total)})"
    if gate == "overridden":
        return f"failed {_of(failed, total)}, overridden"
    would = f"would fail {_of(failed, total)}" if failed else f"would pass {_of(total, total)}"
    return f"{NOT_GATED} (the gate {would})"


def _of(count: int, total: int) -> str:
    return f"{count} of {total} check{'' if total == 1 else 's'}"


def promotions_frame(session: Session, project_id: int) -> pd.DataFrame:
    """Return the project's promotion decisions, newest first."""
    rows = session.exec(select(Promotion).where(Promotion.project_id == project_id)
                        .order_by(col(Promotion.id).desc())).all()
    names = {run.id: run_label(run) for run in list_runs(session, project_id)}
    return pd.DataFrame([{"when": p.t, "run": names.get(p.run_id), "alias": p.alias,
                          "replaced": names.get(p.previous_run_id, ""),
                          "gate": gate_words(p.gate, p.checks), "reason": p.override_reason,
                          "who": p.actor} for p in rows],
                        columns=["when", "run", "alias", "replaced", "gate", "reason", "who"])
