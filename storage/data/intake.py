"""Bringing data in: one place that turns a frame (uploaded or generated) into a stored version."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from core.data.hashing import content_hash
from core.data.roles import Roles
from core.data.scenarios import generate_scenario
from core.data.schema import coerce_schema, infer_schema
from storage.data.datasets import add_dataset_version, find_same_content
from storage.data.tables import Dataset


@dataclass(frozen=True)
class Stored:
    dataset: Dataset
    is_new: bool


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
