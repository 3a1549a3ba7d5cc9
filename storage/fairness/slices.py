"""Saved slices offered to a fairness audit as two-group attributes, computed on the audited rows."""

from dataclasses import dataclass, replace

import pandas as pd
from sqlmodel import Session

from core.errors.slices import MISSING_COLUMN, SliceError, slice_mask
from core.fairness.groups import slice_attribute, slice_groups
from storage.data.datasets import load_columns
from storage.errors.slices import list_slices, slice_predicate
from storage.fairness.audits import AuditData

READS_TAGS = ("The slice “{name}” reads error tags, which exist only on the Error analysis page, so the audit "
              "cannot place rows in it. Save a slice on columns to audit it here.")


@dataclass(frozen=True)
class AuditSlices:
    """The audit's data with one group column per usable slice, each slice's text, and why others are left out."""

    data: AuditData
    texts: dict[str, str]
    refused: list[str]


def with_saved_slices(session: Session, data: AuditData) -> AuditSlices:
    """Return the audit data with each saved slice its data can evaluate added as a two-group column."""
    known = set(data.dataset.column_kinds or {})
    columns, texts, refused = [], {}, []
    for row in list_slices(session, data.run.project_id):
        try:
            predicate = slice_predicate(row)
            problem = _problem(row.name, predicate, known)
        except SliceError as error:
            problem = str(error)
        if problem:
            refused.append(problem)
            continue
        frame = load_columns(session, data.dataset.id, predicate.columns()).reindex(data.predictions.index)
        columns.append(slice_groups(slice_mask(frame, predicate, name=row.name), row.name, frame.index))
        texts[slice_attribute(row.name)] = predicate.text()
    sensitive = pd.concat([data.sensitive, *columns], axis=1) if columns else data.sensitive
    return AuditSlices(replace(data, sensitive=sensitive), texts, refused)


def _problem(name: str, predicate, known: set[str]) -> str:
    if predicate.tags():
        return READS_TAGS.format(name=name)
    missing = [c for c in predicate.columns() if c not in known]
    return MISSING_COLUMN.format(name=name, column=missing[0]) if missing else ""
