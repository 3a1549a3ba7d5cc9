"""Dataset versions, their Parquet blobs, roles and splits."""

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import func
from sqlmodel import Session, col, select

from core.data.hashing import content_hash
from core.data.schema import infer_schema
from storage.db import is_sqlite, read_blob
from storage.data.tables import Dataset, DatasetBlob, Split
from storage.project.projects import log_event

DATASET_MISSING = ("The dataset version asked for does not exist any more (another tab or user may have deleted it). "
                   "Pick another version.")
NAME_EMPTY = "The dataset name is empty. Type a short name, for example “loans”."
SPLIT_COLUMN = "split"


class DatasetError(ValueError):
    """A dataset action was refused; the message names the problem and the fix."""


def frame_to_parquet(frame: pd.DataFrame) -> bytes:
    """Return the frame (with its row_id index) as Parquet bytes compressed with zstd."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=True), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def parquet_to_frame(blob: bytes | bytearray, columns: list[str] | None = None) -> pd.DataFrame:
    """Return the frame (or some of its columns) stored in Parquet bytes, indexed by row_id."""
    return pq.read_table(pa.BufferReader(blob), columns=columns, use_pandas_metadata=True).to_pandas()


def add_dataset_version(
    session: Session,
    *,
    project_id: int,
    name: str,
    frame: pd.DataFrame,
    source: str,
    column_kinds: dict[str, str] | None = None,
    roles: dict[str, Any] | None = None,
    ground_truth: dict[str, Any] | None = None,
    parent_id: int | None = None,
    note: str = "",
    actor: str = "analyst",
) -> Dataset:
    """Return a new version of the named dataset, its rows stored once as a Parquet blob."""
    name = " ".join((name or "").split())
    if not name:
        raise DatasetError(NAME_EMPTY)
    # Every stored version describes each of its columns, so pages and import checks can rely on it.
    column_kinds = column_kinds or infer_schema(frame)
    dataset = Dataset(
        project_id=project_id, name=name, version=_next_version(session, project_id, name),
        parent_id=parent_id, source=source, note=note, content_hash=content_hash(frame),
        n_rows=len(frame), n_columns=frame.shape[1], column_kinds=column_kinds,
        roles=roles or {}, has_ground_truth=bool(ground_truth),
    )
    session.add(dataset)
    session.flush()
    session.add(DatasetBlob(dataset_id=dataset.id, project_id=project_id, parquet=frame_to_parquet(frame),
                            ground_truth=ground_truth or {}))
    log_event(session, project_id=project_id, actor=actor, action="added dataset version",
              details={"dataset": f"{name} v{dataset.version}", "rows": len(frame), "source": source})
    return dataset


def _next_version(session: Session, project_id: int, name: str) -> int:
    latest = session.exec(
        select(func.max(Dataset.version)).where(Dataset.project_id == project_id, Dataset.name == name)
    ).one()
    return (latest or 0) + 1


def get_dataset(session: Session, dataset_id: int) -> Dataset:
    """Return the dataset version, or raise DatasetError when it does not exist."""
    dataset = session.get(Dataset, dataset_id)
    if dataset is None:
        raise DatasetError(DATASET_MISSING)
    return dataset


def list_datasets(session: Session, project_id: int) -> list[Dataset]:
    """Return the project's dataset versions, newest first."""
    return list(session.exec(
        select(Dataset).where(Dataset.project_id == project_id).order_by(col(Dataset.id).desc())
    ))


def find_same_content(session: Session, project_id: int, digest: str) -> Dataset | None:
    """Return a version of the project whose rows hash to `digest`, if one exists."""
    return session.exec(
        select(Dataset).where(Dataset.project_id == project_id, Dataset.content_hash == digest)
    ).first()


def load_blob(session: Session, dataset_id: int) -> bytes | bytearray:
    """Return the Parquet bytes of a dataset version."""
    if is_sqlite(session):
        # dataset_id is the table's integer primary key, which SQLite uses as the row id.
        blob = read_blob(session, table=DatasetBlob.__tablename__, column="parquet", rowid=dataset_id)
    else:
        blob = session.exec(select(DatasetBlob.parquet).where(DatasetBlob.dataset_id == dataset_id)).first()
    if blob is None:
        raise DatasetError(DATASET_MISSING)
    return blob


def load_ground_truth(session: Session, dataset_id: int) -> dict[str, Any]:
    """Return what a demo scenario planted in a dataset version ({} for other data)."""
    truth = session.exec(select(DatasetBlob.ground_truth).where(DatasetBlob.dataset_id == dataset_id)).first()
    if truth is None:
        raise DatasetError(DATASET_MISSING)
    return truth


def load_frame(session: Session, dataset_id: int) -> pd.DataFrame:
    """Return the rows of a dataset version, indexed by row_id."""
    return parquet_to_frame(load_blob(session, dataset_id))


def load_columns(session: Session, dataset_id: int, columns: list[str]) -> pd.DataFrame:
    """Return some columns of a dataset version, indexed by row_id; the others are not decoded."""
    return parquet_to_frame(load_blob(session, dataset_id), columns=columns)


def update_roles(session: Session, *, dataset_id: int, roles: dict[str, Any], actor: str = "analyst") -> Dataset:
    """Return the dataset version with its column roles replaced (roles do not alter content)."""
    dataset = get_dataset(session, dataset_id)
    dataset.roles = dict(roles)
    session.add(dataset)
    log_event(session, project_id=dataset.project_id, actor=actor, action="set column roles",
              details={"dataset": f"{dataset.name} v{dataset.version}", **_role_summary(roles)})
    return dataset


def _role_summary(roles: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in roles.items() if value}


def save_split(
    session: Session,
    *,
    dataset_id: int,
    assignment: pd.Series,
    strategy: str,
    seed: int,
    fractions: tuple[float, ...],
    actor: str = "analyst",
) -> Split:
    """Return a new stored split of a dataset version; the latest split is the active one."""
    dataset = get_dataset(session, dataset_id)
    counts = {str(k): int(v) for k, v in assignment.value_counts(sort=False).items()}
    frame = assignment.rename(SPLIT_COLUMN).astype("category").to_frame()
    split = Split(project_id=dataset.project_id, dataset_id=dataset_id, strategy=strategy, seed=seed,
                  fractions=list(fractions), counts=counts, assignment=frame_to_parquet(frame))
    session.add(split)
    session.flush()
    log_event(session, project_id=dataset.project_id, actor=actor, action="made splits",
              details={"dataset": f"{dataset.name} v{dataset.version}", "strategy": strategy, **counts})
    return split


def latest_split(session: Session, dataset_id: int) -> Split | None:
    """Return the most recent split of a dataset version, or None."""
    return session.exec(
        select(Split).where(Split.dataset_id == dataset_id).order_by(col(Split.id).desc())
    ).first()


def split_name(session: Session, split_id: int | None) -> str:
    """Return how users know a split: its place among its version's splits, strategy and seed."""
    found = session.exec(select(Split.dataset_id, Split.strategy, Split.seed).where(Split.id == split_id)).first()
    if found is None:
        return "split (deleted)"
    dataset_id, strategy, seed = found
    number = session.exec(select(func.count()).select_from(Split)
                          .where(Split.dataset_id == dataset_id, col(Split.id) <= split_id)).one()
    return f"split {number} of the version ({strategy}, seed {seed})"


def load_split(split: Split) -> pd.Series:
    """Return the split assignment as a Series of train/dev/test indexed by row_id."""
    return parquet_to_frame(split.assignment)[SPLIT_COLUMN].astype(str)
