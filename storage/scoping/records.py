"""Scoping: checklist answers with their status, targets, and the effort plan."""

from dataclasses import dataclass
from typing import TypeVar, get_args

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from core.scoping.checklist import (
    WORKED_EXAMPLES,
    DataFacts,
    ItemStatus,
    check_answer,
    check_status,
    describe_data,
    item,
    status_after_edit,
)
from core.scoping.effort import Activity, EffortPlan, checked_days
from core.scoping.targets import (
    DUPLICATE_TARGET,
    TargetError,
    TargetKind,
    TargetSpec,
    check_new_target,
    parse_target,
    target_text,
)
from storage.data.datasets import list_datasets
from storage.db import insert_ignoring_conflicts
from storage.scoping.slices import check_target_slice, target_problems
from storage.scoping.tables import ScopeAnswer, ScopeEffort, Target
from storage.fields import utc_now
from storage.project.projects import get_project, log_event

DATA_ITEM = "feasibility.data"
TARGET_MISSING = "That target was already deleted. The list now shows the targets that remain."
KIND_ORDER = {kind: position for position, kind in enumerate(get_args(TargetKind))}
Row = TypeVar("Row", bound=SQLModel)


class ScopingError(ValueError):
    """A scoping action was refused; the message names the problem and the fix."""


@dataclass(frozen=True)
class ScopingSheet:
    """Everything the scoping page shows for one project, read in one go."""

    answers: dict[str, ScopeAnswer]
    targets: list[Target]
    effort: EffortPlan | None
    data: list[DataFacts]
    target_problems: dict[int, str]  # target id -> why its slice matches none of the datasets


def load_scoping(session: Session, project_id: int) -> ScopingSheet:
    """Return the project's answers, targets (with slice problems), effort plan and facts about its datasets."""
    targets = list_targets(session, project_id)
    return ScopingSheet(load_answers(session, project_id), targets, load_effort_plan(session, project_id),
                        data_facts(session, project_id), target_problems(session, project_id, targets))


def load_answers(session: Session, project_id: int) -> dict[str, ScopeAnswer]:
    """Return the project's stored answers by checklist item key."""
    rows = session.exec(select(ScopeAnswer).where(ScopeAnswer.project_id == project_id))
    return {row.item_key: row for row in rows}


def save_answer(
    session: Session, *, project_id: int, item_key: str, value: str | None = None,
    status: ItemStatus | None = None, actor: str = "analyst",
) -> ScopeAnswer:
    """Return the item's answer after storing the new text and/or status.

    Raises ValueError (with the message to show) when the status is not allowed, e.g. done
    with an empty required answer. A required item whose answer is emptied goes back to "to do".
    """
    get_project(session, project_id)
    row = _answer_row(session, project_id, item_key)
    new_value = row.value if value is None else check_answer(item_key, value)
    if status is None:
        new_status = status_after_edit(item_key, row.status, new_value)
    else:
        new_status = check_status(item_key, status, new_value)
    if _write_answer(session, row, new_value, new_status):
        log_event(session, project_id=project_id, actor=actor, action="updated scoping answer",
                  details={"item": item_key, "status": new_status})
    return row


def _write_answer(session: Session, row: ScopeAnswer, value: str, status: ItemStatus) -> bool:
    if (value, status) == (row.value, row.status):
        return False
    row.value, row.status, row.updated_at = value, status, utc_now()
    session.add(row)
    session.flush()
    return True


def _answer_row(session: Session, project_id: int, item_key: str) -> ScopeAnswer:
    item(item_key)  # raises the unknown-item message
    query = select(ScopeAnswer).where(ScopeAnswer.project_id == project_id, ScopeAnswer.item_key == item_key)
    return _get_or_create(session, ScopeAnswer, query, project_id=project_id, item_key=item_key)


def _get_or_create(session: Session, model: type[Row], query, **values) -> Row:
    # Another tab may insert the same row between our select and insert. Insert-or-ignore
    # lets the unique constraint decide without an error; we go on with the row that won.
    row = session.exec(query).first()
    if row is None:
        session.execute(insert_ignoring_conflicts(session, model).values(**values))
        row = session.exec(query).one()
    return row


def list_targets(session: Session, project_id: int) -> list[Target]:
    """Return the project's targets: ML first, then software, then business, oldest first within each."""
    rows = session.exec(select(Target).where(Target.project_id == project_id).order_by(col(Target.id)))
    return sorted(rows, key=lambda t: KIND_ORDER.get(t.kind, len(KIND_ORDER)))


def add_target(session: Session, *, project_id: int, target: TargetSpec, actor: str = "analyst") -> Target:
    """Return the stored target; raise TargetError when it repeats or contradicts an existing one, or
    when its slice names a column or value none of the project's datasets holds."""
    get_project(session, project_id)
    checked = check_target_slice(session, project_id, target)
    row = _insert_target(session, project_id, target)
    details = {"target": target.text, "kind": target.kind}
    if target.slice:
        details["slice"] = "found in the data" if checked else "to be checked when data arrives"
    log_event(session, project_id=project_id, actor=actor, action="added target", details=details)
    return row


def _insert_target(session: Session, project_id: int, target: TargetSpec) -> Target:
    check_new_target(target, list_targets(session, project_id))
    row = Target(project_id=project_id, kind=target.kind, metric=target.metric, slice=target.slice,
                 comparator=target.comparator, value=target.value, unit=target.unit)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:  # another tab added it first; the caller's transaction rolls back
        raise TargetError(DUPLICATE_TARGET.format(existing=target.text, new=target.text)) from error
    return row


def delete_target(session: Session, *, project_id: int, target_id: int, actor: str = "analyst") -> str:
    """Return the text of the deleted target; raise ScopingError when it is already gone."""
    row = session.get(Target, target_id)
    if row is None or row.project_id != project_id:
        raise ScopingError(TARGET_MISSING)
    text = target_text(row)
    session.delete(row)
    log_event(session, project_id=project_id, actor=actor, action="deleted target", details={"target": text})
    return text


def load_effort_plan(session: Session, project_id: int) -> EffortPlan | None:
    """Return the project's effort plan, or None when none was entered."""
    row = session.exec(select(ScopeEffort).where(ScopeEffort.project_id == project_id)).first()
    if row is None:
        return None
    return EffortPlan(row.labeling_days, row.training_days, row.error_analysis_days)


def save_effort_days(
    session: Session, *, project_id: int, activity: Activity, days: float, actor: str = "analyst"
) -> EffortPlan:
    """Return the effort plan after setting one activity's days; raise ValueError outside 0..365."""
    get_project(session, project_id)
    days = checked_days(activity, days)
    query = select(ScopeEffort).where(ScopeEffort.project_id == project_id)
    row = _get_or_create(session, ScopeEffort, query, project_id=project_id)
    if getattr(row, f"{activity}_days") != days:
        setattr(row, f"{activity}_days", days)
        row.updated_at = utc_now()
        session.add(row)
        session.flush()
        log_event(session, project_id=project_id, actor=actor, action="planned effort",
                  details={"activity": activity, "days": days})
    return EffortPlan(row.labeling_days, row.training_days, row.error_analysis_days)


def data_facts(session: Session, project_id: int) -> list[DataFacts]:
    """Return the facts the feasibility step needs about the newest version of each dataset."""
    newest: dict[str, DataFacts] = {}
    for dataset in list_datasets(session, project_id):  # newest first
        newest.setdefault(dataset.name, DataFacts(dataset.name, dataset.version, dataset.n_rows,
                                                  dataset.column_kinds, dataset.roles.get("target")))
    return list(newest.values())


def prefill_data_answer(session: Session, *, project_id: int, actor: str = "analyst") -> ScopeAnswer | None:
    """Return the data answer written from the project's datasets, when it was never answered.

    The item stays "to do": the user reads the summary, adds where the labels come from, and
    marks it done. An answer the user has already touched, even emptied, is left alone.
    """
    facts = data_facts(session, project_id)
    if not facts or DATA_ITEM in load_answers(session, project_id):
        return None
    return save_answer(session, project_id=project_id, item_key=DATA_ITEM, value=describe_data(facts), actor=actor)


def apply_worked_example(session: Session, *, project_id: int, scenario: str, actor: str = "analyst") -> bool:
    """Fill in the scenario's worked-example scoping; return False for a scenario that has none.

    Items already answered and targets already set are kept as they are.
    """
    example = WORKED_EXAMPLES.get(scenario)
    if example is None:
        return False
    get_project(session, project_id)
    answered = load_answers(session, project_id)
    for key, (value, status) in example.answers.items():
        if key not in answered:
            _write_answer(session, _answer_row(session, project_id, key), value, status)
    for target in map(parse_target, example.targets):
        try:
            check_new_target(target, list_targets(session, project_id))
        except TargetError:
            continue  # the project already has this target or one that rules it out
        _insert_target(session, project_id, target)
    if load_effort_plan(session, project_id) is None:
        session.add(ScopeEffort(project_id=project_id, **{f"{a}_days": d for a, d in example.effort_days.items()}))
        session.flush()
    # One timeline entry for the whole example, rather than one per answer.
    log_event(session, project_id=project_id, actor=actor, action="filled in worked-example scoping",
              details={"scenario": scenario})
    return True
