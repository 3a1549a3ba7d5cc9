"""Old-model baselines: a scenario's legacy rule, an uploaded predictions file, or an earlier run."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from core.baselines.computed import LEGACY_RULES, legacy_predictions, score_predictions
from core.baselines.prediction_file import read_predictions, run_predictions
from storage.baselines.records import BaselineError, dataset_baseline_data, dataset_name, store_scores
from storage.data.datasets import get_dataset, latest_split, load_frame
from storage.baselines.tables import Baseline
from storage.modeling.tables import Run
from storage.modeling.runs import get_run, has_predictions, list_runs, load_predictions, run_label

SCENARIO_SOURCE = "scenario:"
MAX_NAME_LENGTH = 120
NO_LEGACY_RULE = "{dataset} comes from no scenario with a legacy model. Upload the old model's predictions instead."
RUN_NOT_COMPARABLE = (
    "{run} was not trained and scored on the current split of {dataset}, so its dev predictions are "
    "on other rows. Pick a run made since the latest split, or train one on the Experiments page."
)


def add_legacy_baseline(
    session: Session, *, dataset_id: int, frame: pd.DataFrame | None = None, actor: str = "analyst"
) -> Baseline:
    """Return the stored old-model baseline of a scenario's legacy rule, scored on dev."""
    dataset = get_dataset(session, dataset_id)
    rule = LEGACY_RULES.get(dataset.source.removeprefix(SCENARIO_SOURCE))
    if rule is None or not dataset.source.startswith(SCENARIO_SOURCE):
        raise BaselineError(NO_LEGACY_RULE.format(dataset=dataset_name(dataset)))
    data, split = dataset_baseline_data(session, dataset, frame)
    return store_scores(session, dataset, split, kind="old_model", name="Legacy rule",
                        scores=score_predictions(data, legacy_predictions(data, rule)),
                        source_note=f"The rule in use before: {rule.text}.", actor=actor)


def add_predictions_file_baseline(
    session: Session, *, dataset_id: int, name: str, data: bytes, filename: str,
    frame: pd.DataFrame | None = None, actor: str = "analyst",
) -> Baseline:
    """Return the stored old-model baseline read from a predictions file; a bad file stores nothing.

    An empty name falls back to the file's name.
    """
    name = (" ".join((name or "").split()) or filename)[:MAX_NAME_LENGTH]
    dataset = get_dataset(session, dataset_id)
    frame = load_frame(session, dataset.id) if frame is None else frame
    rows, split = dataset_baseline_data(session, dataset, frame)
    predictions = read_predictions(data, filename, dataset_row_ids=frame.index, dev_row_ids=rows.dev.index,
                                   classes=rows.classes)
    return store_scores(session, dataset, split, kind="old_model", name=name,
                        scores=score_predictions(rows, predictions), source_note=f"Predictions file “{filename}”.",
                        actor=actor)


def comparable_runs(session: Session, *, dataset_id: int) -> list[Run]:
    """Return the finished runs, newest first, whose dev predictions cover the dataset's current dev split."""
    dataset = get_dataset(session, dataset_id)
    split = latest_split(session, dataset_id)
    if split is None:
        return []
    return [run for run in list_runs(session, dataset.project_id)
            if run.dataset_id == dataset_id and run.split_id == split.id and run.status == "finished"
            and has_predictions(session, run_id=run.id, split="dev")]


def add_run_baseline(
    session: Session, *, dataset_id: int, run_id: int, frame: pd.DataFrame | None = None, actor: str = "analyst"
) -> Baseline:
    """Return the stored old-model baseline of an earlier run's dev predictions."""
    dataset = get_dataset(session, dataset_id)
    run = get_run(session, run_id, project_id=dataset.project_id)
    if run.id not in {r.id for r in comparable_runs(session, dataset_id=dataset_id)}:
        raise BaselineError(RUN_NOT_COMPARABLE.format(run=run_label(run), dataset=dataset_name(dataset)))
    rows, split = dataset_baseline_data(session, dataset, frame)
    predictions = run_predictions(load_predictions(session, run_id=run_id, split="dev"), dev_row_ids=rows.dev.index,
                                  classes=rows.classes)
    return store_scores(session, dataset, split, kind="old_model", name=run_name(run),
                        scores=score_predictions(rows, predictions),
                        source_note=f"Dev predictions of {run_label(run)}, trained {run.created_at:%Y-%m-%d %H:%M} UTC.",
                        actor=actor)


def run_name(run: Run) -> str:
    """Return how a run is named as a baseline: “Run 3 · random_forest”, by its number in the project."""
    return f"{run_label(run)} · {run.model}"

