"""Tags on the rows of a dataset version: set them (many rows at once), read them, count them."""

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.errors.tags import NO_ROWS, clean_tag
from storage.data.datasets import get_dataset
from storage.db import insert_ignoring_conflicts
from storage.errors.tables import Tag
from storage.project.projects import log_event

UNKNOWN_ROWS = "Rows {rows} are not in {dataset}. Pick rows from the table of errors."


def tag_rows(session: Session, *, dataset_id: int, row_ids: Iterable[int], tag: str, known_rows: Iterable[int],
             actor: str = "analyst") -> int:
    """Tag the rows (already tagged ones are left as they are); return how many rows were newly tagged.

    Raises ValueError for a blank or over-long tag, no rows, or rows not in the dataset version;
    then nothing is written.
    """
    cleaned = clean_tag(tag)
    rows = sorted({int(r) for r in row_ids})
    if not rows:
        raise ValueError(NO_ROWS)
    dataset = get_dataset(session, dataset_id)
    unknown = sorted(set(rows) - {int(r) for r in known_rows})
    if unknown:
        raise ValueError(UNKNOWN_ROWS.format(rows=", ".join(map(str, unknown[:5])), dataset=_name(dataset)))
    before = _count(session, dataset_id, cleaned)
    session.execute(insert_ignoring_conflicts(session, Tag), [
        {"project_id": dataset.project_id, "dataset_id": dataset_id, "row_id": r, "tag": cleaned, "actor": actor}
        for r in rows])
    added = _count(session, dataset_id, cleaned) - before
    log_event(session, project_id=dataset.project_id, actor=actor, action="tagged errors",
              details={"dataset": _name(dataset), "tag": cleaned, "rows": added})
    return added


def untag_rows(session: Session, *, dataset_id: int, row_ids: Iterable[int], tag: str, actor: str = "analyst") -> int:
    """Remove a tag from rows; return how many tags were removed."""
    rows = [int(r) for r in row_ids]
    found = session.exec(select(Tag).where(Tag.dataset_id == dataset_id, Tag.tag == tag,
                                           col(Tag.row_id).in_(rows))).all()
    for row in found:
        session.delete(row)
    if found:
        dataset = get_dataset(session, dataset_id)
        log_event(session, project_id=dataset.project_id, actor=actor, action="removed tags",
                  details={"dataset": _name(dataset), "tag": tag, "rows": len(found)})
    return len(found)


def row_tags(session: Session, dataset_id: int) -> dict[int, list[str]]:
    """Return row_id -> its tags (sorted) for a dataset version."""
    held: dict[int, list[str]] = {}
    for row_id, tag in session.exec(select(Tag.row_id, Tag.tag).where(Tag.dataset_id == dataset_id)
                                    .order_by(col(Tag.tag))):
        held.setdefault(row_id, []).append(tag)
    return held


def tag_counts(session: Session, project_id: int) -> list[tuple[str, int]]:
    """Return the project's tags with how many rows carry each, most used first."""
    query = (select(Tag.tag, func.count()).where(Tag.project_id == project_id).group_by(Tag.tag))
    counts = Counter({tag: n for tag, n in session.exec(query)})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _count(session: Session, dataset_id: int, tag: str) -> int:
    return int(session.exec(select(func.count()).select_from(Tag)
                            .where(Tag.dataset_id == dataset_id, Tag.tag == tag)).one())


def _name(dataset) -> str:
    return f"{dataset.name} v{dataset.version}"
