"""One fairness audit: settings in, per-attribute group metrics, reference, disparities and gaps out.

Pure: the predictions (row_id, label, prediction, probabilities) and the sensitive columns come
from storage; the result is plain enough to be stored as JSON with the audit record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from core.fairness.disparities import (
    ReferenceChoice, check_metric, disparity_table, flagged_groups, overall_disparities, reference_group,
)
from core.fairness.groups import DEFAULT_BINS, attribute_groups, attribute_name, check_groups
from core.fairness.metrics import (
    DEFAULT_MIN_ROWS, DEFAULT_RESAMPLES, DEFAULT_SEED, GroupMetrics, Progress, check_resamples, group_metrics,
)
from core.predictions import LABEL, PREDICTION

NO_ATTRIBUTES = "Choose at least one sensitive attribute to audit."
BAD_MIN_ROWS = "The minimum group size must be a whole number of at least 1; got {value}."
BAD_SEED = "The seed must be a whole number from 0; got {value}."
NOT_TWO_CLASSES = (
    "The fairness audit compares a two-class decision across groups; this run predicts {count} classes. "
    "Audit a run whose target has two classes."
)


@dataclass(frozen=True)
class AuditSettings:
    """What an audit looks at and how: attributes (one or two columns each), reference, interval settings.

    The reference group of each attribute is the largest or the best-off one (`reference`), unless
    `named_references` names one for that attribute.
    """

    attributes: tuple[tuple[str, ...], ...]
    metric: str = "selection_rate"
    reference: ReferenceChoice = "largest"
    named_references: dict[str, str] = field(default_factory=dict)
    min_rows: int = DEFAULT_MIN_ROWS
    n_resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    bins: int = DEFAULT_BINS
    # A saved slice audited as a two-group attribute: its attribute name -> its predicate as text.
    slices: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**asdict(self), "attributes": [list(a) for a in self.attributes]}


@dataclass(frozen=True)
class AttributeAudit:
    """One attribute's audit: its group metrics, the reference group, the disparities and overall gaps."""

    name: str
    metrics: GroupMetrics
    reference: str
    disparities: pd.DataFrame
    gaps: dict[str, float]
    flagged: tuple[str, ...]


def check_settings(settings: AuditSettings) -> AuditSettings:
    """Return the settings, or raise ValueError naming the first bad one."""
    if not settings.attributes:
        raise ValueError(NO_ATTRIBUTES)
    check_metric(settings.metric)
    check_resamples(settings.n_resamples)
    if not isinstance(settings.min_rows, int) or settings.min_rows < 1:
        raise ValueError(BAD_MIN_ROWS.format(value=settings.min_rows))
    if not isinstance(settings.seed, int) or settings.seed < 0:
        raise ValueError(BAD_SEED.format(value=settings.seed))
    return settings


def positive_class(classes: Sequence) -> object:
    """Return the positive class — the last of two, as the Experiments page counts it — or refuse."""
    if len(classes) != 2:
        raise ValueError(NOT_TWO_CLASSES.format(count=len(classes)))
    return classes[-1]


def audit_attribute(predictions: pd.DataFrame, sensitive: pd.DataFrame, columns: Sequence[str], *, positive,
                    settings: AuditSettings, progress: Progress | None = None) -> AttributeAudit:
    """Return the audit of one attribute over the predicted rows (sensitive values matched by row_id)."""
    groups = attribute_groups(sensitive.reindex(predictions.index), columns, bins=settings.bins)
    check_groups(groups)
    result = group_metrics(predictions[LABEL], predictions[PREDICTION], groups, positive=positive,
                           n_resamples=settings.n_resamples, seed=settings.seed, min_rows=settings.min_rows,
                           progress=progress)
    name = attribute_name(columns)
    named = settings.named_references.get(name)
    how = "named" if named is not None else settings.reference
    reference = reference_group(result.values, how=how, metric=settings.metric, named=named)
    disparities = disparity_table(result.values, reference)
    return AttributeAudit(name, result, reference, disparities, overall_disparities(result.values),
                          tuple(flagged_groups(disparities, settings.metric)))


def with_reference(audit: AttributeAudit, reference: str, *, metric: str) -> AttributeAudit:
    """Return the attribute's audit measured against another reference group (no resampling needed)."""
    reference_group(audit.metrics.values, how="named", named=reference)
    disparities = disparity_table(audit.metrics.values, reference)
    return replace(audit, reference=reference, disparities=disparities,
                   flagged=tuple(flagged_groups(disparities, metric)))


def settings_as_shown(settings: AuditSettings, computed: list[AttributeAudit],
                      shown: list[AttributeAudit]) -> AuditSettings:
    """Return the settings with the reference groups picked after the audit ran recorded as named ones."""
    picked = {after.name: after.reference for before, after in zip(computed, shown) if after.reference != before.reference}
    return replace(settings, named_references={**settings.named_references, **picked})


def run_audit(predictions: pd.DataFrame, sensitive: pd.DataFrame, *, classes: Sequence, settings: AuditSettings,
              progress: Progress | None = None) -> list[AttributeAudit]:
    """Return the audit of every attribute in the settings; raise ValueError before any work on bad input."""
    settings, positive = check_settings(settings), positive_class(classes)
    total = settings.n_resamples * len(settings.attributes)
    audits = []
    for index, columns in enumerate(settings.attributes):
        # Progress counts resamples over all attributes, so one bar covers the whole audit.
        step = None if progress is None else (lambda done, _n, i=index: progress(i * settings.n_resamples + done, total))
        audits.append(audit_attribute(predictions, sensitive, columns, positive=positive, settings=settings,
                                      progress=step))
    return audits


def _plain(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame) -> dict:
    return {str(g): {k: _plain(v) for k, v in row.items()} for g, row in frame.iterrows()}


def audit_to_dict(audits: list[AttributeAudit]) -> dict:
    """Return the audit results as JSON-ready data (undefined values as None), one entry per attribute."""
    return {a.name: {"reference": a.reference, "values": _records(a.metrics.values),
                     "lower": _records(a.metrics.lower), "upper": _records(a.metrics.upper),
                     "small": [str(g) for g, s in a.metrics.small.items() if s],
                     "gaps": {k: _plain(v) for k, v in a.gaps.items()}, "flagged": list(a.flagged)}
            for a in audits}
