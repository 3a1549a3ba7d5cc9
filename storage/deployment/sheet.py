"""Everything the Deployment page shows, read in one session."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlmodel import Session

from core.baselines.computed import LEGACY_RULES
from core.predictions import LABEL, PREDICTION, PROBA_PREFIX
from storage.deployment.deployments import list_deployments
from storage.deployment.sides import HUMAN, LEGACY, SCENARIO_SOURCE, human_accuracy, stream_options, training_dataset
from storage.deployment.tables import Deployment
from storage.modeling.registry import aliases
from storage.modeling.runs import list_runs, load_predictions, run_label
from storage.modeling.tables import Run


@dataclass(frozen=True, eq=False)
class DeploymentSheet:
    """The registry's champion and challenger, finished runs, the running sides and streams on offer, history."""

    champion: Run | None
    challenger: Run | None
    runs: dict[int, Run]
    running_sides: dict[str, str]
    streams: dict[str, str]
    human_accuracy: float | None
    deployments: list[Deployment]


def load_deployment_sheet(session: Session, project_id: int) -> DeploymentSheet:
    held = aliases(session, project_id)
    champion = held.get("champion")
    runs = {r.id: r for r in list_runs(session, project_id) if r.status == "finished"}
    accuracy = human_accuracy(session, project_id)
    sides, streams = {}, {}
    if champion is not None and champion.dataset_id is not None:
        dataset = training_dataset(session, champion)
        sides = {f"run:{r.id}": f"{run_label(r)} · {r.model}" + (" (champion)" if r.id == champion.id else "")
                 for r in runs.values()}
        if dataset.source.removeprefix(SCENARIO_SOURCE) in LEGACY_RULES:
            sides[LEGACY] = "The legacy rule the scenario used before"
        sides[HUMAN] = ("A person doing the task (simulated at the measured human-level accuracy "
                        f"{accuracy:.3f})" if accuracy is not None else
                        "A person doing the task (measure human-level performance on Baselines first)")
        streams = stream_options(session, dataset)
    return DeploymentSheet(champion, held.get("challenger"), runs, sides, streams, accuracy,
                           list_deployments(session, project_id))


def dev_confidence(session: Session, run_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Return, per dev row of a run, whether its prediction was right and its confidence (top probability)."""
    frame = load_predictions(session, run_id=run_id, split="dev")
    proba = frame[[c for c in frame.columns if c.startswith(PROBA_PREFIX)]].to_numpy(dtype=float)
    correct = (frame[PREDICTION].astype(str) == frame[LABEL].astype(str)).to_numpy()
    return correct, proba.max(axis=1)
