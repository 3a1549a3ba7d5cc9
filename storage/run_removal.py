"""Archiving and deleting runs, with what holds a run across stages (registry, deployments, audits).

At the top of the layer because it reads later stages' records (deployments, fairness audits)
about an earlier stage's run: the stage packages themselves depend one way only.
"""

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from storage.deployment.tables import Deployment, deployment_label
from storage.fairness.tables import Audit, audit_label
from storage.modeling.runs import RunError, get_run, run_label
from storage.modeling.tables import ModelArtifact, Prediction, Promotion, RegistryAlias, Run, TestLook
from storage.project.projects import log_event

STILL_TRAINING = "{run} is still training. Cancel it first (at the top of the page), then {action} it."
HELD = "{run} cannot be {done}: {holders}. {fix}"
DELETE_FIX = "Archive it instead to hide it from the runs table; it can be restored."
ARCHIVE_FIX = "Give the alias to another run on the Registry tab first."


def run_holders(session: Session, run: Run) -> list[str]:
    """Return, in words, every record that points at the run and would lose it if it were deleted."""
    aliases = session.exec(select(RegistryAlias.alias).where(RegistryAlias.run_id == run.id)).all()
    holders = [f"it is the {alias}" for alias in sorted(aliases)]
    deployments = session.exec(select(Deployment).where(
        or_(Deployment.champion_run_id == run.id, Deployment.challenger_run_id == run.id))
        .order_by(col(Deployment.number))).all()
    holders += [f"{deployment_label(d)} replayed it" for d in deployments]
    audits = session.exec(select(Audit).where(Audit.run_id == run.id).order_by(col(Audit.number))).all()
    holders += [f"{audit_label(a)} audited it" for a in audits]
    promotions = _count(session, Promotion, Promotion.run_id == run.id)
    if promotions:
        holders.append(f"the promotion history records it ({promotions} promotion{'s' * (promotions != 1)})")
    looks = _count(session, TestLook, TestLook.run_id == run.id)
    if looks:
        holders.append(f"the project's count of test-split looks includes its {looks} look{'s' * (looks != 1)}")
    return holders


def _count(session: Session, table, condition) -> int:
    return int(session.exec(select(func.count()).select_from(table).where(condition)).one())


def archive_run(session: Session, *, project_id: int, run_id: int, archived: bool, actor: str = "analyst") -> Run:
    """Return the run archived (hidden from the runs table by default) or restored; refuse an alias holder."""
    run = get_run(session, run_id, project_id=project_id)
    if archived:
        _refuse_if_training(run, "archive")
        aliases = session.exec(select(RegistryAlias.alias).where(RegistryAlias.run_id == run.id)).all()
        if aliases:
            raise RunError(HELD.format(run=run_label(run), done="archived", fix=ARCHIVE_FIX,
                                       holders=", ".join(f"it is the {a}" for a in sorted(aliases))))
    run.archived = archived
    session.add(run)
    log_event(session, project_id=project_id, actor=actor, action="archived run" if archived else "restored run",
              details={"run": run_label(run)})
    return run


def delete_run(session: Session, *, project_id: int, run_id: int, actor: str = "analyst") -> str:
    """Delete the run with its model and predictions in one transaction; return its label.

    Refused, naming every holder, when the registry, a deployment, an audit, the promotion
    history or the count of test-split looks points at it: deleting would change those records.
    """
    run = get_run(session, run_id, project_id=project_id)
    _refuse_if_training(run, "delete")
    holders = run_holders(session, run)
    if holders:
        raise RunError(HELD.format(run=run_label(run), done="deleted", holders="; ".join(holders), fix=DELETE_FIX))
    label = run_label(run)
    for table in (Prediction, ModelArtifact):
        session.execute(delete(table).where(table.run_id == run.id))
    session.delete(run)
    log_event(session, project_id=project_id, actor=actor, action="deleted run",
              details={"run": label, "model": run.model})
    return label


def _refuse_if_training(run: Run, action: str) -> None:
    if run.status == "running":
        raise RunError(STILL_TRAINING.format(run=run_label(run), action=action))
