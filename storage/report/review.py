"""The report's reads of the later stages: the champion's slices, the latest audit, rollouts, the timeline."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, func, select

from core.errors.report import SliceOptions, SliceReport, slice_report
from core.fairness.presentation import slices_text
from core.report.later import NO_SLICES, AuditInputs
from core.report.operations import rollout_rows
from storage.deployment.deployments import list_deployments
from storage.deployment.tables import Deployment, deployment_label
from storage.errors.analysis import RunAnalysis, load_run_analysis
from storage.errors.slices import list_slices, slice_predicate
from storage.errors.tags import tag_counts
from storage.fairness.audits import audit_title, list_audits, stale_reasons
from storage.modeling.runs import run_label
from storage.modeling.tables import Run
from storage.project.projects import list_events
from storage.project.tables import Event

SIDE_NAMES = {"legacy_rule": "the legacy rule", "human": "a person"}


# eq=False: holds frames.
@dataclass(frozen=True, eq=False)
class ChampionSlices:
    """The champion's error analysis as the Error analysis page builds it with its default options."""

    analysis: RunAnalysis
    report: SliceReport
    saved: dict


def champion_slices(session: Session, project_id: int, champion: Run | None) -> ChampionSlices | str:
    """Return the champion's slice table, highest priority first, or why there is none (as error analysis says it)."""
    if champion is None:
        return NO_SLICES
    try:
        analysis = load_run_analysis(session, project_id=project_id, run_id=champion.id)
    except ValueError as error:  # no dev predictions, or its dataset version is gone
        return str(error)
    saved = {row.name: slice_predicate(row) for row in list_slices(session, project_id)}
    tags = [tag for tag, _ in tag_counts(session, project_id)]
    report = slice_report(analysis.data, options=SliceOptions(), baseline=analysis.baseline, tags=tags, saved=saved,
                          unstructured=analysis.unstructured)
    return ChampionSlices(analysis, report, saved)


def latest_audit(session: Session, project_id: int) -> AuditInputs | None:
    """Return the newest saved audit with its sign-off and why it is stale (None: no audit)."""
    audits = list_audits(session, project_id)
    if not audits:
        return None
    audit = audits[0]
    return AuditInputs(audit_title(session, audit), audit.split, audit.created_at, audit.results,
                       audit.parity.get("parity", ""), audit.decision, audit.reviewer, audit.comments, audit.signed_at,
                       tuple(stale_reasons(session, audit)), slices_text(audit.settings))


def audit_results(session: Session, project_id: int) -> list[dict]:
    """Return the results of every saved audit of the project, newest first."""
    return [audit.results for audit in list_audits(session, project_id)]


def rollout_history(session: Session, project_id: int) -> pd.DataFrame:
    """Return every deployment, newest first, with its sides named as users read them."""
    return rollout_rows([_rollout_row(session, row) for row in list_deployments(session, project_id)])


def _rollout_row(session: Session, row: Deployment) -> dict:
    return {"deployment": deployment_label(row), "started": f"{row.created_at:%Y-%m-%d %H:%M}", "mode": row.mode,
            "case": row.case, "running side": _side(session, row.champion, row.champion_run_id),
            "candidate": _side(session, f"run:{row.challenger_run_id}", row.challenger_run_id),
            "status": row.status.replace("_", " "), "candidate share": row.share,
            "requests": int(row.summary.get("requests", 0)), "by": row.actor}


def _side(session: Session, choice: str, run_id: int | None) -> str:
    if choice in SIDE_NAMES:
        return SIDE_NAMES[choice]
    run = session.get(Run, run_id) if run_id is not None else None
    return run_label(run) if run is not None else "a deleted run"


def timeline(session: Session, project_id: int, *, limit: int) -> tuple[pd.DataFrame, int]:
    """Return the latest events and how many the project has in all."""
    total = session.exec(select(func.count()).select_from(Event).where(Event.project_id == project_id)).one()
    return list_events(session, project_id, limit=limit), int(total)
