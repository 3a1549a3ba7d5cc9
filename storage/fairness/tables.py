"""Tables of the fairness stage: audits, and the rule that keeps each one immutable once saved.

An audit is a record of what was seen and decided; editing it afterwards would make the record
worthless. So storage refuses any change to a saved audit's content, and any change at all once
it is signed — whatever ORM path asks (a flush, or a bulk UPDATE or DELETE). The rule sits beside
the table so that it is in force wherever the table is.
"""

from datetime import datetime

from sqlalchemy import Index, event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from storage.fields import json_field, project_fk, utc_now

SIGN_OFF_FIELDS = {"decision", "reviewer", "comments", "signed_at"}
LOCKED = "{audit} is signed and can no longer change. Save a new audit instead; earlier ones are kept."
BULK_LOCKED = "Audits are records: they cannot be changed or deleted in bulk. Save a new audit instead."
CONTENT_LOCKED = "{audit} was saved as a record and its content cannot change; only its sign-off can be added."


class AuditError(ValueError):
    """An audit action was refused; the message names the problem and the fix."""


class AuditLocked(AuditError):
    """A saved audit was about to change; audits are immutable records."""


class Audit(SQLModel, table=True):
    """A saved fairness audit: what was audited, how, what it found, and the reviewer's sign-off.

    Saved once and never edited; the sign-off (reviewer, decision, comments, signed_at) is filled
    in once, and after that nothing changes (see storage.fairness.audits). `number` is what users
    see ("Audit 2"): counted within the project, so it stays the same in an export and an import.
    """

    __table_args__ = (Index("ix_audit_project_number", "project_id", "number", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = project_fk()
    number: int
    run_id: int | None = Field(default=None, foreign_key="run.id", ondelete="SET NULL", index=True)
    dataset_id: int | None = Field(default=None, foreign_key="dataset.id", ondelete="SET NULL")
    dataset_hash: str
    labels_hash: str
    split: str = Field(max_length=10)
    settings: dict = json_field()
    results: dict = json_field()
    parity: dict = json_field()
    mitigation: dict = json_field()
    checklist: list = json_field(list)
    actor: str = "analyst"
    created_at: datetime = Field(default_factory=utc_now)
    decision: str | None = Field(default=None, max_length=30)
    reviewer: str = ""
    comments: str = ""
    signed_at: datetime | None = None


def audit_label(audit: Audit) -> str:
    """Return how an audit is named to users and on the timeline: “Audit 2”, its number within the project."""
    return f"Audit {audit.number}"


@event.listens_for(OrmSession, "before_flush")
def _refuse_audit_changes(session, _context, _instances) -> None:
    for audit in [o for o in session.dirty if isinstance(o, Audit)]:
        state = inspect(audit)
        changed = {a.key for a in state.attrs if a.history.has_changes()}
        signed_before = state.attrs.signed_at.history.deleted or state.attrs.signed_at.history.unchanged
        if changed and any(v is not None for v in signed_before):
            raise AuditLocked(LOCKED.format(audit=audit_label(audit)))
        if changed - SIGN_OFF_FIELDS:
            raise AuditLocked(CONTENT_LOCKED.format(audit=audit_label(audit)))
    for audit in [o for o in session.deleted if isinstance(o, Audit)]:
        if inspect(audit).attrs.signed_at.loaded_value is not None:
            raise AuditLocked(LOCKED.format(audit=audit_label(audit)))


@event.listens_for(OrmSession, "do_orm_execute")
def _refuse_bulk_audit_writes(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and state.bind_mapper.class_ is Audit:
        raise AuditLocked(BULK_LOCKED)
