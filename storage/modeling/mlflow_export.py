"""Runs sent to an MLflow tracking store (a local folder or a server) with MLflow's own client.

MLflow is optional (`requirements-mlflow.txt`) and heavy to import (seconds), so it is imported
inside the functions that send, never when the app starts; `mlflow_available` asks only whether
it is installed. What each run becomes is built by `core.modeling.mlflow_record`: every run goes
to the experiment named after the project, with its config as parameters, its metrics (train,
dev, per slice, timings), its tags and notes, the dataset version and label snapshot as dataset
inputs (their full hashes as tags), and as artifacts the model's skops file and its loading text
(checked against their checksum and trusted types first, as for a download) and the map from
MLflow's metric keys to the app's names.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from core.exports import ExportFile
from core.modeling.catalog import MODELS
from core.modeling.mlflow_record import MlflowRecord, RunFacts, mlflow_record, tracking_uri
from storage.data.tables import Dataset
from storage.modeling.export import model_download
from storage.modeling.runs import get_run, run_label
from storage.modeling.tables import Run
from storage.project.projects import get_project, log_event

INSTALL_COMMAND = "pip install -r requirements-mlflow.txt"
NOT_INSTALLED = f"MLflow is not installed here. Install it with `{INSTALL_COMMAND}`, then start the app again."
NO_RUNS = "Choose at least one finished run to send to MLflow."
NOT_FINISHED = "{run} is {status}: only a finished run, with its model, can be sent to MLflow."
REFUSED = ("MLflow at {uri} did not take {run}: {reason}. Check the address (and that the server runs), then send "
           "again.{sent}")
ALREADY_SENT = " Already sent before the problem: {runs}."
METRIC_NAMES_FILE = "metric_names.json"


class MlflowExportError(ValueError):
    """Runs could not be sent to MLflow; the message names the problem and the fix."""


@dataclass(frozen=True)
class SentRuns:
    """Where the runs went: the tracking URI, the experiment, and each run's label with its MLflow run id."""

    uri: str
    experiment: str
    runs: list[tuple[str, str]]


def mlflow_available() -> bool:
    """Return whether MLflow's client can be imported, without importing it."""
    return importlib.util.find_spec("mlflow") is not None


def send_runs_to_mlflow(session: Session, run_ids: list[int], *, project_id: int, where: str,
                        actor: str = "analyst") -> SentRuns:
    """Return where the chosen runs were sent; refuse before sending anything when a run or the address is wrong."""
    if not run_ids:
        raise MlflowExportError(NO_RUNS)
    if not mlflow_available():
        raise MlflowExportError(NOT_INSTALLED)
    uri, project = tracking_uri(where), get_project(session, project_id).name
    prepared = [_prepared(session, run_id, project_id, project) for run_id in run_ids]
    client = _client(uri)
    experiment_id = _experiment(client, project, uri)
    sent: list[tuple[str, str]] = []
    for record, files in prepared:
        sent.append((record.run_name, _send(client, experiment_id, record, files, uri=uri, sent=sent)))
    log_event(session, project_id=project_id, actor=actor, action="sent runs to MLflow",
              details={"runs": [label for label, _ in sent], "experiment": project})
    return SentRuns(uri, project, sent)


def _prepared(session: Session, run_id: int, project_id: int, project: str) -> tuple[MlflowRecord, list[ExportFile]]:
    run = get_run(session, run_id, project_id=project_id)
    if run.status != "finished":
        raise MlflowExportError(NOT_FINISHED.format(run=run_label(run), status=run.status))
    files = list(model_download(session, run_id, project_id=project_id))  # checksum and trusted types checked
    return mlflow_record(run_facts(session, run, project)), files


def run_facts(session: Session, run: Run, project: str) -> RunFacts:
    """Return what the app stored about a run, as the plain values an MLflow record is built from."""
    dataset = session.get(Dataset, run.dataset_id) if run.dataset_id is not None else None
    return RunFacts(
        project=project, run_label=run_label(run), number=run.number,
        model=MODELS[run.model].label if run.model in MODELS else run.model,
        dataset=f"{dataset.name} v{dataset.version}" if dataset else "a dataset version since deleted",
        dataset_hash=run.dataset_hash, labels_hash=run.labels_hash, config=run.config, metrics=run.metrics,
        timings=run.timings, model_size=run.model_size, code_version=run.code_version, tags=list(run.tags),
        notes=run.notes, status=run.status, created_at=run.created_at, finished_at=run.finished_at)


def _client(uri: str):
    if uri.startswith("file:"):
        # MLflow 3 keeps its folder store in maintenance mode and refuses it unless this is set; it still
        # reads and writes, and `mlflow ui --backend-store-uri <the file URI>` shows it with the same setting.
        os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    # The app sends nothing anywhere unasked: MLflow 3 reports usage to its makers unless told not to.
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    # A server that is down should fail in seconds, not after MLflow's minutes of retries.
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "15")
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=uri)


def _experiment(client, name: str, uri: str) -> str:
    try:
        found = client.get_experiment_by_name(name)
        return found.experiment_id if found is not None else client.create_experiment(name)
    except Exception as error:  # MLflow raises its own and the HTTP library's errors; both are reported
        raise MlflowExportError(REFUSED.format(uri=uri, run="the experiment", reason=_reason(error), sent="")) from error


def _send(client, experiment_id: str, record: MlflowRecord, files: list[ExportFile], *, uri: str,
          sent: list[tuple[str, str]]) -> str:
    run = None
    try:
        run = client.create_run(experiment_id, start_time=record.start_ms, run_name=record.run_name)
        _log(client, run.info.run_id, record, files)
        client.set_terminated(run.info.run_id, status=record.status, end_time=record.end_ms)
        return run.info.run_id
    except Exception as error:  # as above; the half-written run is deleted so no partial copy remains
        if run is not None:
            _delete_quietly(client, run.info.run_id)
        already = ALREADY_SENT.format(runs=", ".join(label for label, _ in sent)) if sent else ""
        raise MlflowExportError(REFUSED.format(uri=uri, run=record.run_name, reason=_reason(error),
                                               sent=already)) from error


def _log(client, run_id: str, record: MlflowRecord, files: list[ExportFile]) -> None:
    from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag
    from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

    params = [Param(k, v) for k, v in record.params.items()]
    tags = [RunTag(k, v) for k, v in record.tags.items()]
    metrics = [Metric(k, v, record.end_ms or record.start_ms, 0) for k, v in record.metrics.items()]
    for start in range(0, max(len(params), len(tags)), 100):  # MLflow's limits per batch call
        client.log_batch(run_id, params=params[start:start + 100], tags=tags[start:start + 100])
    for start in range(0, len(metrics), 1000):
        client.log_batch(run_id, metrics=metrics[start:start + 1000])
    client.log_inputs(run_id, datasets=[
        DatasetInput(Dataset(i.name, i.digest, "workbench", i.source), tags=[InputTag(MLFLOW_DATASET_CONTEXT, i.context)])
        for i in record.inputs])
    _log_files(client, run_id, record, files)


def _log_files(client, run_id: str, record: MlflowRecord, files: list[ExportFile]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for file in files:
            path = Path(folder) / file.file_name  # made of safe characters by core.exports
            path.write_bytes(file.data)
            client.log_artifact(run_id, str(path), "model")
        names = Path(folder) / METRIC_NAMES_FILE
        names.write_text(json.dumps(record.metric_names, indent=2, ensure_ascii=False), encoding="utf-8")
        client.log_artifact(run_id, str(names), "workbench")


def _delete_quietly(client, run_id: str) -> None:
    try:
        client.delete_run(run_id)
    except Exception:  # the store already failed once; the message names the first problem
        pass


def _reason(error: Exception) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__

