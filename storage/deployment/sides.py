"""The two sides and the stream of a deployment, built from the project's stored runs, baselines and data.

Nothing here writes: a bad choice (no champion, a damaged model, a stream of another schema)
raises ValueError with the problem and the fix before anything is started.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from core.baselines.computed import LEGACY_RULES
from core.data.roles import Roles
from core.deployment.servers import HumanServer, ModelServer, RuleServer, Server
from core.deployment.streams import Stream, check_stream_schema, dataset_stream, degraded_stream, loan_stream
from storage.baselines.records import list_baselines, primary_baseline
from storage.data.datasets import get_dataset, latest_split, load_frame, load_ground_truth, load_split
from storage.data.tables import Dataset
from storage.modeling.registry import aliases
from storage.modeling.runs import get_run, load_run_model, run_label
from storage.modeling.tables import Run

SCENARIO_SOURCE = "scenario:"
LEGACY, HUMAN = "legacy_rule", "human"
NO_CHAMPION = (
    "This project has no champion model yet. Train a model and promote it to champion on the Experiments page."
)
NOT_FINISHED = "{run} is {status}, so it has no model to deploy. Pick a finished run."
SAME_SIDES = "The candidate and the running side are the same run, {run}. Pick another candidate."
NO_HLP = (
    "No human-level performance is measured for this project, so the person doing the task cannot be simulated. "
    "Measure it on the Baselines page first."
)
NO_LEGACY = "Only the loan_approval scenario has a legacy rule; pick a run as the running side."
DATA_GONE = "The data {run} was trained on no longer exists. Pick a run trained on a current dataset version."
NO_HELD_OUT = "The champion's data has no split, so it has no held-out rows to replay. Make a split on the Datasets page."
UNKNOWN_STREAM = "“{kind}” is not a stream of this project; pick one of the listed streams."


def champion_run(session: Session, project_id: int) -> Run:
    """Return the registry's champion run; raise ValueError when there is none."""
    held = aliases(session, project_id)
    if "champion" not in held:
        raise ValueError(NO_CHAMPION)
    return held["champion"]


def run_server(session: Session, run_id: int, project_id: int) -> ModelServer:
    """Return a finished run's stored model as a side (checksum and trusted types checked on load)."""
    run = get_run(session, run_id, project_id=project_id)
    if run.status != "finished":
        raise ValueError(NOT_FINISHED.format(run=run_label(run), status=run.status))
    features = run.details.get("features", {})
    columns = [*features.get("numeric", []), *features.get("categorical", [])]
    return ModelServer(f"{run_label(run)} · {run.model}", load_run_model(session, run_id), columns)


def human_accuracy(session: Session, project_id: int) -> float | None:
    """Return the measured human-level accuracy (the primary baseline if human-level, else the newest one)."""
    primary = primary_baseline(session, project_id)
    rows = [primary] if primary is not None and primary.kind == "hlp" else []
    rows += [b for b in reversed(list_baselines(session, project_id)) if b.kind == "hlp"]
    value = next((b.metrics.get("accuracy") for b in rows if b.metrics.get("accuracy") is not None), None)
    return None if value is None else float(value)


def running_side(session: Session, *, project_id: int, choice: str, classes: list, dataset: Dataset,
                 seed: int = 0) -> Server:
    """Return the side that runs today: a run ("run:<id>"), the scenario's legacy rule, or a simulated person."""
    if choice.startswith("run:"):
        return run_server(session, int(choice.removeprefix("run:")), project_id)
    if choice == LEGACY:
        rule = LEGACY_RULES.get(dataset.source.removeprefix(SCENARIO_SOURCE))
        if rule is None:
            raise ValueError(NO_LEGACY)
        return RuleServer("Legacy rule", rule.predict, list(rule.columns), list(classes))
    accuracy = human_accuracy(session, project_id)
    if accuracy is None:
        raise ValueError(NO_HLP)
    return HumanServer(f"Person (accuracy {accuracy:.3f})", accuracy, list(classes), seed)


def training_dataset(session: Session, run: Run) -> Dataset:
    if run.dataset_id is None:
        raise ValueError(DATA_GONE.format(run=run_label(run)))
    return get_dataset(session, run.dataset_id)


@dataclass(frozen=True)
class StreamChoice:
    """Which stream to replay: kind "scenario", "degraded", "test_split" or "dataset:<id>", its size and seed."""

    kind: str
    n_requests: int = 10_000
    start_month: int = 6
    seed: int = 1

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def stream_options(session: Session, dataset: Dataset) -> dict[str, str]:
    """Return the streams this training data allows: key -> how a user calls it."""
    options = {}
    if dataset.source == f"{SCENARIO_SOURCE}loan_approval":
        options["scenario"] = "Later months of the loan_approval scenario (fresh applicants, drift, policy change)"
    if any(kind == "image" for kind in dataset.column_kinds.values()):
        options["degraded"] = "Degraded inputs: held-out images with noise and shifts worsening over time"
    options["test_split"] = "Held-out rows: the test split of the training data"
    for other in _same_project_versions(session, dataset):
        options[f"dataset:{other.id}"] = f"Held-out version {other.name} v{other.version} ({other.n_rows:,} rows)"
    return options


def _same_project_versions(session: Session, dataset: Dataset) -> list[Dataset]:
    from storage.data.datasets import list_datasets

    return [d for d in list_datasets(session, dataset.project_id) if d.id != dataset.id]


def build_stream(session: Session, dataset: Dataset, choice: StreamChoice) -> Stream:
    """Return the stream a choice names, checked against the training data's schema."""
    roles = Roles.from_dict(dataset.roles)
    if choice.kind == "scenario":
        return loan_stream(load_ground_truth(session, dataset.id), n_requests=choice.n_requests,
                           start_month=choice.start_month, seed=choice.seed)
    if choice.kind in ("degraded", "test_split"):
        held_out = _held_out(session, dataset)
        if choice.kind == "test_split":
            return dataset_stream(held_out, target=roles.target, time_column=roles.time, name="the test split")
        pixels = [c for c, kind in dataset.column_kinds.items() if kind == "image"]
        return degraded_stream(held_out, target=roles.target, pixels=pixels, n_requests=choice.n_requests,
                               seed=choice.seed)
    if choice.kind.startswith("dataset:"):
        other = get_dataset(session, int(choice.kind.removeprefix("dataset:")))
        if other.project_id != dataset.project_id:
            raise ValueError(UNKNOWN_STREAM.format(kind=choice.kind))
        check_stream_schema(other.column_kinds, dataset.column_kinds)
        return dataset_stream(load_frame(session, other.id), target=roles.target, time_column=roles.time,
                              n_requests=choice.n_requests, name=f"{other.name} v{other.version}")
    raise ValueError(UNKNOWN_STREAM.format(kind=choice.kind))


def _held_out(session: Session, dataset: Dataset) -> pd.DataFrame:
    split = latest_split(session, dataset.id)
    if split is None:
        raise ValueError(NO_HELD_OUT)
    frame = load_frame(session, dataset.id)
    assignment = load_split(split).reindex(frame.index)
    return frame[(assignment == "test").to_numpy()]
