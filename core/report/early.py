"""The report's first sections: scoping and targets, data provenance, label quality."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.labeling.agreement import AgreementReport
from core.scoping.report import Readiness
from core.scoping.targets import KIND_LABELS, METRICS, TargetLike, TargetResult, evaluate_targets, target_text
from core.report.document import Fact, Section, Table

LATENCY_METRIC = "p95_latency_ms"
NO_SCOPING = "Scoping has not been started: no checklist answer and no target. State the problem and set targets."
NO_TARGETS = "No target is set, so nothing can be met or missed. Add targets on the Scoping page."
NO_CHAMPION_YET = "No champion is registered yet, so every target reads “not measured”."
NO_DATA = "No dataset yet. Upload a file or generate a demo scenario on the Datasets page."
NO_LABELS = ("No label has been made in the app yet, so agreement, review rate and label fixes are not measured. "
             "Plan and label a batch on the Labeling page.")
NO_HLP = "Human-level performance is not measured yet (the Baselines page measures it from overlapping labels)."
NO_SCAN = ("no label-error scan yet, so label errors found are not measured: press Find label errors on the "
           "Labeling page's Label errors tab")
NO_SCAN_EITHER = "No label-error scan has been made either: Find label errors is on the Labeling page's Label errors tab."
FIX_SOURCES = {"label_issue": "label errors accepted", "review": "review corrections",
               "resolution": "disagreements resolved"}


def number(value: float | None, digits: int = 3) -> str:
    """Return a number to `digits` decimals, or “—” when there is none.

    >>> number(0.12345), number(None), number(float("nan"))
    ('0.123', '—', '—')
    """
    if value is None or not math.isfinite(float(value)):
        return "—"
    return f"{float(value):.{digits}f}"


def champion_measures(dev_metrics: Mapping[str, float], timings: Mapping[str, float]) -> dict[str, float]:
    """Return what a champion's targets are read against: its dev metrics and its measured p95 latency.

    The same dev metrics the promotion gate and the fairness page read; the latency is the one
    the run timed when it was trained (the deployment's canary reads the same key).
    """
    measures = dict(dev_metrics)
    if timings.get("latency_p95_ms") is not None:
        measures[LATENCY_METRIC] = float(timings["latency_p95_ms"])
    return measures


def target_results(targets: Sequence[TargetLike], measures: Mapping[str, float] | None) -> tuple[TargetResult, ...]:
    """Return every target met, not met or not measured against the measures (none: all not measured)."""
    return evaluate_targets(measures or {}, targets)


def targets_frame(results: Sequence[TargetResult]) -> pd.DataFrame:
    """Return one row per target: its kind, the target, the status and the measured value."""
    rows = [{"kind": KIND_LABELS.get(getattr(r.target, "kind", ""), _kind_of(r.target)), "target": target_text(r.target),
             "status": r.status, "measured": r.value} for r in results]
    return pd.DataFrame(rows, columns=["kind", "target", "status", "measured"])


def _kind_of(target: TargetLike) -> str:
    spec = METRICS.get(target.metric)
    return KIND_LABELS[spec.kind] if spec else KIND_LABELS["business"]


@dataclass(frozen=True)
class ScopingInputs:
    readiness: Readiness | None  # None: nothing answered and no target
    results: tuple[TargetResult, ...]
    measured_on: str  # "Run 3 (champion), dev split", or "" without a champion


def scoping_section(inputs: ScopingInputs) -> Section:
    """Return the scoping summary: completeness, verdict, and every target with its status and value."""
    base = dict(key="scoping", title="Scoping and targets", page="pages/1_scoping.py", page_label="Scoping")
    if inputs.readiness is None:
        return Section(**base, status="not done", missing=NO_SCOPING)
    ready = inputs.readiness
    counts = {s: sum(r.status == s for r in inputs.results) for s in ("met", "not met", "not measured")}
    facts = [Fact("Checklist", f"{ready.settled} of {ready.total} items settled ({ready.score:.0%})"),
             Fact("Verdict", ready.message),
             Fact("Targets", ", ".join(f"{n} {s}" for s, n in counts.items()) if inputs.results else "none set"),
             Fact("Measured on", inputs.measured_on or NO_CHAMPION_YET)]
    tables = (Table("Targets", targets_frame(inputs.results)),) if inputs.results else ()
    notes = () if inputs.results else (NO_TARGETS,)
    return Section(**base, status="done" if ready.verdict == "ready" else "partly", facts=tuple(facts),
                   tables=tables, notes=notes + tuple(ready.open_points))


def data_section(versions: pd.DataFrame) -> Section:
    """Return data provenance: one row per dataset version with lineage, content hash and split."""
    base = dict(key="data", title="Data provenance", page="pages/2_datasets.py", page_label="Datasets")
    if versions.empty:
        return Section(**base, status="not done", missing=NO_DATA)
    split = versions["split"].ne("none").any()
    facts = (Fact("Dataset versions", f"{len(versions):,}"),
             Fact("Versions with a split", f"{int(versions['split'].ne('none').sum()):,}"))
    notes = () if split else ("No version has a train/dev/test split yet: make one on the Splits tab.",)
    return Section(**base, status="done" if split else "partly", facts=facts,
                   tables=(Table("Versions", versions),), notes=notes)


@dataclass(frozen=True)
class LabelInputs:
    dataset: str  # the version the labels belong to, as users read it
    n_labels: int
    agreement: AgreementReport | None  # None: no item with two labels
    hlp: float | None  # human-level accuracy from the newest human-level baseline
    reviewed: tuple[int, int]  # (reviewed labels, labels in effect)
    fixes: Mapping[str, int]  # deciding labels by source (label_issue, review, resolution)


@dataclass(frozen=True)
class ScanFacts:
    """A dataset version's newest label-error scan as the report tells it (`scan` None: never scanned)."""

    dataset: str  # the version, as users read it
    made: datetime | None = None
    n_checked: int = 0
    n_found: int = 0
    n_fixed: int = 0  # flagged rows fixed from the scan's list since it was made
    stale: bool = False  # the labels changed since the scan


def scan_sentence(scan: ScanFacts) -> str:
    """Return what a version's newest label-error scan found and what was fixed, or what is missing.

    >>> scan_sentence(ScanFacts("loans v1", datetime(2026, 5, 4, 9, 30), 14_000, 312, 40, stale=True))
    '312 label errors found in the latest scan (of 14,000 labels checked, 2026-05-04), 40 fixed; labels changed since'
    >>> scan_sentence(ScanFacts("loans v2"))[:23]
    'no label-error scan yet'
    """
    if scan.made is None:
        return NO_SCAN
    found = (f"{scan.n_found:,} label error{'s' if scan.n_found != 1 else ''} found in the latest scan "
             f"(of {scan.n_checked:,} labels checked, {scan.made:%Y-%m-%d}), {scan.n_fixed:,} fixed")
    return found + ("; labels changed since" if scan.stale else "")


def labels_section(inputs: LabelInputs | None, scans: Sequence[ScanFacts] = ()) -> Section:
    """Return label quality: agreement, human-level performance, review rate, label errors found and fixed."""
    base = dict(key="labels", title="Label quality", page="pages/3_labeling.py", page_label="Labeling")
    scan_facts = tuple(Fact(f"Label errors in {scan.dataset}", scan_sentence(scan)) for scan in scans)
    if inputs is None and any(scan.made for scan in scans):
        return Section(**base, status="partly", facts=scan_facts, notes=(NO_LABELS,))
    if inputs is None:
        return Section(**base, status="not done", missing=f"{NO_LABELS} {NO_SCAN_EITHER}" if scans else NO_LABELS)
    report = inputs.agreement
    reviewed, in_effect = inputs.reviewed
    facts = [Fact("Labels of", inputs.dataset), Fact("Labels in effect (made in the app)", f"{inputs.n_labels:,}"),
             Fact("Items with 2+ labels", f"{report.n_items:,}" if report else "0"),
             Fact("Percent agreement", f"{report.percent_agreement:.0%}" if report and
                  math.isfinite(report.percent_agreement) else "—"),
             Fact("Fleiss' κ", number(report.fleiss_kappa, 2) if report else "—"),
             Fact("Krippendorff's α", number(report.krippendorff_alpha, 2) if report else "—"),
             Fact("Human-level accuracy", number(inputs.hlp)),
             Fact("Review rate", f"{reviewed:,} of {in_effect:,} labels reviewed"
                  + (f" ({reviewed / in_effect:.0%})" if in_effect else "")),
             *[Fact(f"Labels changed: {words}", f"{inputs.fixes.get(source, 0):,}")
               for source, words in FIX_SOURCES.items()], *scan_facts]
    notes = () if inputs.hlp is not None else (NO_HLP,)
    done = report is not None and inputs.hlp is not None
    return Section(**base, status="done" if done else "partly", facts=tuple(facts), notes=notes)
