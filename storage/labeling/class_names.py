"""The project's classes and their display names, saved as a whole set in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, delete, select

from core.labeling.classes import ClassNames, check_class_names
from storage.data.datasets import list_datasets
from storage.labeling.batches import current_guideline, target_values
from storage.labeling.tables import ClassName
from storage.project.projects import log_event


def project_classes(session: Session, project_id: int) -> list[str]:
    """Return the class values (as text) of the project: the guideline's, then each dataset's newest target values."""
    guideline = current_guideline(session, project_id)
    found = [str(c) for c in guideline.classes] if guideline else []
    for dataset in _newest_versions(session, project_id):
        found += [str(v) for v in target_values(session, dataset.id)]
    return list(dict.fromkeys(found))


def _newest_versions(session: Session, project_id: int) -> list:
    """Return the newest version with a target of each dataset name: older versions' classes are history."""
    newest: dict = {}
    for dataset in list_datasets(session, project_id):
        if dataset.roles.get("target") and dataset.version > getattr(newest.get(dataset.name), "version", 0):
            newest[dataset.name] = dataset
    return list(newest.values())


def class_names(session: Session, project_id: int) -> ClassNames:
    """Return the project's display names (an empty mapping when none are set)."""
    rows = session.exec(select(ClassName).where(ClassName.project_id == project_id).order_by(col(ClassName.id)))
    return ClassNames({row.value: row.display for row in rows})


def save_class_names(session: Session, *, project_id: int, names: Mapping[str, str],
                     actor: str = "analyst") -> ClassNames:
    """Return the saved names, which replace the project's earlier ones; refuse bad input before writing."""
    cleaned = check_class_names(names, project_classes(session, project_id))
    session.execute(delete(ClassName).where(col(ClassName.project_id) == project_id))
    session.add_all([ClassName(project_id=project_id, value=v, display=d, actor=actor) for v, d in cleaned.items()])
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="named classes", details=dict(cleaned))
    return ClassNames(cleaned)


def clear_class_names(session: Session, *, project_id: int, actor: str = "analyst") -> None:
    """Remove every display name of the project, so pages show the stored values again."""
    session.execute(delete(ClassName).where(col(ClassName.project_id) == project_id))
    log_event(session, project_id=project_id, actor=actor, action="cleared class names", details={})
