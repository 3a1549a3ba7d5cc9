"""Baselines: computed on a dataset's dev split, read from a predictions file, or entered by hand."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from core.baselines.metrics import BaselineScores, Scores
from core.baselines.table import BaselineSummary
from core.baselines.computed import (
    MODEL_KINDS,
    MODEL_LABELS,
    BaselineData,
    baseline_data,
    predict_baseline,
    score_predictions,
    slice_candidates,
)
from core.baselines.literature import LiteratureValue
from core.data.roles import Roles
from storage.data.datasets import get_dataset, latest_split, load_frame, load_split
from storage.baselines.tables import Baseline
from storage.data.tables import Dataset, Split
from storage.project.projects import get_project, log_event
from storage.scoping.positive import chosen_positive

BASELINE_MISSING = "That baseline was already deleted. The list now shows the baselines that remain."
NO_SPLIT = (
    "{dataset} has no train/dev/test split yet. Make one in Datasets → Splits first: baselines are "
    "scored on the dev split."
)
DUPLICATE_LITERATURE = (
    "There is already a literature baseline for {metric} from “{citation}”. Delete it first if the new "
    "value should replace it."
)
HLP = "hlp"


class BaselineError(ValueError):
    """A baseline action was refused; the message names the problem and the fix."""


def list_baselines(session: Session, project_id: int, *, dataset_id: int | None = None) -> list[Baseline]:
    """Return the project's baselines, oldest first; with a dataset, its own and the literature values."""
    query = select(Baseline).where(Baseline.project_id == project_id)
    if dataset_id is not None:
        query = query.where(or_(Baseline.dataset_id == dataset_id, col(Baseline.dataset_id).is_(None)))
    return list(session.exec(query.order_by(col(Baseline.id))))


def primary_baseline(session: Session, project_id: int) -> Baseline | None:
    """Return the baseline gaps are measured to: the one marked primary, else the newest human-level one."""
    rows = list_baselines(session, project_id)
    marked = [b for b in rows if b.is_primary]
    if marked:
        return marked[0]
    return next((b for b in reversed(rows) if b.kind == HLP), None)


def baseline_scores(baseline: Baseline) -> BaselineScores:
    """Return a stored baseline's scores, overall and per slice."""
    return BaselineScores.from_parts(baseline.overall, baseline.slices)


def dataset_baseline_data(session: Session, dataset: Dataset, frame: pd.DataFrame | None = None) -> tuple[BaselineData, Split]:
    """Return the labelled train and dev rows of the dataset's latest split, and that split."""
    split = latest_split(session, dataset.id)
    if split is None:
        raise BaselineError(NO_SPLIT.format(dataset=dataset_name(dataset)))
    frame = load_frame(session, dataset.id) if frame is None else frame
    roles = Roles.from_dict(dataset.roles)
    data = baseline_data(frame, load_split(split), target=roles.target, features=roles.feature_columns(frame.columns),
                         column_kinds=dataset.column_kinds,
                         slice_candidates=slice_candidates(dataset.column_kinds, exclude=(roles.target, roles.id),
                                                          sensitive=roles.sensitive),
                         positive=chosen_positive(session, project_id=dataset.project_id, target=roles.target))
    return data, split


def compute_model_baselines(
    session: Session, *, dataset_id: int, names: Sequence[str], frame: pd.DataFrame | None = None,
    random_state: int = 0, actor: str = "analyst",
) -> list[Baseline]:
    """Return the stored dummy and simple-model baselines, fitted on train and scored on dev.

    A baseline computed again on the same dataset version replaces the earlier one.
    """
    dataset = get_dataset(session, dataset_id)
    data, split = dataset_baseline_data(session, dataset, frame)
    stored = []
    for name in names:
        predictions = predict_baseline(name, data, random_state=random_state)
        note = f"Fitted on {len(data.train):,} train rows, seed {random_state}."
        stored.append(store_scores(session, dataset, split, kind=MODEL_KINDS[name], name=MODEL_LABELS[name],
                             scores=score_predictions(data, predictions), source_note=note, actor=actor))
    return stored


def add_literature_baseline(
    session: Session, *, project_id: int, entry: LiteratureValue, actor: str = "analyst"
) -> Baseline:
    """Return the stored literature baseline; raise BaselineError when the same source gives that metric already."""
    get_project(session, project_id)
    for row in list_baselines(session, project_id):
        if row.kind == "literature" and row.citation == entry.citation and entry.metric in row.metrics:
            raise BaselineError(DUPLICATE_LITERATURE.format(metric=entry.metric, citation=entry.citation))
    row = Baseline(project_id=project_id, kind="literature", name=entry.name, metrics={entry.metric: entry.value},
                   overall=Scores(0, {entry.metric: entry.value}, {}, {}).to_dict(), citation=entry.citation,
                   source_note=entry.note)
    session.add(row)
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="added baseline",
              details={"kind": "literature", "baseline": row.name})
    return row


def mark_primary(session: Session, *, project_id: int, baseline_id: int, actor: str = "analyst") -> Baseline:
    """Return the baseline now marked primary; every other baseline of the project loses the mark."""
    row = _own_row(session, project_id, baseline_id)
    session.execute(update(Baseline).where(Baseline.project_id == project_id).values(is_primary=False))
    row.is_primary = True
    session.add(row)
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="marked primary baseline", details={"baseline": row.name})
    return row


def delete_baseline(session: Session, *, project_id: int, baseline_id: int, actor: str = "analyst") -> str:
    """Return the name of the deleted baseline; raise BaselineError when it is already gone."""
    row = _own_row(session, project_id, baseline_id)
    session.delete(row)
    log_event(session, project_id=project_id, actor=actor, action="deleted baseline", details={"baseline": row.name})
    return row.name


def store_scores(session: Session, dataset: Dataset, split: Split | None, *, kind: str, name: str,
                 scores: BaselineScores, source_note: str, actor: str, extra: dict | None = None) -> Baseline:
    """Return the stored baseline of a dataset version; one of the same name on that version is replaced.

    Computing a baseline again replaces it and keeps the primary mark if it had it. `extra` goes
    with the overall scores (human-level performance keeps each labeler's accuracy there).
    """
    earlier = session.exec(select(Baseline).where(Baseline.dataset_id == dataset.id, Baseline.name == name)).all()
    was_primary = any(row.is_primary for row in earlier)
    for row in earlier:
        session.delete(row)
    row = Baseline(project_id=dataset.project_id, dataset_id=dataset.id, split_id=split.id if split else None,
                   kind=kind, name=name, metrics=scores.overall.to_dict()["metrics"],
                   overall={**scores.overall.to_dict(), **(extra or {})},
                   slices=scores.slices_to_dict(), n_items=scores.overall.n, source_note=source_note,
                   is_primary=was_primary)
    session.add(row)
    session.flush()
    log_event(session, project_id=dataset.project_id, actor=actor, action="computed baseline",
              details={"kind": kind, "baseline": name, "dataset": dataset_name(dataset)})
    return row


def _own_row(session: Session, project_id: int, baseline_id: int) -> Baseline:
    row = session.get(Baseline, baseline_id)
    if row is None or row.project_id != project_id:
        raise BaselineError(BASELINE_MISSING)
    return row


def dataset_name(dataset: Dataset) -> str:
    """Return a dataset version as users read it: “loans v2”."""
    return f"{dataset.name} v{dataset.version}"


def baseline_summaries(session: Session, project_id: int, *, dataset_id: int) -> list[BaselineSummary]:
    """Return the dataset's baselines and the literature values, with the primary one flagged."""
    primary = primary_baseline(session, project_id)
    return [BaselineSummary(b.id, b.name, b.kind, baseline_scores(b), primary is not None and b.id == primary.id,
                            b.citation or b.source_note)
            for b in list_baselines(session, project_id, dataset_id=dataset_id)]
