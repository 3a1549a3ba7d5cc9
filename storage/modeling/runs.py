"""Training runs: their record from start to finish, stored models and predictions, and run tables."""

import functools
import math
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from core.modeling.artifacts import Artifact, dump_model, load_model
from core.modeling.training import TrainingConfig, TrainingOutcome, summarise_folds
from storage.data.datasets import frame_to_parquet, parquet_to_frame
from storage.modeling.tables import ModelArtifact, Prediction, RegistryAlias, Run
from storage.fields import utc_now
from storage.project.projects import log_event
from storage.project.tables import Project
from storage.modeling.training_data import TrainingInputs

APP_VERSION = "0.1.0"
REPO_ROOT = Path(__file__).resolve().parents[1]
MAX_NOTES = 2000
MAX_TAGS = 20

RUN_MISSING = "That run does not exist in this project any more. Pick another run from the list."
NO_MODEL = "{run} has no stored model: it is {status}. Train it again, or pick a finished run."
NO_PREDICTIONS = "{run} has no stored predictions on the {split} split."
NOTES_TOO_LONG = f"The notes are longer than {MAX_NOTES} characters. Shorten them."
TOO_MANY_TAGS = f"A run can carry at most {MAX_TAGS} tags. Remove some."
INTERRUPTED = "The app stopped while this run was training, so it never finished. Train it again."


class RunError(ValueError):
    """A run action was refused; the message names the problem and the fix."""


@functools.cache
def code_version() -> str:
    """Return the app's version, with the git commit when the code runs from a repository."""
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return APP_VERSION
    commit = done.stdout.strip()
    return f"{APP_VERSION}+{commit}" if done.returncode == 0 and commit else APP_VERSION


def start_run(session: Session, *, inputs: TrainingInputs, config: TrainingConfig, actor: str = "analyst",
              parent_run_id: int | None = None, trigger: str = "manual", features: dict | None = None,
              notes: str = "", tags: list[str] | None = None) -> Run:
    """Return a new run in status "running", recording the data, labels, split and config it uses."""
    dataset = inputs.dataset
    notes, tags = checked_notes(notes, tags or [])
    run = Run(project_id=dataset.project_id, number=take_run_number(session, dataset.project_id),
              dataset_id=dataset.id, dataset_hash=dataset.content_hash,
              labels_hash=inputs.labels_hash, split_id=inputs.split.id, model=config.model,
              config=config.to_dict(), code_version=code_version(), parent_run_id=parent_run_id,
              trigger=trigger, actor=actor, details={"features": features or {}}, notes=notes, tags=tags)
    session.add(run)
    session.flush()
    log_event(session, project_id=dataset.project_id, actor=actor, action="started training run",
              details={"run": run_label(run), "model": config.model, "dataset": f"{dataset.name} v{dataset.version}"})
    return run


def take_run_number(session: Session, project_id: int) -> int:
    """Return the next run number of the project and move its counter past it (never reused).

    The counter is bumped first, so the UPDATE's write lock orders two tabs launching at once;
    the number is also above every stored run's, whatever the counter says.
    """
    session.execute(update(Project).where(Project.id == project_id)
                    .values(next_run_number=Project.next_run_number + 1))
    counter = session.exec(select(Project.next_run_number).where(Project.id == project_id)).one() - 1
    highest = session.exec(select(func.max(Run.number)).where(Run.project_id == project_id)).one() or 0
    number = max(counter, highest + 1)
    if number != counter:
        session.execute(update(Project).where(Project.id == project_id).values(next_run_number=number + 1))
    return number


def run_label(run: Run) -> str:
    """Return how a run is named to users and on the timeline: “Run 3”, its number within the project."""
    return f"Run {run.number}"


def get_run(session: Session, run_id: int, *, project_id: int | None = None) -> Run:
    """Return the run, or raise RunError when it does not exist (in this project)."""
    run = session.get(Run, run_id)
    if run is None or (project_id is not None and run.project_id != project_id):
        raise RunError(RUN_MISSING)
    return run


def finish_run(session: Session, *, run_id: int, outcome: TrainingOutcome) -> Run:
    """Return the run marked finished with its metrics, model artifact and dev predictions stored."""
    run = get_run(session, run_id)
    artifact = dump_model(outcome.model)
    run.metrics = {"train": json_safe(outcome.train.metrics), "dev": json_safe(outcome.dev.metrics)}
    run.details = {**run.details, "classes": [_plain(c) for c in outcome.classes],
                   "train": _without_metrics(outcome.train.to_dict()), "dev": _without_metrics(outcome.dev.to_dict()),
                   "cv": _records(outcome.cv), "learning_curve": _records(outcome.learning_curve),
                   "cv_summary": {} if outcome.cv is None else summarise_folds(outcome.cv),
                   "warnings": list(outcome.warnings)}
    run.timings = json_safe(outcome.timings)
    run.model_size, run.status, run.finished_at = artifact.size, "finished", utc_now()
    session.add(ModelArtifact(project_id=run.project_id, run_id=run.id, format=artifact.format,
                              sha256=artifact.sha256, data=artifact.data))
    save_predictions(session, run=run, split="dev", predictions=outcome.dev_predictions)
    log_event(session, project_id=run.project_id, actor=run.actor, action="finished training run",
              details={"run": run_label(run), "model": run.model, "dev f1": round(outcome.dev.metrics["f1"], 4)})
    return run


def close_run(session: Session, *, run_id: int, status: str, error: str = "") -> Run:
    """Return the run marked failed or cancelled, with the error text a failure left."""
    run = get_run(session, run_id)
    run.status, run.error, run.finished_at = status, error, utc_now()
    session.add(run)
    action = "training run failed" if status == "failed" else "cancelled training run"
    log_event(session, project_id=run.project_id, actor=run.actor, action=action,
              details={"run": run_label(run), "model": run.model, **({"error": error[:200]} if error else {})})
    return run


def mark_interrupted_runs(session: Session) -> int:
    """Mark runs left "running" by a stopped server as failed; return how many there were."""
    stale = session.exec(select(Run).where(Run.status == "running")).all()
    for run in stale:
        run.status, run.error, run.finished_at = "failed", INTERRUPTED, utc_now()
        session.add(run)
    return len(stale)


def save_predictions(session: Session, *, run: Run, split: str, predictions: pd.DataFrame) -> Prediction:
    """Return the stored predictions of a run on a split (row_id, label, prediction, probabilities)."""
    row = Prediction(project_id=run.project_id, run_id=run.id, split=split, n_rows=len(predictions),
                     parquet=frame_to_parquet(predictions))
    session.add(row)
    session.flush()
    return row


def has_predictions(session: Session, *, run_id: int, split: str) -> bool:
    found = session.exec(select(Prediction.id).where(Prediction.run_id == run_id, Prediction.split == split)).first()
    return found is not None


def load_predictions(session: Session, *, run_id: int, split: str = "dev") -> pd.DataFrame:
    """Return a run's stored predictions on a split, indexed by row_id."""
    blob = session.exec(select(Prediction.parquet).where(Prediction.run_id == run_id, Prediction.split == split)).first()
    if blob is None:
        raise RunError(NO_PREDICTIONS.format(run=run_label(get_run(session, run_id)), split=split))
    return parquet_to_frame(blob)


def load_run_model(session: Session, run_id: int) -> Any:
    """Return a run's fitted model, loaded through skops with the trusted-type list (never unpickled)."""
    row = session.exec(select(ModelArtifact).where(ModelArtifact.run_id == run_id)).first()
    if row is None:
        run = get_run(session, run_id)
        raise RunError(NO_MODEL.format(run=run_label(run), status=run.status))
    return load_model(Artifact(row.data, row.sha256, row.format))


def list_runs(session: Session, project_id: int) -> list[Run]:
    """Return the project's runs, newest first."""
    return list(session.exec(select(Run).where(Run.project_id == project_id).order_by(col(Run.id).desc())))


def count_runs(session: Session, project_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(Run).where(Run.project_id == project_id)).one())


def update_run_notes(session: Session, *, run_id: int, project_id: int, notes: str, tags: list[str],
                     actor: str = "analyst") -> Run:
    """Return the run with its notes and tags replaced; raise RunError when they are too long."""
    run = get_run(session, run_id, project_id=project_id)
    run.notes, run.tags = checked_notes(notes, tags)
    session.add(run)
    log_event(session, project_id=project_id, actor=actor, action="annotated run",
              details={"run": run_label(run), "tags": ", ".join(run.tags)})
    return run


def checked_notes(notes: str, tags: list[str]) -> tuple[str, list[str]]:
    """Return trimmed notes and distinct non-empty tags; raise RunError when there is too much of either."""
    clean_tags = list(dict.fromkeys(t.strip()[:40] for t in tags if t.strip()))
    if len(notes) > MAX_NOTES:
        raise RunError(NOTES_TOO_LONG)
    if len(clean_tags) > MAX_TAGS:
        raise RunError(TOO_MANY_TAGS)
    return notes.strip(), clean_tags


def json_safe(values: dict[str, Any]) -> dict[str, Any]:
    """Return the mapping with NaN and infinities as None, which JSON can hold."""
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in values.items()}


def _without_metrics(evaluation: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in evaluation.items() if k != "metrics"}


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None else [json_safe(r) for r in frame.astype(object).to_dict(orient="records")]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def aliases_by_run(session: Session, project_id: int) -> dict[int, list[str]]:
    """Return run id -> the aliases (champion, challenger) it holds."""
    rows = session.exec(select(RegistryAlias).where(RegistryAlias.project_id == project_id)).all()
    held: dict[int, list[str]] = {}
    for row in rows:
        held.setdefault(row.run_id, []).append(row.alias)
    return held


def latest_model_run(session: Session, *, project_id: int, dataset_id: int):
    """Return the newest finished run trained on this dataset version whose model can be loaded, or None."""
    for run in list_runs(session, project_id):
        if run.dataset_id == dataset_id and run.status == "finished":
            try:
                return run, load_run_model(session, run.id)
            except ValueError:
                continue  # a run without a stored model: try an older one
    return None

