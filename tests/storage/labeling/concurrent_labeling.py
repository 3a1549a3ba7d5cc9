"""Many OS processes labeling one batch at once, as a class does on a shared server.

Used by the load and crash tests and by bench/. Each worker is a separate Python process with
its own engine: it opens the labeler's next item and records a label in one transaction, as a
click on the Labeling page does, and after each commit appends the label's id to its report
file, so a test knows exactly which labels were committed even when the worker is killed.
Run as `python -m tests.storage.labeling.concurrent_labeling URL BATCH LABELER COUNT FOLDER`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from storage.data.datasets import add_dataset_version
from storage.db import StorageUnavailable, make_engine, session_scope
from storage.labeling import batches, labels
from storage.labeling.batches import LabelingError
from storage.labeling.tables import Assignment, Label
from storage.project.projects import create_project
from tests.storage.factories import small_frame

REPO_ROOT = Path(__file__).resolve().parents[3]
GO_FILE = "go"
POLL_S = 0.01
MAX_REFUSED = 10_000


@dataclass(frozen=True)
class SharedBatch:
    batch_id: int
    labeler_ids: tuple[int, ...]


@dataclass(frozen=True)
class BatchCheck:
    labels: int  # label rows stored for the batch
    labeled_items: int  # assignments that point at a label
    repeated: int  # (row, labeler) pairs with more than one label: counted twice
    committed: int  # labels the workers reported committed
    committed_missing: int  # of those, not in the database


def prepare_batch(engine, *, labelers: int, per_labeler: int) -> SharedBatch:
    """Store a project with one planned batch: `per_labeler` items for each of `labelers` people."""
    with session_scope(engine) as s:
        project = create_project(s, name="Workshop")
        dataset = add_dataset_version(s, project_id=project.id, name="d", frame=small_frame(labelers * per_labeler),
                                      source="test", roles={"target": "y"})
    names = [f"learner {number:02d}" for number in range(1, labelers + 1)]
    with session_scope(engine) as s:
        batch = batches.plan_batch(s, dataset_id=dataset.id, pool=labels.row_ids(s, dataset.id),
                                   size=labelers * per_labeler, strategy="random", labelers=names, overlap=0.0)
        ids = tuple(batches.ensure_labeler(s, project_id=project.id, name=name).id for name in names)
    return SharedBatch(batch.id, ids)


def start_workers(url: str, batch: SharedBatch, *, count: int, folder: Path) -> list[subprocess.Popen]:
    """Start one worker process per labeler; they wait for `release(folder)` before labeling."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return [subprocess.Popen([sys.executable, "-m", "tests.storage.labeling.concurrent_labeling", url,
                              str(batch.batch_id), str(labeler), str(count), str(folder)], cwd=REPO_ROOT, env=env)
            for labeler in batch.labeler_ids]


def release(folder: Path, workers: int, *, timeout_s: float = 300) -> float:
    """Wait until every worker is ready, let them all start at once, and return the start time."""
    deadline = time.monotonic() + timeout_s
    while len(list(folder.glob("*.ready"))) < workers:
        if time.monotonic() > deadline:
            raise TimeoutError("the labeling workers did not get ready")
        time.sleep(POLL_S)
    (folder / GO_FILE).touch()
    return time.time()


def committed_ids(folder: Path) -> list[int]:
    """Return the ids of every label the workers reported committed."""
    return [int(line) for report in folder.glob("*.labels") for line in report.read_text().split()]


def finish_times(folder: Path) -> list[float]:
    return [float(report.read_text().split()[0]) for report in folder.glob("*.done")]


def refused_clicks(folder: Path) -> int:
    """Return how many clicks the database refused as unavailable (SQLite: "database is locked")."""
    return sum(int(report.read_text().split()[1]) for report in folder.glob("*.done"))


def check_batch(engine, batch_id: int, folder: Path) -> BatchCheck:
    """Return what the database holds for the batch, against what the workers reported."""
    committed = committed_ids(folder)
    with session_scope(engine) as s:
        stored = set(s.exec(select(Label.id).where(Label.batch_id == batch_id)).all())
        labeled = s.exec(select(func.count()).select_from(Assignment).where(
            Assignment.batch_id == batch_id, Assignment.label_id.is_not(None))).one()
        per_pair = s.exec(select(func.count()).where(Label.batch_id == batch_id)
                          .group_by(Label.row_id, Label.labeler_id)).all()
    return BatchCheck(len(stored), labeled, sum(n for n in per_pair if n > 1), len(committed),
                      len(set(committed) - stored))


def label_items(url: str, batch_id: int, labeler_id: int, count: int, folder: Path) -> None:
    """Label up to `count` of the labeler's items, one transaction each, reporting every commit."""
    engine = make_engine(url)
    (folder / f"{labeler_id}.ready").touch()
    while not (folder / GO_FILE).exists():
        time.sleep(POLL_S)
    report = os.open(folder / f"{labeler_id}.labels", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    done = refused = 0
    while done < count and refused < MAX_REFUSED:
        try:
            with session_scope(engine) as s:
                item = labels.next_assignment(s, batch_id=batch_id, labeler_id=labeler_id)
                if item is None:
                    break
                label = labels.record_label(s, assignment_id=item.id, value="1", seconds=1.0, actor="worker")
        except LabelingError:
            continue  # another tab of this labeler took the item first: take the next one
        except StorageUnavailable:
            # The page says so and writes nothing; the learner clicks again.
            refused += 1
            continue
        os.write(report, f"{label.id}\n".encode())  # after the commit: a reported label is a committed one
        done += 1
    (folder / f"{labeler_id}.done").write_text(f"{time.time()!r} {refused}")
    engine.dispose()


if __name__ == "__main__":
    url, batch_id, labeler_id, count, folder = sys.argv[1:]
    label_items(url, int(batch_id), int(labeler_id), int(count), Path(folder))
