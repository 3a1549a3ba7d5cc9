"""Saved slices offered to a fairness audit as two-group attributes, computed on the audited rows."""

from dataclasses import dataclass, replace

import pandas as pd
from sqlmodel import Session

from core.errors.slices import SliceError, check_readable, slice_mask
from core.fairness.groups import slice_attribute, slice_groups
from storage.data.datasets import load_columns
from storage.errors.slices import list_slices, slice_predicate
from storage.fairness.audits import AuditData

@dataclass(frozen=True)
class AuditSlices:
    """The audit's data with one group column per usable slice, each slice's text, and why others are left out."""

    data: AuditData
    texts: dict[str, str]
    refused: list[str]


def with_saved_slices(session: Session, data: AuditData) -> AuditSlices:
    """Return the audit data with each saved slice its data can evaluate added as a two-group column."""
    known = list(data.dataset.column_kinds or {})
    columns, texts, refused = [], {}, []
    for row in list_slices(session, data.run.project_id):
        try:
            predicate = slice_predicate(row)
            check_readable(predicate, name=row.name, columns=known, place="the audit")
        except SliceError as error:
            refused.append(str(error))
            continue
        frame = load_columns(session, data.dataset.id, predicate.columns()).reindex(data.predictions.index)
        columns.append(slice_groups(slice_mask(frame, predicate, name=row.name), row.name, frame.index))
        texts[slice_attribute(row.name)] = predicate.text()
    sensitive = pd.concat([data.sensitive, *columns], axis=1) if columns else data.sensitive
    return AuditSlices(replace(data, sensitive=sensitive), texts, refused)
