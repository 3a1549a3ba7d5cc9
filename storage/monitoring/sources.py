"""What monitoring compares: the reference (the serving run's training rows) and the deployment's stream.

The stream is rebuilt from `Deployment.stream` (the same generator, size and seed the replay used),
so every request is available, not only the log's sample. Its predictions and probabilities are
rebuilt too, by scoring every request with the watched run's stored model: the log keeps them for a
bounded sample only, and monitoring needs them for every row (class mix, confidence, the
performance estimate). The watched run is the side that served at the end of the replay: the
candidate once it took all traffic, else the running side; when the running side is not a model
(the legacy rule or a person), the candidate. True labels count once they have arrived: a request's
label arrives the replay's label delay after it, and the replay ends at its last request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlmodel import Session

from core.data.roles import Roles
from core.deployment.automation import AutomationSetting, routed_to_human
from core.deployment.plans import RolloutSettings
from storage.data.datasets import load_frame, load_ground_truth, load_split
from storage.data.tables import Split
from storage.deployment.log import NO_LOG, list_windows
from storage.deployment.sides import StreamChoice, build_stream, run_server, training_dataset
from storage.deployment.tables import Deployment, deployment_label
from storage.modeling.runs import get_run, run_label
from storage.modeling.tables import Run

NO_SPLIT = "{run} has no stored split any more, so its training rows are unknown. Train it again on a current split."
NO_TRAIN_ROWS = "{run}'s split has no training rows left in its dataset version, so there is no reference."
NO_MODEL_SIDE = "{deployment} has no model on either side, so there is nothing to monitor."


@dataclass(frozen=True, eq=False)
class MonitoredData:
    """The reference and the current stream of one deployment, scored by the watched run's model."""

    deployment: Deployment
    run: Run
    features: list[str]
    target: str
    kinds: dict[str, str]
    classes: list
    reference: pd.DataFrame
    dev_labels: pd.Series  # the run's dev rows: the reference's performance, on rows it never trained on
    dev_proba: np.ndarray
    stream: pd.DataFrame
    rows: pd.DataFrame  # every column of the stream's requests, for a retraining set
    times: pd.Series
    labels: pd.Series  # the true label where it has arrived by the end of the replay, else missing
    proba: np.ndarray
    to_human: np.ndarray
    log_windows: list[dict]
    planted: dict
    description: str

    @property
    def predictions(self) -> np.ndarray:
        return np.asarray(self.classes, dtype=object)[self.proba.argmax(axis=1)]


def watched_run(session: Session, deployment: Deployment) -> Run:
    """Return the run whose model served at the end of the replay (see the module docstring)."""
    candidate_served = deployment.share >= 100.0 or deployment.status == "promoted"
    run_id = deployment.challenger_run_id if candidate_served else deployment.champion_run_id
    run_id = run_id if run_id is not None else deployment.challenger_run_id
    if run_id is None:
        raise ValueError(NO_MODEL_SIDE.format(deployment=deployment_label(deployment)))
    return get_run(session, run_id, project_id=deployment.project_id)


def monitored_data(session: Session, deployment: Deployment) -> MonitoredData:
    """Return the deployment's reference and rebuilt stream, scored; raise ValueError before its log exists."""
    windows = list_windows(session, deployment.id)
    if deployment.status == "running" or not windows:
        raise ValueError(NO_LOG.format(deployment=deployment_label(deployment)))
    run = watched_run(session, deployment)
    server = run_server(session, run.id, deployment.project_id)
    dataset = training_dataset(session, run)
    reference, dev, dev_labels = _split_rows(session, run, dataset)
    stream = build_stream(session, dataset, StreamChoice(**deployment.stream))
    features = list(server.columns)
    setting = AutomationSetting.from_dict(deployment.automation)
    proba = server.proba(stream.frame, stream.labels.to_numpy())
    return MonitoredData(
        deployment, run, features, Roles.from_dict(dataset.roles).target,
        {c: dataset.column_kinds.get(c, "categorical") for c in features},
        list(server.classes), reference[features], dev_labels, server.proba(dev, dev_labels.to_numpy()),
        stream.frame[features], stream.frame,
        stream.times,
        _arrived_labels(stream.labels, stream.times, RolloutSettings.from_dict(deployment.plan).label_delay_hours),
        proba, routed_to_human(proba.max(axis=1), setting), windows, planted_truth(session, dataset.id, stream.kind),
        stream.description)


def _split_rows(session: Session, run: Run, dataset) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Return the run's training rows, its dev rows and their labels."""
    split = session.get(Split, run.split_id) if run.split_id is not None else None
    if split is None:
        raise ValueError(NO_SPLIT.format(run=run_label(run)))
    frame = load_frame(session, dataset.id)
    assignment = load_split(split).reindex(frame.index)
    train, dev = assignment.eq("train").to_numpy(), assignment.eq("dev").to_numpy()
    if not train.any():
        raise ValueError(NO_TRAIN_ROWS.format(run=run_label(run)))
    target = Roles.from_dict(dataset.roles).target
    return frame[train], frame[dev], frame.loc[dev, target]


def _arrived_labels(labels: pd.Series, times: pd.Series, delay_hours: float) -> pd.Series:
    arrives = pd.to_datetime(times) + pd.Timedelta(hours=delay_hours)
    return labels.where((arrives <= pd.to_datetime(times).max()).to_numpy())


def planted_truth(session: Session, dataset_id: int, stream_kind: str) -> dict:
    """Return what the scenario planted in the stream, for teaching mode: drifted columns and months, policy."""
    if stream_kind == "loan_approval":
        truth = load_ground_truth(session, dataset_id)
        return {"data_drift": truth.get("data_drift", {}), "concept_drift": truth.get("concept_drift", {})}
    if stream_kind == "degraded":
        return {"degraded": "noise and one-pixel shifts on every image, growing steadily from the first request"}
    return {}
