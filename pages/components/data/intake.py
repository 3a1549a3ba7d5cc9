"""Bringing data in: one place that turns a frame (uploaded or generated) into a stored version."""

from dataclasses import dataclass

import pandas as pd

from core.data.hashing import content_hash
from core.data.roles import Roles
from core.data.scenarios import SCENARIOS, generate_scenario
from core.data.schema import coerce_schema, infer_schema
from storage.data.datasets import add_dataset_version, find_same_content
from storage.db import Session
from storage.labeling.batches import add_demo_labelers
from storage.data.tables import Dataset
from storage.project.projects import create_project
from storage.scoping.records import apply_worked_example

BLANK = "Blank project"


@dataclass(frozen=True)
class Stored:
    dataset: Dataset
    is_new: bool


def project_sources() -> dict[str, str | None]:
    """Return the 'Start from' choices: label -> scenario name (None for a blank project)."""
    return {BLANK: None} | {f"Demo: {spec.title}": name for name, spec in SCENARIOS.items()}


def store_frame(
    session: Session, *, project_id: int, name: str, frame: pd.DataFrame, source: str, actor: str,
    roles: Roles | None = None, ground_truth: dict | None = None, parent_id: int | None = None, note: str = "",
) -> Stored:
    """Return the stored version for the frame; identical content already in the project is reused."""
    coerced = coerce_schema(frame, infer_schema(frame))
    frame, kinds = coerced.frame, coerced.kinds
    note = "; ".join(filter(None, [note, *coerced.notes]))
    existing = find_same_content(session, project_id, content_hash(frame))
    if existing is not None:
        return Stored(existing, is_new=False)
    dataset = add_dataset_version(
        session, project_id=project_id, name=name, frame=frame, source=source, column_kinds=kinds,
        roles=(roles or Roles()).to_dict(), ground_truth=ground_truth, parent_id=parent_id, note=note, actor=actor,
    )
    return Stored(dataset, is_new=True)


def store_scenario(session: Session, *, project_id: int, scenario_name: str, actor: str, **params) -> Stored:
    """Return the stored version of a freshly generated demo scenario."""
    scenario = generate_scenario(scenario_name, **params)
    return store_frame(
        session, project_id=project_id, name=scenario.name, frame=scenario.frame, actor=actor,
        source=f"scenario:{scenario.name}", roles=scenario.roles,
        ground_truth={"params": params, **scenario.ground_truth}, note=scenario.description,
    )


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
