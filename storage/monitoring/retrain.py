"""Retraining that closes the loop: reference plus labelled recent windows → a new version → a run → challenger.

`prepare_retrain` writes the new dataset version (its parent the watched run's version, its rows
that version's plus the chosen windows' labelled requests, which all train; dev and test stay
the parent's, so the retrained run is scored on the same rows) and the run record (trigger
"alert" or "retrain policy", the watched run as parent), in the caller's transaction. Training
runs later, outside any transaction (`execute_retrain`, in a background job); when it finishes,
the run is handed to the Deployment page as the challenger, and under the automatic policy a
shadow or canary of it starts at once. Every step is on the project timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from core.deployment.automation import AutomationSetting
from core.deployment.plans import RolloutSettings
from core.modeling.training import TrainingConfig
from storage.data.datasets import (
    add_dataset_version, get_dataset, load_frame, load_ground_truth, load_split, save_split,
)
from storage.data.tables import Split
from storage.db import session_scope
from storage.deployment.deployments import (
    PreparedDeployment, execute_deployment, get_deployment, prepare_deployment, start_deployment,
)
from storage.deployment.sides import StreamChoice
from storage.deployment.tables import deployment_label
from storage.fields import utc_now
from storage.modeling.execution import PreparedRun, execute_run, launch_run, prepare_run
from storage.modeling.registry import PromotionRefused, promote
from storage.modeling.runs import get_run, run_label
from storage.modeling.tables import Run
from storage.monitoring.settings import retrain_policy
from storage.monitoring.sources import MonitoredData
from storage.monitoring.tables import Alert, AlertRule
from storage.project.projects import log_event

TRIGGERS = ("alert", "retrain policy")
NO_WINDOWS = "Choose at least one window whose labels have arrived to add to the training data."
NO_LABELS = ("Window {window} has no labels yet (a label arrives {delay:g} hours after its request). "
             "Choose earlier windows.")
NO_SPLIT = "{run}'s split no longer exists, so the retrained run could not be scored on the same rows."


@dataclass(frozen=True, eq=False)
class Retrain:
    """What a retrain made: the new dataset version, the run record and its prepared inputs."""

    dataset_id: int
    version: str
    run: Run
    prepared: PreparedRun
    rows_added: int


def labelled_rows(data: MonitoredData, positions, label: str, delay_hours: float) -> pd.DataFrame:
    """Return a window's requests whose labels have arrived, with the label in the target column."""
    target = data.target
    arrived = data.labels.iloc[positions].notna().to_numpy()
    if not arrived.any():
        raise ValueError(NO_LABELS.format(window=label, delay=delay_hours))
    rows = data.rows.iloc[positions][arrived].copy()
    if target not in rows:  # streams carry their labels; the arrived ones are the same values
        rows[target] = data.labels.iloc[positions][arrived].to_numpy()
    return rows


def prepare_retrain(session: Session, *, data: MonitoredData, windows: Sequence, trigger: str,
                    alert_id: int | None = None, actor: str = "analyst") -> Retrain:
    """Write the retraining set as a new dataset version and the run record; raise ValueError (nothing kept)."""
    if not windows:
        raise ValueError(NO_WINDOWS)
    delay = RolloutSettings.from_dict(data.deployment.plan).label_delay_hours
    added = pd.concat([labelled_rows(data, w.positions, w.label, delay) for w in windows])
    parent = get_dataset(session, data.run.dataset_id)
    frame = load_frame(session, parent.id)
    added = added.reindex(columns=frame.columns)
    added.index = pd.RangeIndex(int(frame.index.max()) + 1, int(frame.index.max()) + 1 + len(added),
                                name=frame.index.name)
    # In words, not ids: the record travels in the version's ground truth, which an import copies as is.
    record = {"deployment": deployment_label(data.deployment), "windows": [w.label for w in windows],
              "rows_added": len(added), "alert": _alert_text(session, alert_id), "parent_run": run_label(data.run),
              "trigger": trigger}
    dataset = add_dataset_version(
        session, project_id=parent.project_id, name=parent.name, frame=pd.concat([frame, added]),
        source=parent.source, column_kinds=parent.column_kinds, roles=parent.roles,
        ground_truth={**load_ground_truth(session, parent.id), "retrain": record}, parent_id=parent.id,
        actor=actor, note=f"retraining set: {run_label(data.run)}'s data plus {len(added):,} labelled requests")
    _inherit_split(session, data.run, dataset.id, added.index, actor)
    prepared = prepare_run(session, dataset_id=dataset.id, config=TrainingConfig.from_dict(data.run.config))
    run = launch_run(session, prepared=prepared, actor=actor, parent_run_id=data.run.id, trigger=trigger,
                     notes=f"retrained from monitoring of {deployment_label(data.deployment)} on "
                           f"{', '.join(record['windows'])}")
    log_event(session, project_id=parent.project_id, actor=actor, action="started retraining",
              details={"run": run_label(run), "parent": run_label(data.run), "trigger": trigger,
                       "dataset": f"{dataset.name} v{dataset.version}", "rows added": len(added),
                       "windows": record["windows"], "deployment": deployment_label(data.deployment)})
    return Retrain(dataset.id, f"{dataset.name} v{dataset.version}", run, prepared, len(added))


def _alert_text(session: Session, alert_id: int | None) -> str | None:
    """Return the alert as its rule and window say it ("f1 >= 0.8 broken in 2024-03"), or None without one."""
    alert = session.get(Alert, alert_id) if alert_id is not None else None
    if alert is None:
        return None
    rule = session.get(AlertRule, alert.rule_id)
    return f"{rule.metric} {rule.comparator} {rule.threshold:g} broken in {alert.window_label}"


def _inherit_split(session: Session, run: Run, dataset_id: int, added: pd.Index, actor: str) -> None:
    split = session.get(Split, run.split_id) if run.split_id is not None else None
    if split is None:
        raise ValueError(NO_SPLIT.format(run=run_label(run)))
    assignment = load_split(split)
    extended = pd.concat([assignment, pd.Series("train", index=added, name=assignment.name)])
    save_split(session, dataset_id=dataset_id, assignment=extended, strategy="inherited", seed=split.seed,
               fractions=tuple(split.fractions), actor=actor)


def execute_retrain(engine: Engine, *, run_id: int, prepared: PreparedRun, deployment_id: int,
                    rollout: str | None = None, actor: str = "analyst", progress: Callable | None = None,
                    should_stop: Callable | None = None) -> str:
    """Train the run; once finished, hand it over as challenger (and, under the policy, start its rollout)."""
    status = execute_run(engine, run_id=run_id, prepared=prepared, progress=progress, should_stop=should_stop)
    if status != "finished":
        return status
    with session_scope(engine) as session:
        handed = hand_over(session, run_id=run_id, actor=actor)
    if handed and rollout is not None:
        start_rollout(engine, run_id=run_id, deployment_id=deployment_id, mode=rollout, actor=actor)
    return status


def hand_over(session: Session, *, run_id: int, actor: str = "analyst") -> bool:
    """Make a finished retrained run the project's challenger (logged); False when the gate refuses."""
    run = get_run(session, run_id)
    try:
        promote(session, project_id=run.project_id, run_id=run_id, alias="challenger", actor=actor)
    except PromotionRefused as refused:
        log_event(session, project_id=run.project_id, actor=actor, action="retrained run not handed over",
                  details={"run": run_label(run), "reason": str(refused)})
        return False
    log_event(session, project_id=run.project_id, actor=actor, action="handed retrained run to deployment",
              details={"run": run_label(run), "as": "challenger"})
    return True


def prepare_rollout(session: Session, *, run_id: int, deployment_id: int, mode: str, actor: str) -> PreparedDeployment:
    """Return a checked shadow or canary of the retrained run against the champion, on the monitored stream."""
    run = get_run(session, run_id)
    watched = get_deployment(session, deployment_id, project_id=run.project_id)
    return prepare_deployment(session, project_id=run.project_id, case="replacing",
                              champion_choice=f"run:{run.parent_run_id}", candidate_run_id=run_id,
                              stream_choice=StreamChoice(**watched.stream),
                              settings=RolloutSettings.from_dict({**watched.plan, "mode": mode}),
                              automation=AutomationSetting.from_dict(watched.automation))


def start_rollout(engine: Engine, *, run_id: int, deployment_id: int, mode: str, actor: str) -> str:
    """Prepare, record and replay a rollout of the retrained run (the policy's automatic step); return its status."""
    with session_scope(engine) as session:
        prepared = prepare_rollout(session, run_id=run_id, deployment_id=deployment_id, mode=mode, actor=actor)
        row = start_deployment(session, prepared=prepared, actor=actor)
        new_id = row.id
    return execute_deployment(engine, deployment_id=new_id, prepared=prepared)


POLICY_TRIGGER = "retrain policy"


def policy_runs_in_period(session: Session, project_id: int, period_days: int) -> int:
    """Return how many runs the automatic policy started within the last `period_days` days."""
    since = utc_now() - timedelta(days=period_days)
    return int(session.exec(select(func.count()).select_from(Run).where(
        Run.project_id == project_id, Run.trigger == POLICY_TRIGGER, Run.created_at >= since)).one())


def policy_retrain(session: Session, *, data: MonitoredData, windows: Sequence, alert_kinds: Sequence[str],
                   alert_id: int | None) -> Retrain | None:
    """Retrain under the project's policy when a new alert's kind is chosen and the cap allows; log either way."""
    policy = retrain_policy(session, data.deployment.project_id)
    fired = sorted(set(alert_kinds) & set(policy.alert_kinds))
    if not policy.enabled or not fired:
        return None
    project_id = data.deployment.project_id
    if policy_runs_in_period(session, project_id, policy.period_days) >= policy.max_runs:
        log_event(session, project_id=project_id, actor=POLICY_TRIGGER, action="automatic retraining held back",
                  details={"alert kinds": fired, "cap": f"{policy.max_runs} per {policy.period_days} days"})
        return None
    labelled = [w for w in windows if data.labels.iloc[w.positions].notna().any()][-policy.recent_windows:]
    if not labelled:
        log_event(session, project_id=project_id, actor=POLICY_TRIGGER, action="automatic retraining held back",
                  details={"alert kinds": fired, "reason": "no window has labels yet"})
        return None
    log_event(session, project_id=project_id, actor=POLICY_TRIGGER, action="automatic retraining fired",
              details={"alert kinds": fired, "deployment": deployment_label(data.deployment),
                       "rollout": policy.rollout})
    return prepare_retrain(session, data=data, windows=labelled, trigger=POLICY_TRIGGER, alert_id=alert_id,
                           actor=POLICY_TRIGGER)


def retrained_runs(session: Session, parent_run_id: int) -> list[Run]:
    """Return the runs retrained from monitoring with this parent, newest first."""
    query = select(Run).where(Run.parent_run_id == parent_run_id, col(Run.trigger).in_(TRIGGERS))
    return list(session.exec(query.order_by(col(Run.id).desc())))
