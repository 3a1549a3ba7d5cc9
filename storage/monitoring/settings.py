"""A deployment's monitoring settings and the project's automatic retraining policy: read, check, save."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from storage.deployment.log import label_of
from storage.fields import utc_now
from storage.monitoring.tables import MonitoringSetting, RetrainPolicy
from storage.project.projects import log_event

WINDOWINGS = ("chunks", "day", "week", "month")
ALERT_KINDS = ("data drift", "input quality", "output", "performance", "software")
ROLLOUTS = ("shadow", "canary")
BAD_WINDOWING = "“{by}” is not a windowing; choose one of: chunks, day, week, month."
BAD_CHUNKS = "Cut the stream into 2 to 100 chunks; {n} is not possible."
BAD_SHARE = "The dataset-drift share is a share of the columns between 0 and 1 (for example 0.5); {value} is not one."
BAD_KINDS = "“{kind}” is not a kind of alert; choose from: " + ", ".join(ALERT_KINDS) + "."
BAD_CAP = "The policy may retrain 1 to 20 times per 1 to 90 days; {runs} per {days} days is not possible."
BAD_ROLLOUT = "A retrained model starts as a shadow or a canary; “{rollout}” is neither."
BAD_RECENT = "Add 1 to 50 recent labelled windows to the reference; {n} is not possible."


@dataclass(frozen=True)
class WindowSettings:
    """How to cut the stream into windows and judge drift."""

    by: str = "chunks"
    n_chunks: int = 10
    methods: dict[str, str] = field(default_factory=dict)
    share_threshold: float = 0.5

    def key(self) -> tuple:
        """Return a hashable identity, for caches."""
        return self.by, self.n_chunks, tuple(sorted(self.methods.items())), self.share_threshold


def check_window_settings(settings: WindowSettings, methods_known: Iterable[str] | None = None) -> WindowSettings:
    """Return the settings, or raise ValueError naming the first problem."""
    if settings.by not in WINDOWINGS:
        raise ValueError(BAD_WINDOWING.format(by=settings.by))
    if not 2 <= int(settings.n_chunks) <= 100:
        raise ValueError(BAD_CHUNKS.format(n=settings.n_chunks))
    if not 0 < float(settings.share_threshold) <= 1:
        raise ValueError(BAD_SHARE.format(value=settings.share_threshold))
    known = set(methods_known or ())
    for column, method in settings.methods.items():
        if known and method not in known:
            raise ValueError(f"“{method}” is not a drift method (column {column}); choose one of: "
                             f"{', '.join(sorted(known))}.")
    return settings


def window_settings(session: Session, deployment_id: int) -> WindowSettings:
    """Return the deployment's saved settings, or the defaults (10 chunks, Evidently's methods, share 0.5)."""
    row = _setting_row(session, deployment_id)
    if row is None:
        return WindowSettings()
    return WindowSettings(row.window_by, row.n_chunks, dict(row.methods), row.share_threshold)


def save_window_settings(session: Session, *, project_id: int, deployment_id: int, settings: WindowSettings,
                         methods_known: Iterable[str] | None = None, actor: str = "analyst") -> WindowSettings:
    """Check and store a deployment's monitoring settings; log the change."""
    settings = check_window_settings(settings, methods_known)
    row = _setting_row(session, deployment_id) or MonitoringSetting(project_id=project_id, deployment_id=deployment_id)
    row.window_by, row.n_chunks, row.methods = settings.by, int(settings.n_chunks), dict(settings.methods)
    row.share_threshold, row.updated_at = float(settings.share_threshold), utc_now()
    session.add(row)
    log_event(session, project_id=project_id, actor=actor, action="changed monitoring settings",
              details={"deployment": label_of(session, deployment_id), "windows": settings.by,
                       "chunks": settings.n_chunks,
                       "methods": dict(settings.methods), "share": settings.share_threshold})
    return settings


def _setting_row(session: Session, deployment_id: int) -> MonitoringSetting | None:
    return session.exec(select(MonitoringSetting).where(MonitoringSetting.deployment_id == deployment_id)).first()


def retrain_policy(session: Session, project_id: int) -> RetrainPolicy:
    """Return the project's retraining policy (a default, switched off, when none is saved; not added)."""
    row = session.exec(select(RetrainPolicy).where(RetrainPolicy.project_id == project_id)).first()
    return row if row is not None else RetrainPolicy(project_id=project_id)


def save_retrain_policy(session: Session, *, project_id: int, enabled: bool, alert_kinds: list[str], max_runs: int,
                        period_days: int, rollout: str = "shadow", recent_windows: int = 3,
                        actor: str = "analyst") -> RetrainPolicy:
    """Check and store the retraining policy; raise ValueError naming the problem (nothing written)."""
    _check_policy(alert_kinds, max_runs, period_days, rollout, recent_windows)
    row = retrain_policy(session, project_id)
    row.enabled, row.alert_kinds = bool(enabled), list(alert_kinds)
    row.max_runs, row.period_days = int(max_runs), int(period_days)
    row.rollout, row.recent_windows, row.actor, row.updated_at = rollout, recent_windows, actor, utc_now()
    session.add(row)
    log_event(session, project_id=project_id, actor=actor,
              action="switched on automatic retraining" if enabled else "switched off automatic retraining",
              details={"alert kinds": list(alert_kinds), "cap": f"{max_runs} per {period_days} days",
                       "rollout": rollout, "recent windows": recent_windows})
    return row


def _check_policy(alert_kinds, max_runs, period_days, rollout, recent_windows) -> None:
    for kind in alert_kinds:
        if kind not in ALERT_KINDS:
            raise ValueError(BAD_KINDS.format(kind=kind))
    if not (1 <= int(max_runs) <= 20 and 1 <= int(period_days) <= 90):
        raise ValueError(BAD_CAP.format(runs=max_runs, days=period_days))
    if rollout not in ROLLOUTS:
        raise ValueError(BAD_ROLLOUT.format(rollout=rollout))
    if not 1 <= int(recent_windows) <= 50:
        raise ValueError(BAD_RECENT.format(n=recent_windows))
