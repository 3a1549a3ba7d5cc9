"""What error analysis reads for a run: its dev predictions joined to its dataset version, and baselines."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from core.errors.data import AnalysisData, analysis_data
from core.errors.priority import BaselineLookup
from storage.baselines.records import HLP, list_baselines, primary_baseline
from storage.baselines.tables import Baseline
from storage.data.datasets import load_frame, load_ground_truth
from storage.data.tables import Dataset
from storage.errors.tags import row_tags
from storage.modeling.runs import get_run, has_predictions, load_predictions, run_label
from storage.modeling.tables import Run

NOT_FINISHED = ("{run} is {status}, so it has no predictions to analyse. Pick a finished run, or train one "
                "on the Experiments page.")
NO_DEV_PREDICTIONS = ("{run} has no stored dev predictions, so its errors cannot be shown. Train a run on "
                      "the Experiments page: every finished run stores its dev predictions.")
DATASET_GONE = ("The dataset version {run} was trained on has been deleted, so its rows cannot be shown. "
                "Train a run on a current dataset version on the Experiments page.")
UNSTRUCTURED_KINDS = ("image", "text")


# eq=False: holds frames.
@dataclass(frozen=True, eq=False)
class RunAnalysis:
    """A finished run ready for error analysis: its dev rows, the dataset version, and the baselines."""

    run: Run
    dataset: Dataset
    frame: pd.DataFrame
    data: AnalysisData
    baseline: BaselineLookup | None
    unstructured: bool
    ground_truth: dict


def load_run_analysis(session: Session, *, project_id: int, run_id: int, metric: str = "accuracy",
                      frame: pd.DataFrame | None = None) -> RunAnalysis:
    """Return a run's analysis inputs; raise ValueError saying what is missing and where to get it."""
    run = get_run(session, run_id, project_id=project_id)
    if run.status != "finished":
        raise ValueError(NOT_FINISHED.format(run=run_label(run), status=run.status))
    dataset = session.get(Dataset, run.dataset_id) if run.dataset_id is not None else None
    if dataset is None:
        raise ValueError(DATASET_GONE.format(run=run_label(run)))
    if not has_predictions(session, run_id=run_id, split="dev"):
        raise ValueError(NO_DEV_PREDICTIONS.format(run=run_label(run)))
    frame = load_frame(session, dataset.id) if frame is None else frame
    features = run.details.get("features") or {}
    visual = {c for c, kind in dataset.column_kinds.items() if kind in UNSTRUCTURED_KINDS}
    data = analysis_data(load_predictions(session, run_id=run_id, split="dev"), frame,
                         classes=run.details["classes"], tags=row_tags(session, dataset.id),
                         numeric=[c for c in features.get("numeric", []) if c not in visual],
                         categorical=[c for c in features.get("categorical", []) if c not in visual])
    # Images, or text with no other features, are unstructured: augmentation fits them.
    unstructured = "image" in dataset.column_kinds.values() or bool(visual) and not (data.numeric or data.categorical)
    return RunAnalysis(run, dataset, frame, data, baseline_lookup(session, project_id, dataset.id, metric), unstructured,
                       load_ground_truth(session, dataset.id))


def baseline_lookup(session: Session, project_id: int, dataset_id: int, metric: str) -> BaselineLookup | None:
    """Return the primary baseline overall with human-level performance per slice where it is stored."""
    primary = primary_baseline(session, project_id)
    hlp = _newest_hlp(list_baselines(session, project_id, dataset_id=dataset_id))
    if primary is None and hlp is None:
        return None
    overall = primary or hlp
    return BaselineLookup.from_stored(overall.name, metric, overall.metrics, hlp.slices if hlp else {},
                                      per_value_name=hlp.name if hlp else "",
                                      per_value_metrics=hlp.metrics if hlp else None)


def _newest_hlp(baselines: list[Baseline]) -> Baseline | None:
    return next((b for b in reversed(baselines) if b.kind == HLP), None)
