"""Runs as tables for comparing: one row per run, and one row per run and class."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from core.modeling.comparison import parameter_table
from storage.data.datasets import list_datasets
from storage.data.tables import Dataset
from storage.modeling.tables import Run, TestLook
from storage.scoping.tables import Target
from storage.modeling.registry import aliases
from storage.modeling.execution import list_test_looks
from storage.modeling.runs import aliases_by_run, list_runs
from storage.scoping.records import list_targets

DEV_METRICS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "log_loss")
RUN_COLUMNS = ["model", "status", "aliases", "dataset", *DEV_METRICS, "train_accuracy", "fit_seconds",
               "p95_latency_ms", "latency_calls", "busy_while_timed", "model_mb", "tags", "created", "error",
               "notes", "archived"]


def runs_frame(session: Session, project_id: int) -> pd.DataFrame:
    """Return one row per run of the project (index: its number in the project), newest first.

    Columns: its dev metrics and timings, then one column per hyperparameter (see
    `core.modeling.comparison.parameter_table`) before the tags, notes and whether it is archived.
    """
    names = {d.id: f"{d.name} v{d.version}" for d in list_datasets(session, project_id)}
    held = aliases_by_run(session, project_id)
    runs = list_runs(session, project_id)
    frame = pd.DataFrame([_row(run, names, held.get(run.id, [])) for run in runs],
                         columns=["run", *RUN_COLUMNS]).set_index("run")
    for column in (*DEV_METRICS, "train_accuracy", "fit_seconds", "p95_latency_ms", "model_mb"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["archived"] = frame["archived"].astype(bool)
    params = parameter_table({run.number: run.config for run in runs}, taken=RUN_COLUMNS)
    at = RUN_COLUMNS.index("tags")
    return pd.concat([frame.iloc[:, :at], params, frame.iloc[:, at:]], axis=1).rename_axis("run")


def parameter_columns(table: pd.DataFrame) -> list[str]:
    """Return the hyperparameter columns of a runs table (see `runs_frame`) that hold a value for some row."""
    return [c for c in table.columns if c not in RUN_COLUMNS and table[c].notna().any()]


def _row(run: Run, dataset_names: dict[int, str], aliases: list[str]) -> dict:
    dev = run.metrics.get("dev", {})
    return {
        "run": run.number, "model": run.model, "status": run.status, "aliases": ", ".join(sorted(aliases)),
        "dataset": dataset_names.get(run.dataset_id, "—"), **{m: dev.get(m) for m in DEV_METRICS},
        "train_accuracy": run.metrics.get("train", {}).get("accuracy"), "fit_seconds": run.timings.get("fit_seconds"),
        "p95_latency_ms": run.timings.get("latency_p95_ms"), "latency_calls": run.timings.get("latency_calls"),
        "busy_while_timed": run.timings.get("latency_busy"), "model_mb": run.model_size / 1024**2,
        "tags": ", ".join(run.tags), "created": run.created_at, "error": run.error, "notes": run.notes,
        "archived": run.archived,
    }


def per_class_frame(runs: list[Run]) -> pd.DataFrame:
    """Return one row per finished run (by number) and class: precision, recall, F1 and support on dev."""
    rows = [{"run": run.number, "class": name, **scores}
            for run in runs for name, scores in run.details.get("dev", {}).get("per_class", {}).items()]
    return pd.DataFrame(rows, columns=["run", "class", "precision", "recall", "f1", "support"])


@dataclass(frozen=True)
class ExperimentsSheet:
    """Everything the Experiments page shows for one project, read in one go."""

    datasets: dict[int, Dataset]
    runs: dict[int, Run]
    table: pd.DataFrame
    aliases: dict[str, Run]
    targets: list[Target]
    test_looks: list[TestLook]


def load_experiments(session: Session, project_id: int) -> ExperimentsSheet:
    """Return the project's datasets, runs (newest first) as records and as a table, aliases, targets, test looks."""
    return ExperimentsSheet(
        datasets={d.id: d for d in list_datasets(session, project_id)},
        runs={run.id: run for run in list_runs(session, project_id)}, table=runs_frame(session, project_id),
        aliases=aliases(session, project_id), targets=list_targets(session, project_id),
        test_looks=list_test_looks(session, project_id),
    )
