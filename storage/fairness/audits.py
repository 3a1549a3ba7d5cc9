"""Audits: what one reads, saving it, signing it once, and marking it stale when its run or data changed."""

from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd
from sqlmodel import Session, col, select

from core.fairness.audit import AuditSettings, positive_class
from core.scoping.checklist import CHECKLIST
from storage.data.datasets import get_dataset, load_columns
from storage.data.tables import Dataset
from storage.fairness.tables import Audit, AuditError, AuditLocked, audit_label
from storage.fields import utc_now
from storage.labeling.labels import current_labels
from storage.modeling.registry import aliases
from storage.modeling.runs import get_run, has_predictions, load_predictions, run_label
from storage.modeling.tables import Run, TestLook
from storage.project.projects import log_event, take_number
from storage.scoping.records import load_answers

Decision = Literal["approve", "approve with conditions", "reject"]
DECISIONS: tuple[str, ...] = get_args(Decision)
MAX_COMMENTS, MAX_REVIEWER = 2000, 80

NOT_FINISHED = "{run} is {status}; only a finished run has predictions to audit. Pick a finished run."
NO_DATASET = "The dataset version {run} was trained on no longer exists, so its sensitive columns are unknown."
NO_SENSITIVE = (
    "The dataset {name} v{version} has no sensitive columns, so there is nothing to compare groups by. "
    "Mark them (sex, age, region, …) in the Roles tab of the Datasets page; they need not be model features."
)
TEST_NOT_LOOKED = (
    "{run} has not been looked at on the test split. The test split is audited only after its "
    "logged look on the Experiments page (Runs tab, “Evaluate on the test split”)."
)
UNKNOWN_SPLIT = "The audit reads the dev or the test split; got {split!r}."
AUDIT_MISSING = "The chosen audit does not exist in this project. Pick one from the list."
ALREADY_SIGNED = "{audit} was already signed by {reviewer} ({decision}). Save a new audit to sign again."
BAD_DECISION = "The decision is one of: {names}; got {decision!r}."
NO_REVIEWER = "Type the reviewer's name; a sign-off records who decided."
LONG_REVIEWER = f"The reviewer's name is longer than {MAX_REVIEWER} characters. Shorten it."
LONG_COMMENTS = f"The comments are longer than {MAX_COMMENTS} characters. Shorten them."
NEEDS_CONDITIONS = "Approving with conditions needs the conditions: write them in the comments."
UNCONFIRMED = "Confirm every point of the ethics and risks checklist before signing: {missing} is not confirmed."


@dataclass(frozen=True, eq=False)
class AuditData:
    """What an audit reads: the run, its dataset, its predictions on a split and the sensitive columns."""

    run: Run
    dataset: Dataset
    split: str
    predictions: pd.DataFrame
    sensitive: pd.DataFrame
    classes: list


def audit_splits(session: Session, run: Run) -> list[str]:
    """Return the splits a run can be audited on: dev, and test once it has had its logged look."""
    looked = session.exec(select(TestLook.id).where(TestLook.run_id == run.id)).first() is not None
    return ["dev"] + (["test"] if looked and has_predictions(session, run_id=run.id, split="test") else [])


def load_audit_data(session: Session, *, project_id: int, run_id: int, split: str = "dev") -> AuditData:
    """Return what an audit of the run on the split reads; raise AuditError naming what is missing."""
    run = get_run(session, run_id, project_id=project_id)
    if run.status != "finished":
        raise AuditError(NOT_FINISHED.format(run=run_label(run), status=run.status))
    if split not in ("dev", "test"):
        raise AuditError(UNKNOWN_SPLIT.format(split=split))
    if split not in audit_splits(session, run):
        raise AuditError(TEST_NOT_LOOKED.format(run=run_label(run)))
    if run.dataset_id is None:
        raise AuditError(NO_DATASET.format(run=run_label(run)))
    dataset = get_dataset(session, run.dataset_id)
    sensitive = list(dataset.roles.get("sensitive") or [])
    if not sensitive:
        raise AuditError(NO_SENSITIVE.format(name=dataset.name, version=dataset.version))
    predictions = load_predictions(session, run_id=run_id, split=split)
    frame = load_columns(session, dataset.id, sensitive).reindex(predictions.index)
    return AuditData(run, dataset, split, predictions, frame, list(run.details.get("classes", [])))


def ethics_checklist(session: Session, project_id: int) -> list[dict]:
    """Return the scoping step on ethics and risks as points to confirm: question and the project's answer."""
    answers = load_answers(session, project_id)
    step = next(s for s in CHECKLIST if s.key == "ethics")
    return [{"key": item.key, "question": item.question,
             "answer": answers[item.key].value if item.key in answers else ""} for item in step.items]


def save_audit(session: Session, *, data: AuditData, settings: AuditSettings, results: dict, parity: dict,
               mitigation: dict | None = None, actor: str = "analyst") -> Audit:
    """Return a new audit record of the run; an earlier audit is never overwritten."""
    run, project_id = data.run, data.run.project_id
    champion = aliases(session, project_id).get("champion")
    recorded = {**settings.to_dict(), "positive": str(positive_class(data.classes)),
                "was_champion": champion is not None and champion.id == run.id,
                "labels_at_audit": current_labels(session, data.dataset.id).snapshot_hash}
    audit = Audit(project_id=project_id, number=take_number(session, Audit, project_id), run_id=run.id,
                  dataset_id=data.dataset.id, dataset_hash=run.dataset_hash, labels_hash=run.labels_hash,
                  split=data.split, settings=recorded, results=results, parity=parity, mitigation=mitigation or {},
                  checklist=ethics_checklist(session, project_id), actor=actor)
    session.add(audit)
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="saved fairness audit",
              details={"audit": audit_label(audit), "run": run_label(run), "split": data.split,
                       "flagged": sum(len(r.get("flagged", [])) for r in results.values())})
    return audit


def get_audit(session: Session, audit_id: int, *, project_id: int) -> Audit:
    audit = session.get(Audit, audit_id)
    if audit is None or audit.project_id != project_id:
        raise AuditError(AUDIT_MISSING)
    return audit


def sign_audit(session: Session, *, project_id: int, audit_id: int, reviewer: str, decision: str, comments: str = "",
               confirmed: list[str] | tuple[str, ...] = (), actor: str = "analyst") -> Audit:
    """Return the audit signed: reviewer, decision, comments and time, recorded once."""
    audit = get_audit(session, audit_id, project_id=project_id)
    if audit.signed_at is not None:
        raise AuditLocked(ALREADY_SIGNED.format(audit=audit_label(audit), reviewer=audit.reviewer,
                                                decision=audit.decision))
    reviewer, comments = _checked_sign_off(audit, reviewer, decision, comments, confirmed)
    audit.reviewer, audit.decision, audit.comments, audit.signed_at = reviewer, decision, comments, utc_now()
    session.add(audit)
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="signed fairness audit",
              details={"audit": audit_label(audit), "run": audited_run_label(session, audit), "decision": decision,
                       "reviewer": reviewer})
    return audit


def _checked_sign_off(audit: Audit, reviewer: str, decision: str, comments: str, confirmed) -> tuple[str, str]:
    reviewer, comments = " ".join(reviewer.split()), comments.strip()
    if decision not in DECISIONS:
        raise AuditError(BAD_DECISION.format(names=", ".join(DECISIONS), decision=decision))
    if not reviewer:
        raise AuditError(NO_REVIEWER)
    if len(reviewer) > MAX_REVIEWER:
        raise AuditError(LONG_REVIEWER)
    if len(comments) > MAX_COMMENTS:
        raise AuditError(LONG_COMMENTS)
    if decision == "approve with conditions" and not comments:
        raise AuditError(NEEDS_CONDITIONS)
    missing = [p["question"] for p in audit.checklist if p["key"] not in set(confirmed)]
    if missing:
        raise AuditError(UNCONFIRMED.format(missing=f"“{missing[0]}”"))
    return reviewer, comments


def list_audits(session: Session, project_id: int) -> list[Audit]:
    """Return the project's audits, newest first."""
    return list(session.exec(select(Audit).where(Audit.project_id == project_id).order_by(col(Audit.id).desc())))


def latest_signed_audit(session: Session, project_id: int, *, run_id: int | None = None) -> Audit | None:
    """Return the newest signed audit of the project (of one run, when given), or None."""
    query = select(Audit).where(Audit.project_id == project_id, col(Audit.signed_at).is_not(None))
    if run_id is not None:
        query = query.where(Audit.run_id == run_id)
    return session.exec(query.order_by(col(Audit.id).desc())).first()


def audited_run_label(session: Session, audit: Audit) -> str:
    """Return how the audited run is named to users: “Run 3”, or “a deleted run”."""
    run = session.get(Run, audit.run_id) if audit.run_id is not None else None
    return run_label(run) if run is not None else "a deleted run"


def audit_title(session: Session, audit: Audit) -> str:
    """Return how an audit is named with its run: “Audit 2 of Run 3”."""
    return f"{audit_label(audit)} of {audited_run_label(session, audit)}"


def stale_reasons(session: Session, audit: Audit) -> list[str]:
    """Return why the audit no longer describes the current model and data (empty when it still does)."""
    if audit.run_id is None or audit.dataset_id is None or session.get(Dataset, audit.dataset_id) is None:
        return ["the audited run or its dataset version no longer exists"]
    reasons = []
    audited = session.get(Run, audit.run_id)
    retrained = session.exec(select(Run.number).where(Run.parent_run_id == audit.run_id, Run.status == "finished",
                                                  Run.trigger != "fairness mitigation",
                                                  col(Run.created_at) > audit.created_at)).all()
    if retrained:
        reasons.append(f"{run_label(audited)} was retrained since as Run {max(retrained)}")
    champion = aliases(session, audit.project_id).get("champion")
    if audit.settings.get("was_champion") and (champion is None or champion.id != audit.run_id):
        reasons.append(f"{run_label(audited)} is no longer the champion")
    if current_labels(session, audit.dataset_id).snapshot_hash != audit.settings.get("labels_at_audit"):
        reasons.append("the dataset's labels changed since the audit")
    return reasons
