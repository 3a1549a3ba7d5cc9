"""Human-level performance measured from the project's own labels, stored as a baseline."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from core.baselines.metrics import sorted_classes
from core.baselines.computed import slice_candidates, slice_columns
from core.labeling.consensus import UNCLEAR
from core.baselines.hlp import NO_TRUTH, Reference, human_level_performance
from core.labeling.label_set import effective_labels
from core.data.roles import Roles
from core.labeling.simulated_labelers import clean_labels
from core.predictions import positive_last
from storage.baselines.records import store_scores
from storage.data.datasets import get_dataset, latest_split, load_frame, load_ground_truth
from storage.labeling.labels import current_labels, label_history
from storage.baselines.tables import Baseline
from storage.data.tables import Dataset
from storage.scoping.positive import chosen_positive

REFERENCE_NAMES: dict[Reference, str] = {"others": "Human-level (vs the other labelers)",
                                         "truth": "Human-level (vs the true labels)"}
REFERENCE_TEXT: dict[Reference, str] = {"others": "the vote of the other labelers", "truth": "the scenario's true labels"}


@dataclass(frozen=True)
class LabelFacts:
    """How many labels a dataset version has, from how many labelers, and how many items overlap."""

    n_labels: int
    n_labelers: int
    n_overlap_items: int
    has_truth: bool


def labeler_judgments(session: Session, dataset_id: int) -> pd.DataFrame:
    """Return each labeler's current label per item (row_id, labeler, value); decisions are not judgments."""
    effective = effective_labels(label_history(session, dataset_id))
    if effective.empty:
        return pd.DataFrame(columns=["row_id", "labeler", "value"])
    return effective.loc[~effective["decision"].astype(bool), ["row_id", "labeler", "value"]].reset_index(drop=True)


def label_facts(session: Session, dataset_id: int) -> LabelFacts:
    """Return what HLP can rest on for a dataset version."""
    labels = labeler_judgments(session, dataset_id)
    per_item = labels.groupby("row_id")["labeler"].nunique()
    return LabelFacts(len(labels), labels["labeler"].nunique(), int((per_item >= 2).sum()),
                      get_dataset(session, dataset_id).has_ground_truth)


def add_hlp_baseline(
    session: Session, *, dataset_id: int, reference: Reference = "others", frame: pd.DataFrame | None = None,
    random_state: int = 0, actor: str = "analyst",
) -> Baseline:
    """Return the stored human-level baseline of a dataset version, measured from its labels."""
    dataset = get_dataset(session, dataset_id)
    frame = load_frame(session, dataset_id) if frame is None else frame
    roles = Roles.from_dict(dataset.roles)
    labels = labeler_judgments(session, dataset_id)
    result = human_level_performance(
        labels, reference=reference, truth=_truth(session, dataset, frame, roles) if reference == "truth" else None,
        classes=positive_last(_classes(frame, roles, labels),
                              chosen_positive(session, project_id=dataset.project_id, target=roles.target)),
        random_state=random_state,
        groups=frame[slice_columns(frame, slice_candidates(dataset.column_kinds, exclude=(roles.target, roles.id),
                                                           sensitive=roles.sensitive))],
    )
    snapshot = current_labels(session, dataset_id).snapshot_hash[:12]
    note = (f"{result.n_judgments:,} judgments by {len(result.labelers)} labelers on {int(result.scores.overall.n):,} "
            f"items, each against {REFERENCE_TEXT[reference]}; label snapshot {snapshot}.")
    labelers = {str(name): {"items": int(row["items"]), "accuracy": float(row["accuracy"])}
                for name, row in result.labelers.iterrows()}
    return store_scores(session, dataset, latest_split(session, dataset_id), kind="hlp", name=REFERENCE_NAMES[reference],
                        scores=result.scores, source_note=note, actor=actor, extra={"labelers": labelers})


def hlp_reference(baseline: Baseline) -> Reference:
    """Return what a stored human-level baseline scored each labeler against ("others" or "truth")."""
    by_name = {name: reference for reference, name in REFERENCE_NAMES.items()}
    return by_name.get(baseline.name, "others")


def labeler_table(baseline: Baseline) -> pd.DataFrame:
    """Return how each labeler fared in a stored human-level baseline: items and accuracy."""
    table = pd.DataFrame.from_dict(baseline.overall.get("labelers", {}), orient="index", columns=["items", "accuracy"])
    return table.rename_axis("labeler").reset_index()


def _truth(session: Session, dataset: Dataset, frame: pd.DataFrame, roles: Roles) -> pd.Series:
    if not dataset.has_ground_truth or not roles.target:
        raise ValueError(NO_TRUTH)
    return clean_labels(frame[roles.target], load_ground_truth(session, dataset.id))


def _classes(frame: pd.DataFrame, roles: Roles, labels: pd.DataFrame) -> list[str]:
    known = [str(c) for c in sorted_classes(frame[roles.target])] if roles.target else []
    return known + sorted(set(labels["value"].astype(str)) - set(known) - {UNCLEAR})
