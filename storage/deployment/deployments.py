"""Deployments: prepare and check a replay, start it, carry it out outside any transaction, record the outcome.

`prepare_deployment` loads and checks everything (the two sides, the stream, the settings) and
writes nothing, so a bad choice leaves no half-started deployment. `execute_deployment` replays
without holding a transaction and records the outcome in one: status, events, the windows'
aggregates and the sample. A candidate that completes a canary or blue-green rollout is
promoted to champion through the registry's gate; when the gate refuses, the page offers the
same logged override as the Experiments page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from core.deployment.automation import AutomationSetting, check_setting
from core.deployment.plans import Case, RolloutSettings, check_settings, recommended_path
from core.deployment.replay import Progress, ReplayOutcome, StopCheck
from core.deployment.rollouts import replay
from core.deployment.servers import Server, check_compatible
from core.deployment.streams import Stream
from storage.data.datasets import frame_to_parquet
from storage.db import session_scope
from storage.deployment.sides import (
    champion_run,
    SAME_SIDES,
    StreamChoice,
    build_stream,
    human_accuracy,
    run_server,
    running_side,
    training_dataset,
)
from storage.deployment.tables import (
    Deployment,
    DeploymentEvent,
    DeploymentSample,
    DeploymentWindow,
    deployment_label,
)
from storage.fields import utc_now
from storage.modeling.registry import PromotionRefused, aliases, promote
from storage.modeling.runs import get_run, run_label
from storage.project.projects import log_event, take_number
from storage.scoping.records import list_targets

INTERRUPTED = "The app stopped while this replay ran, so it never finished. Start it again."
DEPLOYMENT_MISSING = "The chosen deployment does not exist in this project. Pick one from the list."
NOT_DECIDABLE = (
    "{deployment} is {status}; only a paused or completed one (or, to roll back, a promoted one) "
    "can be {action} by hand."
)
NOTHING_TO_PROMOTE = "{deployment}'s candidate is already the champion."
PROMOTING_STATUSES = ("completed",)
STREAM_LACKS = (
    "The stream lacks the columns {columns} that {name} reads: it was trained on a different schema. Pick a "
    "candidate trained on the champion's columns."
)


@dataclass(frozen=True, eq=False)
class PreparedDeployment:
    """A checked replay: the case, both sides, the stream and the settings; nothing stored yet."""

    project_id: int
    case: Case
    champion_choice: str
    candidate_run_id: int
    champion: Server
    candidate: Server
    stream: Stream
    stream_choice: StreamChoice
    settings: RolloutSettings
    automation: AutomationSetting
    targets: tuple


def prepare_deployment(session: Session, *, project_id: int, case: Case, champion_choice: str, candidate_run_id: int,
                       stream_choice: StreamChoice, settings: RolloutSettings,
                       automation: AutomationSetting | None = None) -> PreparedDeployment:
    """Return a checked replay; raise ValueError naming the problem (nothing is written)."""
    recommended_path(case)
    settings, automation = check_settings(settings), check_setting(automation or AutomationSetting())
    get_run(session, candidate_run_id, project_id=project_id)
    if champion_choice == f"run:{candidate_run_id}":
        raise ValueError(SAME_SIDES.format(run=run_label(get_run(session, candidate_run_id, project_id=project_id))))
    candidate = run_server(session, candidate_run_id, project_id)
    dataset = training_dataset(session, champion_run(session, project_id))  # the data the stream continues
    champion = running_side(session, project_id=project_id, choice=champion_choice, classes=candidate.classes,
                            dataset=dataset, seed=settings.seed)
    check_compatible(champion, candidate)
    stream = build_stream(session, dataset, stream_choice)
    missing = [c for c in candidate.columns + champion.columns if c not in stream.frame.columns]
    if missing:
        raise ValueError(STREAM_LACKS.format(name=candidate.name, columns=", ".join(dict.fromkeys(missing))))
    if automation.level != "full_automation" and automation.human_accuracy is None:
        automation = AutomationSetting(**{**automation.to_dict(), "human_accuracy": human_accuracy(session, project_id)})
    return PreparedDeployment(project_id, case, champion_choice, candidate_run_id, champion, candidate, stream,
                              stream_choice, settings, automation, tuple(list_targets(session, project_id)))


def start_deployment(session: Session, *, prepared: PreparedDeployment, actor: str = "analyst") -> Deployment:
    """Return the new deployment record, status "running"."""
    champion_run = (int(prepared.champion_choice.removeprefix("run:"))
                    if prepared.champion_choice.startswith("run:") else None)
    row = Deployment(project_id=prepared.project_id, number=take_number(session, Deployment, prepared.project_id),
                     case=prepared.case, mode=prepared.settings.mode,
                     champion=prepared.champion_choice, champion_run_id=champion_run,
                     challenger_run_id=prepared.candidate_run_id, stream=prepared.stream_choice.to_dict(),
                     plan=prepared.settings.to_dict(), automation=prepared.automation.to_dict(), actor=actor)
    session.add(row)
    session.flush()
    log_event(session, project_id=prepared.project_id, actor=actor, action="started deployment replay",
              details={"deployment": deployment_label(row), "mode": row.mode, "candidate": prepared.candidate.name,
                       "against": prepared.champion.name})
    return row


def execute_deployment(engine: Engine, *, deployment_id: int, prepared: PreparedDeployment,
                       progress: Progress | None = None, should_stop: StopCheck | None = None) -> str:
    """Replay, then record the outcome in one transaction; return the final status."""
    try:
        outcome = replay(prepared.stream, prepared.champion, prepared.candidate, prepared.settings,
                         automation=prepared.automation, targets=prepared.targets, progress=progress,
                         should_stop=should_stop)
    except Exception as error:  # noqa: BLE001 — a replay fails in many ways; each is recorded, none is lost
        with session_scope(engine) as session:
            _close(session, deployment_id, "failed", f"{type(error).__name__}: {error}")
        return "failed"
    with session_scope(engine) as session:
        return record_outcome(session, deployment_id=deployment_id, outcome=outcome, prepared=prepared)


def record_outcome(session: Session, *, deployment_id: int, outcome: ReplayOutcome,
                   prepared: PreparedDeployment) -> str:
    """Store a replay's events, windows and sample; promote a candidate that completed its rollout."""
    row = session.get(Deployment, deployment_id)
    for event in outcome.events:
        _add_event(session, row, event)
    _store_log(session, row, outcome)
    row.status, row.share, row.finished_at = outcome.status, outcome.share, utc_now()
    row.summary = _summary(outcome)
    session.add(row)
    log_event(session, project_id=row.project_id, actor=row.actor, action=f"deployment replay {outcome.status}",
              details={"deployment": deployment_label(row), "mode": row.mode, "share": outcome.share})
    if outcome.status in PROMOTING_STATUSES and row.mode != "shadow":
        try_promotion(session, row)
    return row.status


def _add_event(session: Session, row: Deployment, event: dict) -> None:
    details = {k: v for k, v in event.items() if k not in ("t", "request", "kind")}
    session.add(DeploymentEvent(project_id=row.project_id, deployment_id=row.id, t=_stream_time(event["t"]),
                                request=int(event["request"]), kind=event["kind"], details=details))


def _stream_time(text: str) -> datetime:
    """Return a stream time as a UTC datetime to the second (streams carry naive times, read as UTC)."""
    stamp = pd.Timestamp(text).floor("s")
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).to_pydatetime()


def _store_log(session: Session, row: Deployment, outcome: ReplayOutcome) -> None:
    for window in outcome.log.windows:
        session.add(DeploymentWindow(project_id=row.project_id, deployment_id=row.id, number=window["index"],
                                     start=_stream_time(window["start"]), end=_stream_time(window["end"]),
                                     n=window["n"], aggregates=window))
    sample = outcome.log.sample_frame()
    sample.columns = [str(c) for c in sample.columns]
    session.add(DeploymentSample(project_id=row.project_id, deployment_id=row.id, n_rows=len(sample),
                                 parquet=frame_to_parquet(sample.astype({c: str for c in _mixed(sample)}))))


def _mixed(sample) -> list[str]:
    # Prediction columns mix None with class values; text keeps them one Parquet type.
    return [c for c in ("prediction", "label", "champion_prediction", "challenger_prediction") if c in sample]


def _summary(outcome: ReplayOutcome) -> dict:
    windows = outcome.log.windows
    served = {arm: sum(w["n_by_arm"][arm] for w in windows) for arm in ("champion", "challenger")}
    return {"requests": sum(w["n"] for w in windows), "served": served,
            "to_human": sum(w["n_to_human"] for w in windows), "failed": sum(w["n_failed"] for w in windows),
            "windows": len(windows), "sample_rows": int(sum(len(s) for s in outcome.log.samples))}


def try_promotion(session: Session, row: Deployment, *, reason: str = "", actor: str | None = None) -> bool:
    """Promote the candidate to champion through the gate (or a logged reason); record the event either way."""
    actor = actor or row.actor
    held = aliases(session, row.project_id)
    if "champion" in held and held["champion"].id == row.challenger_run_id:
        _event_now(session, row, "promotion skipped", note="The candidate already is the champion.")
        return False
    try:
        promoted = promote(session, project_id=row.project_id, run_id=row.challenger_run_id, alias="champion",
                           override_reason=reason, actor=actor)
    except PromotionRefused as refused:
        _event_now(session, row, "promotion blocked by the gate", message=str(refused))
        return False
    _event_now(session, row, "promoted", run=_candidate_label(session, row),
               gate="passed" if promoted.gate_passed else "overridden", reason=promoted.override_reason)
    row.status = "promoted"
    session.add(row)
    return True


def _candidate_label(session: Session, row: Deployment) -> str:
    return run_label(get_run(session, row.challenger_run_id, project_id=row.project_id))


def _event_now(session: Session, row: Deployment, kind: str, **details) -> None:
    last = session.exec(select(DeploymentEvent).where(DeploymentEvent.deployment_id == row.id)
                        .order_by(col(DeploymentEvent.id).desc())).first()
    session.add(DeploymentEvent(project_id=row.project_id, deployment_id=row.id,
                                t=last.t if last is not None else utc_now(),
                                request=last.request if last is not None else 0, kind=kind, details=details))
    session.flush()


def promote_by_hand(session: Session, *, project_id: int, deployment_id: int, reason: str,
                    actor: str = "analyst") -> bool:
    """Promote a paused or completed deployment's candidate (through the gate, or with a logged reason)."""
    row = get_deployment(session, deployment_id, project_id=project_id)
    _check_decidable(row, "promoted")
    if "champion" in (held := aliases(session, project_id)) and held["champion"].id == row.challenger_run_id:
        raise ValueError(NOTHING_TO_PROMOTE.format(deployment=deployment_label(row)))
    promote(session, project_id=project_id, run_id=row.challenger_run_id, alias="champion",
            override_reason=reason, actor=actor)  # PromotionRefused names every failed gate condition
    row.status, row.share = "promoted", 100.0
    session.add(row)
    _event_now(session, row, "promoted by hand", run=_candidate_label(session, row), reason=" ".join(reason.split()))
    return True


def roll_back_by_hand(session: Session, *, project_id: int, deployment_id: int, actor: str = "analyst") -> Deployment:
    """Send all traffic back to the running side; after a promotion the running run is champion again (logged)."""
    row = get_deployment(session, deployment_id, project_id=project_id)
    _check_decidable(row, "rolled back", also=("promoted",))
    held = aliases(session, project_id)
    if row.status == "promoted" and row.champion_run_id is not None and (
            "champion" not in held or held["champion"].id != row.champion_run_id):
        promote(session, project_id=project_id, run_id=row.champion_run_id, alias="champion", actor=actor,
                override_reason=f"Rollback of {deployment_label(row)}: the running side serves again")
    row.status, row.share = "rolled_back", 0.0
    session.add(row)
    _event_now(session, row, "rolled back by hand", note="All traffic is back on the running side.")
    log_event(session, project_id=project_id, actor=actor, action="rolled back deployment",
              details={"deployment": deployment_label(row)})
    return row


def _check_decidable(row: Deployment, action: str, also: tuple[str, ...] = ()) -> None:
    if row.status not in ("paused", "completed", *also):
        raise ValueError(NOT_DECIDABLE.format(deployment=deployment_label(row), status=row.status.replace("_", " "),
                                              action=action))


def _close(session: Session, deployment_id: int, status: str, error: str) -> None:
    row = session.get(Deployment, deployment_id)
    row.status, row.error, row.finished_at = status, error, utc_now()
    session.add(row)
    log_event(session, project_id=row.project_id, actor=row.actor, action=f"deployment replay {status}",
              details={"deployment": deployment_label(row), **({"error": error[:200]} if error else {})})


def get_deployment(session: Session, deployment_id: int, *, project_id: int) -> Deployment:
    row = session.get(Deployment, deployment_id)
    if row is None or row.project_id != project_id:
        raise ValueError(DEPLOYMENT_MISSING)
    return row


def list_deployments(session: Session, project_id: int) -> list[Deployment]:
    """Return the project's deployments, newest first."""
    return list(session.exec(select(Deployment).where(Deployment.project_id == project_id)
                             .order_by(col(Deployment.id).desc())))


def mark_interrupted_deployments(session: Session) -> int:
    """Mark replays left "running" by a stopped server as interrupted; return how many there were."""
    stale = session.exec(select(Deployment).where(Deployment.status == "running")).all()
    for row in stale:
        row.status, row.error, row.finished_at = "interrupted", INTERRUPTED, utc_now()
        session.add(row)
    return len(stale)
