"""Saved slices: named predicates that fairness and monitoring can read back."""

from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.errors.slices import MISSING_COLUMN, SliceError, SlicePredicate
from storage.errors.tables import SliceDefinition
from storage.project.projects import log_event

MAX_NAME = 120
NAME_EMPTY = "The slice name is empty. Type a short name, for example “self-employed, low income”."
NAME_TOO_LONG = f"The slice name is longer than {MAX_NAME} characters. Shorten it."
NAME_TAKEN = "There is already a slice named “{name}”. Choose another name."
SLICE_MISSING = "That slice was already deleted. The list now shows the slices that remain."


def save_slice(session: Session, *, project_id: int, name: str, predicate: SlicePredicate, source: str = "saved",
               known_columns: Iterable[str] | None = None, dataset_id: int | None = None, run_id: int | None = None,
               actor: str = "analyst") -> SliceDefinition:
    """Return the stored slice; raise ValueError for a bad name or a column not in `known_columns` (nothing written)."""
    cleaned = " ".join((name or "").split())
    missing = [c for c in predicate.columns() if known_columns is not None and c not in set(known_columns)]
    if missing:
        raise SliceError(MISSING_COLUMN.format(name=cleaned or predicate.text(), column=missing[0]))
    if not cleaned:
        raise ValueError(NAME_EMPTY)
    if len(cleaned) > MAX_NAME:
        raise ValueError(NAME_TOO_LONG)
    if session.exec(select(SliceDefinition.id).where(SliceDefinition.project_id == project_id,
                                                     SliceDefinition.name == cleaned)).first() is not None:
        raise ValueError(NAME_TAKEN.format(name=cleaned))
    row = SliceDefinition(project_id=project_id, name=cleaned, conditions=predicate.to_json(), source=source,
                          dataset_id=dataset_id, run_id=run_id, actor=actor)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:  # saved at the same moment by another session
        raise ValueError(NAME_TAKEN.format(name=cleaned)) from error
    log_event(session, project_id=project_id, actor=actor, action="saved slice",
              details={"slice": cleaned, "predicate": predicate.text()})
    return row


def list_slices(session: Session, project_id: int) -> list[SliceDefinition]:
    """Return the project's saved slices, oldest first."""
    return list(session.exec(select(SliceDefinition).where(SliceDefinition.project_id == project_id)
                             .order_by(col(SliceDefinition.id))))


def slice_predicate(row: SliceDefinition) -> SlicePredicate:
    """Return a saved slice's predicate (raises SliceError when its stored JSON is not one)."""
    return SlicePredicate.from_json(row.conditions)


def delete_slice(session: Session, *, project_id: int, slice_id: int, actor: str = "analyst") -> str:
    """Delete a saved slice; return its name."""
    row = session.get(SliceDefinition, slice_id)
    if row is None or row.project_id != project_id:
        raise ValueError(SLICE_MISSING)
    session.delete(row)
    log_event(session, project_id=project_id, actor=actor, action="deleted slice", details={"slice": row.name})
    return row.name
