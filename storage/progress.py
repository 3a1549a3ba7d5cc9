"""The facts a project's stage progress is computed from."""

from sqlmodel import Session

from core.scoping.report import scoping_readiness
from storage.data.datasets import list_datasets
from storage.fairness.audits import latest_signed_audit
from storage.project.projects import project_contents
from storage.modeling.registry import aliases
from storage.scoping.records import list_targets, load_answers


def progress_facts(session: Session, project_id: int) -> dict[str, int]:
    """Return row counts per table for the project, plus derived facts the stage rules read."""
    facts = project_contents(session, project_id)
    facts["dataset_with_target"] = sum(1 for d in list_datasets(session, project_id) if d.roles.get("target"))
    if facts.get("registry_alias"):
        facts["champion"] = int("champion" in aliases(session, project_id))
    if facts.get("audit"):
        facts["signed_audit"] = int(latest_signed_audit(session, project_id) is not None)
    if facts.get("scope_answer") or facts.get("target"):
        readiness = scoping_readiness(load_answers(session, project_id), list_targets(session, project_id))
        facts["scope_ready"] = int(readiness.verdict == "ready")
    return facts
