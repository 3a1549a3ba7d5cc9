"""Per-slice targets checked against the project's data: when added, on the Scoping page, and at the gate.

A slice target is checked against the newest version of each of the project's datasets: it
matches when one of them has the column, as a category column, holding the value.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable

from sqlmodel import Session

from core.data.schema import infer_schema
from core.scoping.slices import slice_problem, split_slice
from core.slicing import MISSING_SLICE, slice_values
from core.scoping.targets import TargetError, TargetLike
from storage.data.datasets import list_datasets, load_columns, load_frame
from storage.data.tables import Dataset

# Distinct values per (content hash, column): a stored version never changes, so they stay true.
_VALUES: OrderedDict[tuple[str, str], frozenset[str]] = OrderedDict()
MAX_CACHED = 64
_LOCK = threading.Lock()  # every browser session's thread reads the cache


def newest_versions(session: Session, project_id: int) -> list[Dataset]:
    """Return the newest version of each of the project's datasets, newest first."""
    newest: dict[str, Dataset] = {}
    for dataset in list_datasets(session, project_id):  # newest first
        newest.setdefault(dataset.name, dataset)
    return list(newest.values())


def data_slice_problem(session: Session, slice: str, datasets: Iterable[Dataset]) -> str | None:
    """Return why the slice names nothing in these datasets (None when one of them holds it)."""
    column, _ = split_slice(slice)
    kinds: dict[str, str] = {}
    values: set[str] = set()
    for dataset in datasets:
        dataset_kinds = column_kinds(session, dataset)
        for name, kind in dataset_kinds.items():
            kinds.setdefault(name, kind)
        if column in dataset_kinds:
            values |= distinct_values(session, dataset, column)
    return slice_problem(slice, kinds=kinds, values=values)


def check_target_slice(session: Session, project_id: int, target: TargetLike) -> bool:
    """Return whether the target's slice was checked against data; raise TargetError when it matches none.

    A project without data accepts the slice; it is checked when data arrives (see `target_problems`).
    """
    datasets = newest_versions(session, project_id)
    if not target.slice or not datasets:
        return False
    problem = data_slice_problem(session, target.slice, datasets)
    if problem is not None:
        raise TargetError(problem)
    return True


def target_problems(session: Session, project_id: int, targets: Iterable[TargetLike]) -> dict[int, str]:
    """Return target id -> why its slice no longer matches any of the project's datasets."""
    datasets = newest_versions(session, project_id)
    if not datasets:
        return {}
    problems = {}
    for target in targets:
        problem = data_slice_problem(session, target.slice, datasets) if target.slice else None
        if problem is not None:
            problems[target.id] = problem
    return problems


def column_kinds(session: Session, dataset: Dataset) -> dict[str, str]:
    """Return the dataset's column kinds, inferred from its rows when none were stored."""
    return dict(dataset.column_kinds) if dataset.column_kinds else infer_schema(load_frame(session, dataset.id))


def distinct_values(session: Session, dataset: Dataset, column: str) -> frozenset[str]:
    """Return a column's distinct values as text, the way slice metrics name them."""
    key = (dataset.content_hash, column)
    with _LOCK:
        if key in _VALUES:
            _VALUES.move_to_end(key)
            return _VALUES[key]
    values = load_columns(session, dataset.id, [column])[column]
    found = frozenset(slice_values(values).unique()) - {MISSING_SLICE}
    with _LOCK:
        _VALUES[key] = found
        while len(_VALUES) > MAX_CACHED:
            _VALUES.popitem(last=False)
    return found
