"""Bringing data in from the pages: the 'Start from' choices and a project made from one of them.

Storing a frame or a scenario lives in `storage.data.intake`, shared with workshop packs; it is
re-exported here for the pages that already import it from this module.
"""

from core.data.scenarios import SCENARIOS
from storage.data.intake import Stored, store_frame, store_scenario
from storage.db import Session
from storage.labeling.batches import add_demo_labelers
from storage.project.projects import create_project
from storage.scoping.records import apply_worked_example

BLANK = "Blank project"
__all__ = ["BLANK", "Stored", "create_project_from", "project_sources", "store_frame", "store_scenario"]


def project_sources() -> dict[str, str | None]:
    """Return the 'Start from' choices: label -> scenario name (None for a blank project)."""
    return {BLANK: None} | {f"Demo: {spec.title}": name for name, spec in SCENARIOS.items()}


def create_project_from(session: Session, *, name: str, source_label: str, actor: str) -> int:
    """Return the id of a new project, blank or holding a demo scenario's dataset.

    A demo project comes with the scenario's simulated labelers: its agreement, human-level and
    label-error lessons need several labelers, and a learner should not have to know to add them.
    """
    scenario_name = project_sources()[source_label]
    project = create_project(session, name=name, source=scenario_name or "blank", actor=actor)
    if scenario_name:
        stored = store_scenario(session, project_id=project.id, scenario_name=scenario_name, actor=actor)
        apply_worked_example(session, project_id=project.id, scenario=scenario_name, actor=actor)
        add_demo_labelers(session, dataset_id=stored.dataset.id, actor=actor)
    return project.id
