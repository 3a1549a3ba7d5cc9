"""Labelers, the versioned labeling guideline, and numbered batches with their assignments."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import case, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.labeling.consensus import UNCLEAR
from core.data.roles import Roles
from core.labeling.sampling import SamplingInputs, Strategy, assign_items, sample_batch
from core.labeling.simulated_labelers import LabelerProfile, demo_team
from storage.data.datasets import get_dataset, load_blob, load_ground_truth
from storage.labeling.tables import Assignment, Guideline, LabelBatch, Labeler
from storage.project.projects import log_event
from storage.db import insert_ignoring_conflicts

MAX_LABELER_NAME = 40
MAX_CLASSES = 100
LABELER_NAME_EMPTY = "The labeler's name is empty. Type a name, for example “Ana”."
LABELER_NAME_TOO_LONG = f"The labeler's name is longer than {MAX_LABELER_NAME} characters. Shorten it."
LABELER_TAKEN = "There is already a labeler named “{name}”. Choose another name."
NO_CLASSES = (
    "This dataset has no label classes yet: its target column is not set or holds no values. "
    "Choose a target column on the Datasets page, or write the classes into the guideline below."
)
FEW_CLASSES = "A guideline needs at least two classes, one per line; got {n}."
TOO_MANY_CLASSES = f"A guideline can have at most {MAX_CLASSES} classes."
RESERVED_CLASS = f"“{UNCLEAR}” is kept for items a labeler cannot decide; do not list it as a class."
BATCH_RACE = "Another batch was planned at the same moment. Plan this one again: it gets the next number."


class LabelingError(ValueError):
    """A labeling action was refused; the message names the problem and the fix."""


def clean_labeler_name(name: str) -> str:
    """Return the trimmed name, or raise LabelingError when it is empty or too long."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise LabelingError(LABELER_NAME_EMPTY)
    if len(cleaned) > MAX_LABELER_NAME:
        raise LabelingError(LABELER_NAME_TOO_LONG)
    return cleaned


def ensure_labeler(session: Session, *, project_id: int, name: str) -> Labeler:
    """Return the project's labeler of that name, creating it (safely under concurrency) if new."""
    cleaned = clean_labeler_name(name)
    query = select(Labeler).where(Labeler.project_id == project_id, Labeler.name == cleaned)
    labeler = session.exec(query).first()
    if labeler is None:
        session.execute(insert_ignoring_conflicts(session, Labeler).values(
            project_id=project_id, name=cleaned, simulated={}))
        labeler = session.exec(query).one()
    return labeler


def add_labeler(session: Session, *, project_id: int, name: str, profile: LabelerProfile | None = None,
                actor: str = "analyst") -> Labeler:
    """Return a new labeler (a person, or simulated with a profile); refuse an empty or taken name."""
    cleaned = clean_labeler_name(name)
    labeler = Labeler(project_id=project_id, name=cleaned, simulated=profile.to_dict() if profile else {})
    session.add(labeler)
    try:
        session.flush()
    except IntegrityError as error:
        raise LabelingError(LABELER_TAKEN.format(name=cleaned)) from error
    log_event(session, project_id=project_id, actor=actor, action="added labeler",
              details={"labeler": cleaned, "simulated": bool(profile)})
    return labeler


def add_demo_labelers(session: Session, *, dataset_id: int, actor: str = "analyst") -> list[Labeler]:
    """Return the demo's simulated labelers, added if missing, with the scenario's typical confusions."""
    dataset = get_dataset(session, dataset_id)
    classes = label_classes(session, dataset_id=dataset_id)
    pairs = (load_ground_truth(session, dataset_id).get("label_noise") or {}).get("confusion_pairs", [])
    existing = {l.name: l for l in list_labelers(session, dataset.project_id)}
    # A demo project is created with its team, so a later call (a test, an older button) finds it there.
    return [existing.get(name) or add_labeler(session, project_id=dataset.project_id, name=name, profile=profile,
                                              actor=actor)
            for name, profile in demo_team(classes, pairs).items()]


def list_labelers(session: Session, project_id: int) -> list[Labeler]:
    """Return the project's labelers, oldest first."""
    return list(session.exec(select(Labeler).where(Labeler.project_id == project_id).order_by(col(Labeler.id))))


def current_guideline(session: Session, project_id: int) -> Guideline | None:
    """Return the newest guideline version of the project, or None."""
    return session.exec(select(Guideline).where(Guideline.project_id == project_id)
                        .order_by(col(Guideline.version).desc())).first()


def list_guidelines(session: Session, project_id: int) -> list[Guideline]:
    """Return every guideline version, newest first."""
    return list(session.exec(select(Guideline).where(Guideline.project_id == project_id)
                             .order_by(col(Guideline.version).desc())))


def checked_classes(classes: list[str]) -> list[str]:
    """Return the distinct, trimmed class names; raise LabelingError when there are too few or too many."""
    cleaned = list(dict.fromkeys(c.strip() for c in classes if c and c.strip()))
    if UNCLEAR in cleaned:
        raise LabelingError(RESERVED_CLASS)
    if len(cleaned) < 2:
        raise LabelingError(FEW_CLASSES.format(n=len(cleaned)))
    if len(cleaned) > MAX_CLASSES:
        raise LabelingError(TOO_MANY_CLASSES)
    return cleaned


def save_guideline(session: Session, *, project_id: int, text: str, classes: list[str],
                   created_from: dict | None = None, actor: str = "analyst") -> Guideline:
    """Return a new guideline version; labels made from now on record it."""
    previous = current_guideline(session, project_id)
    guideline = Guideline(project_id=project_id, version=(previous.version if previous else 0) + 1,
                          text=text.strip(), classes=checked_classes(classes), created_from=created_from or {},
                          actor=actor)
    session.add(guideline)
    try:
        session.flush()
    except IntegrityError as error:
        raise LabelingError("Someone saved the guideline at the same moment. Reload and apply your change again.") from error
    log_event(session, project_id=project_id, actor=actor, action="saved labeling guideline",
              details={"version": guideline.version, "classes": len(guideline.classes), **(created_from or {})})
    return guideline


def label_classes(session: Session, *, dataset_id: int) -> list[str]:
    """Return the classes labelers choose from: the guideline's, else the target column's values."""
    dataset = get_dataset(session, dataset_id)
    guideline = current_guideline(session, dataset.project_id)
    if guideline is not None:
        return list(guideline.classes)
    classes = [str(v) for v in target_values(session, dataset_id)]
    if len(classes) < 2:
        raise LabelingError(NO_CLASSES)
    return classes


def target_values(session: Session, dataset_id: int) -> list:
    """Return the distinct values of the dataset version's target column, reading only that column."""
    target = Roles.from_dict(get_dataset(session, dataset_id).roles).target
    if target is None:
        return []
    table = pq.read_table(pa.BufferReader(load_blob(session, dataset_id)), columns=[target])
    return target_classes(table.to_pandas(), Roles(target=target))


def target_classes(frame: pd.DataFrame, roles: Roles) -> list:
    """Return the sorted distinct values of the target column ([] without one)."""
    if roles.target is None or roles.target not in frame.columns:
        return []
    return sorted(pd.unique(frame[roles.target].dropna()), key=lambda v: (str(type(v)), v))


def assigned_rows(session: Session, dataset_id: int) -> pd.Index:
    """Return the row ids already in some batch of the dataset version."""
    rows = session.exec(select(Assignment.row_id).join(LabelBatch, col(LabelBatch.id) == Assignment.batch_id)
                        .where(LabelBatch.dataset_id == dataset_id).distinct()).all()
    return pd.Index(rows, name="row_id")


def plan_batch(session: Session, *, dataset_id: int, pool: pd.Index, size: int, strategy: Strategy,
               labelers: list[str], overlap: float, inputs: SamplingInputs | None = None, random_state: int = 0,
               card: dict | None = None, actor: str = "analyst") -> LabelBatch:
    """Return a new numbered batch: items chosen from `pool` by the strategy, assigned to the labelers.

    `card` (`core.labeling.card.CardPlan.to_dict()`) is what labelers see of an item; without one the
    batch shows the default card.
    """
    dataset = get_dataset(session, dataset_id)
    if current_guideline(session, dataset.project_id) is None:
        # Labels record the guideline they were made under, so the first batch starts version 1.
        save_guideline(session, project_id=dataset.project_id, text="", classes=label_classes(
            session, dataset_id=dataset_id), created_from={"reason": "first batch"}, actor=actor)
    chosen = sample_batch(pool, size, strategy=strategy, inputs=inputs, random_state=random_state)
    table = assign_items(chosen, labelers, overlap=overlap, random_state=random_state)
    ids = {name: ensure_labeler(session, project_id=dataset.project_id, name=name).id for name in labelers}
    batch = LabelBatch(project_id=dataset.project_id, dataset_id=dataset_id, number=_next_number(session, dataset_id),
                       strategy=strategy, size=len(chosen), overlap=overlap, actor=actor,
                       params={"labelers": list(labelers), "random_state": random_state, **_described(inputs),
                               **({"card": card} if card else {})})
    session.add(batch)
    try:
        session.flush()
    except IntegrityError as error:
        raise LabelingError(BATCH_RACE) from error
    session.execute(insert(Assignment), [
        {"project_id": dataset.project_id, "batch_id": batch.id, "row_id": int(r.row_id),
         "labeler_id": ids[r.labeler], "position": int(r.position), "skipped": False}
        for r in table.itertuples(index=False)])
    log_event(session, project_id=dataset.project_id, actor=actor, action="planned label batch",
              details={"batch": batch.number, "strategy": strategy, "items": len(chosen), "overlap": overlap})
    return batch


def _described(inputs: SamplingInputs | None) -> dict:
    if inputs is None:
        return {}
    described = {"measure": inputs.measure} if inputs.probabilities is not None else {}
    return described | ({"column": str(inputs.column.name)} if inputs.column is not None else {})


def _next_number(session: Session, dataset_id: int) -> int:
    latest = session.exec(select(func.max(LabelBatch.number)).where(LabelBatch.dataset_id == dataset_id)).one()
    return (latest or 0) + 1


def list_batches(session: Session, dataset_id: int) -> list[LabelBatch]:
    """Return the dataset version's batches, newest first."""
    return list(session.exec(select(LabelBatch).where(LabelBatch.dataset_id == dataset_id)
                             .order_by(col(LabelBatch.number).desc())))


def batch_progress(session: Session, dataset_id: int) -> pd.DataFrame:
    """Return per batch and labeler: assigned, done and skipped items."""
    rows = session.exec(
        select(LabelBatch.number, Labeler.name, func.count(), func.count(Assignment.label_id),
               func.sum(case((col(Assignment.skipped), 1), else_=0)))
        .join(Assignment, col(Assignment.batch_id) == LabelBatch.id).join(Labeler, col(Labeler.id) == Assignment.labeler_id)
        .where(LabelBatch.dataset_id == dataset_id).group_by(LabelBatch.number, Labeler.name)
        .order_by(LabelBatch.number, Labeler.name)).all()
    return pd.DataFrame(rows, columns=["batch", "labeler", "assigned", "done", "skipped"])
