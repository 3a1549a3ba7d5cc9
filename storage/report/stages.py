"""The report's reads of the early stages: scoping and targets, dataset versions, label quality, the champion."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, col, select

from core.baselines.computed import KIND_LABELS
from core.labeling.agreement import agreement_report
from core.labeling.label_set import effective_labels, vote_matrix
from core.report.early import LabelInputs, ScanFacts, ScopingInputs, champion_measures, target_results
from core.report.later import ChampionInputs
from core.scoping.report import scoping_readiness
from storage.baselines.records import HLP, dataset_name, list_baselines
from storage.data.datasets import latest_split
from storage.data.tables import Dataset
from storage.labeling.labels import current_labels, label_history
from storage.labeling.scans import latest_scan, scan_fixes
from storage.labeling.quality import review_rate
from storage.labeling.tables import Label
from storage.modeling.execution import list_test_looks
from storage.modeling.runs import run_label
from storage.modeling.tables import Run
from storage.scoping.records import load_answers, list_targets

SPLIT_ORDER = ("train", "dev", "test")


def scoping_inputs(session: Session, project_id: int, champion: Run | None) -> ScopingInputs:
    """Return the checklist's readiness and every target against the champion's dev metrics and latency."""
    answers, targets = load_answers(session, project_id), list_targets(session, project_id)
    readiness = scoping_readiness(answers, targets) if answers or targets else None
    measures = champion_measures(champion.metrics.get("dev", {}), champion.timings) if champion else None
    measured_on = f"{run_label(champion)} (champion), dev split" if champion else ""
    return ScopingInputs(readiness, target_results(targets, measures), measured_on)


def versions_frame(datasets: list[Dataset], session: Session) -> pd.DataFrame:
    """Return one row per dataset version: lineage, source, size, content hash and its latest split."""
    names = {d.id: dataset_name(d) for d in datasets}
    rows = [{"dataset": dataset_name(d), "parent": names.get(d.parent_id, "—"), "source": d.source,
             "rows": d.n_rows, "columns": d.n_columns, "content hash": d.content_hash[:16],
             "split": _split_text(session, d), "created": f"{d.created_at:%Y-%m-%d %H:%M}"} for d in datasets]
    return pd.DataFrame(rows, columns=["dataset", "parent", "source", "rows", "columns", "content hash", "split",
                                       "created"])


def _split_text(session: Session, dataset: Dataset) -> str:
    split = latest_split(session, dataset.id)
    if split is None:
        return "none"
    counts = " · ".join(f"{name} {split.counts[name]:,}" for name in SPLIT_ORDER if name in split.counts)
    return f"{split.strategy}: {counts}"


def labeled_dataset(session: Session, datasets: list[Dataset], champion: Run | None) -> Dataset | None:
    """Return the version whose labels the report describes: the champion's when labeled there, else the newest labeled."""
    labeled = set(session.exec(select(Label.dataset_id).where(col(Label.dataset_id).in_([d.id for d in datasets]))
                               .distinct()).all())
    by_id = {d.id: d for d in datasets}
    if champion is not None and champion.dataset_id in labeled:
        return by_id[champion.dataset_id]
    return max((by_id[i] for i in labeled), key=lambda d: d.id, default=None)


def label_inputs(session: Session, project_id: int, dataset: Dataset | None) -> LabelInputs | None:
    """Return agreement, human-level accuracy, review rate and label fixes of the labeled version (None: no labels)."""
    if dataset is None:
        return None
    effective = effective_labels(label_history(session, dataset.id))
    matrix = vote_matrix(effective) if len(effective) else pd.DataFrame()
    report = agreement_report(matrix) if matrix.shape[1] else None
    decisions = effective[effective["decision"].astype(bool)] if len(effective) else effective
    fixes = decisions["source"].value_counts().to_dict() if len(decisions) else {}
    hlp = next((b for b in reversed(list_baselines(session, project_id)) if b.kind == HLP), None)
    return LabelInputs(dataset_name(dataset), int(len(effective)), report if report and report.n_items else None,
                       hlp.metrics.get("accuracy") if hlp else None, review_rate(session, dataset.id), fixes)


def scan_facts(session: Session, datasets: list[Dataset]) -> tuple[ScanFacts, ...]:
    """Return each version's newest label-error scan: found, checked, fixed since and stale (oldest version first)."""
    return tuple(_scan_facts(session, d) for d in sorted(datasets, key=lambda d: d.id))


def _scan_facts(session: Session, dataset: Dataset) -> ScanFacts:
    scan = latest_scan(session, dataset.id)
    if scan is None:
        return ScanFacts(dataset_name(dataset))
    stale = scan.labels_hash != current_labels(session, dataset.id).snapshot_hash
    return ScanFacts(dataset_name(dataset), scan.created_at, scan.n_checked, len(scan.flagged),
                     len(scan_fixes(session, scan)), stale)


def champion_inputs(session: Session, project_id: int, champion: Run | None) -> ChampionInputs | None:
    """Return the champion's config, hashes and dev scores, its dataset's baselines, and its test-split looks."""
    if champion is None:
        return None
    dataset = session.get(Dataset, champion.dataset_id) if champion.dataset_id is not None else None
    baselines = [(b.name, KIND_LABELS.get(b.kind, b.kind), b.metrics)
                 for b in list_baselines(session, project_id, dataset_id=champion.dataset_id)]
    looks = [(look.t, look.actor, look.metrics) for look in list_test_looks(session, project_id)
             if look.run_id == champion.id]
    return ChampionInputs(run_label(champion), champion.model, dataset_name(dataset) if dataset else "a deleted version",
                          champion.dataset_hash, champion.labels_hash, champion.config, champion.metrics.get("dev", {}),
                          baselines, looks)
