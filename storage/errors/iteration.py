"""Data iterations from a slice: each makes a new dataset version (parent: the run's) and can be retrained."""

from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlmodel import Session, col, select

from core.data.roles import Roles
from core.errors.data import with_class_column
from core.errors.iteration import augment_images, collect_rows
from core.errors.slices import SlicePredicate, slice_mask
from core.modeling.training import TrainingConfig
from storage.data.datasets import add_dataset_version, load_split, save_split
from storage.data.tables import Dataset, Split
from storage.errors.analysis import RunAnalysis
from storage.errors.tags import row_tags
from storage.labeling.batches import plan_batch
from storage.labeling.tables import LabelBatch
from storage.modeling.execution import PreparedRun, launch_run, prepare_run
from storage.modeling.tables import Run
from storage.modeling.runs import run_label

Kind = Literal["relabel", "augment", "collect"]
KINDS: tuple[Kind, ...] = ("relabel", "augment", "collect")
TRIGGER = "error analysis"
COLLECT_FACTOR = 3  # rows collected per training row of the slice: fewer barely move a model
NO_SPLIT = "The split {run} was trained on no longer exists. Train the run again on a current split."
NO_TRAIN_ROWS = ("The slice “{name}” holds no training rows of {run}'s split, so there is nothing to "
                 "relabel, copy or match. Pick a slice with training rows.")
UNKNOWN_KIND = "“{kind}” is not a data iteration; choose one of: relabel, augment, collect."


@dataclass(frozen=True)
class Iteration:
    """What a data iteration made: the new dataset version, the slice's training rows, rows added, a batch."""

    dataset: Dataset
    n_slice_rows: int
    n_added: int
    batch: LabelBatch | None


def iterate_on_slice(session: Session, *, analysis: RunAnalysis, predicate: SlicePredicate, slice_name: str,
                     kind: Kind, actor: str = "analyst", random_state: int = 0) -> Iteration:
    """Return the new dataset version made from the slice; raise ValueError (nothing written) when it cannot."""
    if kind not in KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind))
    split, assignment = _run_split(session, analysis.run)
    rows = _slice_train_rows(session, analysis, predicate, slice_name, assignment)
    new_rows = _new_rows(analysis, predicate, slice_name, kind, rows, random_state)
    dataset = _new_version(session, analysis, new_rows, kind, slice_name, predicate, actor)
    _inherit_split(session, dataset, split, assignment, new_rows.index, actor)
    batch = None
    if kind == "relabel":
        batch = plan_batch(session, dataset_id=dataset.id, pool=rows, size=len(rows), strategy="random",
                           labelers=[actor], overlap=0.0, random_state=random_state, actor=actor)
    return Iteration(dataset, len(rows), len(new_rows), batch)


def _run_split(session: Session, run: Run) -> tuple[Split, pd.Series]:
    split = session.get(Split, run.split_id) if run.split_id is not None else None
    if split is None:
        raise ValueError(NO_SPLIT.format(run=run_label(run)))
    return split, load_split(split)


def _slice_train_rows(session, analysis, predicate, slice_name, assignment) -> pd.Index:
    target = Roles.from_dict(analysis.dataset.roles).target
    frame = with_class_column(analysis.frame, target)
    tags = pd.Series({r: frozenset(t) for r, t in row_tags(session, analysis.dataset.id).items()}, dtype=object)
    mask = slice_mask(frame, predicate, name=slice_name, tags=tags)
    train = assignment.reindex(frame.index).eq("train").to_numpy()
    rows = frame.index[mask & train]
    if rows.empty:
        raise ValueError(NO_TRAIN_ROWS.format(name=slice_name, run=run_label(analysis.run)))
    return rows


def _new_rows(analysis, predicate, slice_name, kind, rows, random_state) -> pd.DataFrame:
    frame, dataset = analysis.frame, analysis.dataset
    if kind == "augment":
        pixels = [c for c, k in dataset.column_kinds.items() if k == "image"]
        return augment_images(frame, rows, pixels, random_state=random_state)
    if kind == "collect":
        roles = Roles.from_dict(dataset.roles)
        params = {k: v for k, v in (analysis.ground_truth.get("params") or {}).items()}
        return collect_rows(frame, predicate, scenario=dataset.source.removeprefix("scenario:")
                            if dataset.source.startswith("scenario:") else "", params=params,
                            n_rows=COLLECT_FACTOR * len(rows), target=roles.target, slice_name=slice_name,
                            id_column=roles.id, random_state=random_state + 1)
    return frame.iloc[:0]


def _new_version(session, analysis, new_rows, kind, slice_name, predicate, actor) -> Dataset:
    parent = analysis.dataset
    record = {"kind": kind, "slice": slice_name, "predicate": predicate.to_json(), "parent_run": analysis.run.id,
              "rows_added": len(new_rows)}
    truth = {**analysis.ground_truth, "iteration": record}
    frame = pd.concat([analysis.frame, new_rows]) if len(new_rows) else analysis.frame
    return add_dataset_version(session, project_id=parent.project_id, name=parent.name, frame=frame,
                               source=parent.source, column_kinds=parent.column_kinds, roles=parent.roles,
                               ground_truth=truth, parent_id=parent.id, actor=actor,
                               note=f"{kind} on slice “{slice_name}” from {run_label(analysis.run)}")


def _inherit_split(session, dataset, split, assignment, added, actor) -> None:
    # The new rows train; dev and test stay the parent's, so before and after are scored on the same rows.
    extended = pd.concat([assignment, pd.Series("train", index=added, name=assignment.name)])
    save_split(session, dataset_id=dataset.id, assignment=extended, strategy="inherited",
               seed=split.seed, fractions=tuple(split.fractions), actor=actor)


def prepare_retrain(session: Session, *, run: Run, dataset_id: int) -> tuple[PreparedRun, Run]:
    """Return the prepared inputs and the new run record: the run's config on a new dataset version."""
    prepared = prepare_run(session, dataset_id=dataset_id, config=TrainingConfig.from_dict(run.config))
    dataset = session.get(Dataset, dataset_id)  # prepare_run refused a missing one
    child = launch_run(session, prepared=prepared, actor=run.actor, parent_run_id=run.id, trigger=TRIGGER,
                       notes=f"retrained after a data iteration on {dataset.name} v{dataset.version}")
    return prepared, child


def iteration_runs(session: Session, run_id: int) -> list[Run]:
    """Return the runs retrained from this run after a data iteration, oldest first."""
    return list(session.exec(select(Run).where(Run.parent_run_id == run_id, Run.trigger == TRIGGER)
                             .order_by(col(Run.id))))




def iteration_versions(session: Session, run: Run) -> list[tuple[Dataset, dict]]:
    """Return the dataset versions data iterations made from this run, with each one's record, oldest first."""
    from storage.data.datasets import load_ground_truth

    children = session.exec(select(Dataset).where(Dataset.parent_id == run.dataset_id).order_by(col(Dataset.id))).all()
    found = [(d, load_ground_truth(session, d.id).get("iteration") or {}) for d in children]
    return [(d, record) for d, record in found if record.get("parent_run") == run.id]
