"""Carrying a run out: check its inputs, train (outside any transaction), record the outcome; test-split looks.

Training can take minutes, so `execute_run` holds no transaction while it fits: it opens one
short transaction to record the outcome, whatever it is (finished, failed or cancelled).
"""

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from core.modeling.evaluation import evaluate_predictions, slice_metrics
from core.predictions import positive_last
from core.slicing import slice_frame
from core.modeling.leakage import DataChecks, check_training_data
from core.modeling.preprocessing import FeaturePlan, plan_features
from core.modeling.training import (
    Progress,
    StopCheck,
    TrainingCancelled,
    TrainingConfig,
    check_config,
    check_folds,
    predict_rows,
    train_model,
)
from core.modeling.checks import SanityResult
from core.modeling.training_data import TrainingData, check_known_classes, labelled_rows, split_training_data
from storage.db import session_scope
from storage.modeling.tables import Run, TestLook
from storage.project.projects import log_event
from storage.modeling.runs import (
    close_run,
    finish_run,
    get_run,
    has_predictions,
    json_safe,
    load_run_model,
    run_label,
    save_predictions,
    start_run,
)
from storage.scoping.records import list_targets
from storage.modeling.training_data import TrainingInputs, load_training_inputs

NOT_FINISHED = "{run} is {status}, so it has no model to evaluate. Pick a finished run."
SPLIT_GONE = (
    "The data or split {run} was trained on no longer exists, so its test rows are unknown. "
    "Train the model again on a current split."
)


@dataclass(frozen=True, eq=False)
class PreparedRun:
    """A run's checked inputs: data, labels and split, config, which features, and the rows per split."""

    inputs: TrainingInputs
    config: TrainingConfig
    plan: FeaturePlan
    data: TrainingData


def prepare_run(session: Session, *, dataset_id: int, config: TrainingConfig,
                frame: pd.DataFrame | None = None) -> PreparedRun:
    """Return the checked inputs of a run; raise ValueError naming the problem (nothing is written)."""
    config = check_config(config)
    inputs = load_training_inputs(session, dataset_id=dataset_id, frame=frame)
    plan = plan_features(inputs.dataset.column_kinds, inputs.roles, include_sensitive=config.include_sensitive)
    groups = slice_columns(session, inputs)
    data = split_training_data(inputs.frame, inputs.labels, inputs.assignment, plan=plan, group_columns=groups)
    check_folds(data, config.cv_folds)
    positive_last(sorted(pd.unique(data.train_y)), config.positive_class)  # refuses a class the target lacks
    return PreparedRun(inputs, config, plan, data)


def data_checks(prepared: PreparedRun) -> DataChecks:
    """Return the warnings about a prepared run's train split (leaks, identifiers), to show before training."""
    data = prepared.data
    return check_training_data(data.train_X, data.train_y, prepared.plan, random_state=prepared.config.random_state)


def slice_columns(session: Session, inputs: TrainingInputs) -> list[str]:
    """Return the columns a run scores per value: the sensitive ones and those the project's slice targets name."""
    named = [t.slice.split("=", 1)[0] for t in list_targets(session, inputs.dataset.project_id) if t.slice]
    columns = dict.fromkeys([*inputs.roles.sensitive, *named])
    return [c for c in columns if c in inputs.frame.columns and c != inputs.roles.target]


def launch_run(session: Session, *, prepared: PreparedRun, actor: str = "analyst", parent_run_id: int | None = None,
               trigger: str = "manual", notes: str = "", tags: list[str] | None = None,
               checks: DataChecks | None = None) -> Run:
    """Return the new run record (status "running") for prepared inputs, with the data checks made before it."""
    run = start_run(session, inputs=prepared.inputs, config=prepared.config, actor=actor, parent_run_id=parent_run_id,
                    trigger=trigger, features=prepared.plan.to_dict(), notes=notes, tags=tags)
    if checks is not None:
        run.details = {**run.details, "data_checks": checks.to_dict()}
        session.add(run)
    return run


def execute_run(engine: Engine, *, run_id: int, prepared: PreparedRun, progress: Progress | None = None,
                should_stop: StopCheck | None = None) -> str:
    """Train the run and record how it ended; return its final status (finished, failed or cancelled)."""
    try:
        outcome = train_model(prepared.data, config=prepared.config, plan=prepared.plan, progress=progress,
                              should_stop=should_stop)
        with session_scope(engine) as session:
            finish_run(session, run_id=run_id, outcome=outcome)
        return "finished"
    except TrainingCancelled:
        return _close(engine, run_id, "cancelled", "")
    except Exception as error:  # noqa: BLE001 — a fit fails in many ways; each is recorded, none is lost
        return _close(engine, run_id, "failed", f"{type(error).__name__}: {error}")


def _close(engine: Engine, run_id: int, status: str, error: str) -> str:
    with session_scope(engine) as session:
        close_run(session, run_id=run_id, status=status, error=error)
    return status


def record_sanity_check(session: Session, *, project_id: int, model: str, result: SanityResult,
                        actor: str = "analyst") -> None:
    """Log a sanity check's outcome on the project timeline."""
    log_event(session, project_id=project_id, actor=actor, action="ran sanity check",
              details={"model": model, "rows": result.n_rows, "train accuracy": round(result.train_accuracy, 4),
                       "passed": result.passed, "verdict": result.verdict})


def evaluate_on_test(session: Session, *, project_id: int, run_id: int, actor: str = "analyst",
                     frame: pd.DataFrame | None = None) -> TestLook:
    """Return a new look at the test split: the run's test metrics, logged and counted."""
    run = get_run(session, run_id, project_id=project_id)
    if run.status != "finished":
        raise ValueError(NOT_FINISHED.format(run=run_label(run), status=run.status))
    if run.split_id is None or run.dataset_id is None:
        raise ValueError(SPLIT_GONE.format(run=run_label(run)))
    model = load_run_model(session, run_id)
    inputs = load_training_inputs(session, dataset_id=run.dataset_id, frame=frame, split_id=run.split_id)
    features = run.details["features"]
    plan = FeaturePlan(tuple(features["numeric"]), tuple(features["categorical"]))
    X, y = labelled_rows(inputs.frame, inputs.labels, inputs.assignment, plan=plan, split="test")
    check_known_classes(y, list(model.classes_), split="test")
    predictions = predict_rows(model, X, y)
    groups = slice_frame(inputs.frame[slice_columns(session, inputs)]).loc[y.index]
    classes = positive_last(model.classes_, run.config.get("positive_class"))
    metrics = json_safe({**evaluate_predictions(predictions, classes=classes).metrics,
                         **slice_metrics(predictions, groups, classes=classes)})
    if not has_predictions(session, run_id=run_id, split="test"):
        save_predictions(session, run=run, split="test", predictions=predictions)
    look = TestLook(project_id=project_id, run_id=run_id, metrics=metrics, actor=actor)
    session.add(look)
    session.flush()
    log_event(session, project_id=project_id, actor=actor, action="looked at the test split",
              details={"run": run_label(run), "looks so far": count_test_looks(session, project_id)})
    return look


def count_test_looks(session: Session, project_id: int) -> int:
    """Return how many times the project's test split has been looked at."""
    return int(session.exec(select(func.count()).select_from(TestLook).where(TestLook.project_id == project_id)).one())


def list_test_looks(session: Session, project_id: int) -> list[TestLook]:
    """Return the project's looks at the test split, newest first."""
    return list(session.exec(select(TestLook).where(TestLook.project_id == project_id)
                             .order_by(col(TestLook.id).desc())))

