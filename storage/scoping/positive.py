"""The positive class of a project's two-class target: read by every stage that reports precision, recall or F1."""

from collections.abc import Sequence

from sqlmodel import Session, select

from core.predictions import class_names, positive_last
from storage.project.projects import log_event
from storage.scoping.tables import PositiveClass

NOT_TWO_CLASSES = ("The target “{target}” has {n} classes; a positive class is chosen only for a target with two. "
                   "With more, precision, recall and F1 are averaged over the classes.")


def chosen_positive(session: Session, *, project_id: int, target: str | None) -> str | None:
    """Return the positive class chosen for the target (as text), or None for the default (the last class)."""
    if not target:
        return None
    return session.exec(select(PositiveClass.value).where(PositiveClass.project_id == project_id,
                                                          PositiveClass.target == target)).first()


def positive_of(session: Session, *, project_id: int, target: str | None, classes: Sequence) -> object:
    """Return the positive class among the target's two `classes`: the chosen one, else the last in order."""
    return positive_last(classes, chosen_positive(session, project_id=project_id, target=target))[-1]


def choose_positive(session: Session, *, project_id: int, target: str, value: str, classes: Sequence,
                    actor: str = "analyst") -> PositiveClass:
    """Return the stored choice of the target's positive class; raise ValueError for a class it lacks."""
    if len(classes) != 2:
        raise ValueError(NOT_TWO_CLASSES.format(target=target, n=len(classes)))
    positive_last(classes, value)  # refuses a value that is not one of the two classes
    row = session.exec(select(PositiveClass).where(PositiveClass.project_id == project_id,
                                                   PositiveClass.target == target)).first()
    row = row or PositiveClass(project_id=project_id, target=target, value=value)
    row.value, row.actor = str(value), actor
    session.add(row)
    others = [c for c in class_names(classes) if c != str(value)]
    log_event(session, project_id=project_id, actor=actor, action="chose the positive class",
              details={"target": target, "positive": str(value), "negative": others[0]})
    return row
