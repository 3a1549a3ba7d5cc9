"""Teaching mode's reveal for a scenario project: the planted truth read beside the learner's findings."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from core.data.roles import Roles
from core.errors.slices import SlicePredicate, slice_mask
from core.report.document import Reveal
from core.report.later import TOP_SLICES
from core.report.operations import MonitoringInputs
from core.report.reveal import biased_group_item, drift_item, flipped_labels_item, hard_slice_item, policy_item
from storage.data.datasets import load_columns, load_ground_truth
from storage.data.tables import Dataset
from storage.errors.slices import list_slices
from storage.errors.tags import row_tags
from storage.labeling.labels import current_labels
from storage.labeling.scans import stored_scan
from storage.modeling.tables import Run
from storage.report.review import ChampionSlices, audit_results


def scenario_dataset(datasets: list[Dataset], champion: Run | None) -> Dataset | None:
    """Return the scenario version the reveal reads: the champion's when it has a planted truth, else the newest."""
    planted = [d for d in datasets if d.has_ground_truth]
    chosen = next((d for d in planted if champion is not None and d.id == champion.dataset_id), None)
    return chosen or max(planted, key=lambda d: d.id, default=None)


def changed_labels(session: Session, versions: list[Dataset]) -> dict[int, str]:
    """Return row id -> current label, for rows whose current label differs from the stored one in any version.

    Row ids are stable across a scenario's versions, so a relabel in a later version and an
    accepted fix in an earlier one count for the same row; the newest version's label wins.
    """
    changed: dict[int, str] = {}
    for dataset in sorted(versions, key=lambda d: d.id):
        target = Roles.from_dict(dataset.roles).target
        if not target:
            continue
        given = load_columns(session, dataset.id, [target])[target].astype(str)
        current = current_labels(session, dataset.id).labels.astype(str)
        both = current.index.intersection(given.index)
        differs = current.loc[both] != given.loc[both]
        changed.update({int(r): v for r, v in current.loc[both][differs].items()})
    return changed


def scenario_reveal(session: Session, project_id: int, datasets: list[Dataset], champion: Run | None,
                    slices: ChampionSlices | None, monitoring: MonitoringInputs) -> Reveal | None:
    """Return the planted truth beside what was found, scored (None: no scenario data in the project)."""
    dataset = scenario_dataset(datasets, champion)
    if dataset is None:
        return None
    truth = load_ground_truth(session, dataset.id)
    lineage = [d for d in datasets if d.has_ground_truth and d.name == dataset.name]
    items = []
    if truth.get("label_noise"):
        scan = stored_scan(session, dataset.id)
        items.append(flipped_labels_item(truth["label_noise"], changed_labels(session, lineage),
                                         (scan.table.index, scan.checked) if scan else None))
    if truth.get("bias"):
        items.append(biased_group_item(truth["bias"], audit_results(session, project_id)))
    if (truth.get("hard_slice") or {}).get("conditions"):
        items.append(_hard_slice(session, dataset, truth["hard_slice"], slices))
    flagged = monitoring.drifted_columns if monitoring.monitored else None
    if truth.get("data_drift"):
        items.append(drift_item(truth["data_drift"], flagged, monitoring.drift_month))
    if truth.get("concept_drift"):
        items.append(policy_item(truth["concept_drift"],
                                 monitoring.performance_drop_month if monitoring.monitored else None))
    return Reveal(dataset.source.removeprefix("scenario:"), tuple(items))


def _hard_slice(session: Session, dataset: Dataset, hard: dict, slices: ChampionSlices | None):
    predicate = SlicePredicate.from_json(hard["conditions"])
    frame = load_columns(session, dataset.id, predicate.columns())
    hard_rows = frame.index[slice_mask(frame, predicate)]
    named = {row.name: row.conditions for row in list_slices(session, dataset.project_id)}
    if slices is not None:
        top = slices.report.table["slice"].head(TOP_SLICES)
        named.update({name: slices.report.slices[name].predicate.to_json() for name in top})
    tag_rows: dict[str, list[int]] = {}
    for row, tags in row_tags(session, dataset.id).items():
        for tag in tags:
            tag_rows.setdefault(tag, []).append(row)
    return hard_slice_item(hard, named, {t: pd.Index(rows) for t, rows in tag_rows.items()}, hard_rows)
