"""Workshop presets: a challenger planted worse than the champion, trained in one click."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from core.modeling.training import TrainingConfig
from storage.data.datasets import add_dataset_version, latest_split, load_frame, load_split, save_split
from storage.db import session_scope
from storage.deployment.sides import champion_run, training_dataset
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.registry import promote
from storage.modeling.runs import run_label

SHIFTED_NOTE = (
    "The champion's data with every label replaced by the next class (for two classes: inverted), so a model "
    "trained on it is wrong where the champion is right."
)
TRAINING_FAILED = "The degraded challenger did not train ({status}). Look at {run} on the Experiments page."


def train_degraded_challenger(engine: Engine, *, project_id: int, actor: str = "analyst") -> str:
    """Return the label ("Run 4") of a run with the champion's config trained on shifted labels, set as challenger."""
    with session_scope(engine) as session:
        champion = champion_run(session, project_id)
        dataset = training_dataset(session, champion)
        frame = load_frame(session, dataset.id)
        target = dataset.roles["target"]
        frame[target] = shifted_labels(frame[target])
        shifted = add_dataset_version(session, project_id=project_id, name=f"{dataset.name} shifted labels",
                                       frame=frame, source="derived", column_kinds=dataset.column_kinds,
                                       roles=dataset.roles, parent_id=dataset.id, note=SHIFTED_NOTE, actor=actor)
        split = latest_split(session, dataset.id)
        save_split(session, dataset_id=shifted.id, assignment=load_split(split), strategy=split.strategy,
                   seed=split.seed, fractions=tuple(split.fractions), actor=actor)
        config = TrainingConfig.from_dict({**champion.config, "cv_folds": 0, "learning_curve": False})
        prepared = prepare_run(session, dataset_id=shifted.id, config=config)
        run = launch_run(session, prepared=prepared, actor=actor, parent_run_id=champion.id,
                         trigger="degraded challenger preset", notes=SHIFTED_NOTE)
    status = execute_run(engine, run_id=run.id, prepared=prepared)
    if status != "finished":
        raise ValueError(TRAINING_FAILED.format(status=status, run=run_label(run)))
    with session_scope(engine) as session:
        promote(session, project_id=project_id, run_id=run.id, alias="challenger", actor=actor)
    return run_label(run)


def shifted_labels(labels: pd.Series) -> pd.Series:
    """Return each label replaced by the next class in sorted order (the last by the first); missing stay missing."""
    classes = sorted(labels.dropna().unique(), key=str)
    following = dict(zip(classes, classes[1:] + classes[:1]))
    return labels.map(following).astype(labels.dtype)
