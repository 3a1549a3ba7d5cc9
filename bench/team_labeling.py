"""A class labeling one batch at once: 20 OS processes × 200 labels, on SQLite and on PostgreSQL.

Each process is one learner with their own engine, labeling their queue one click (one
transaction) at a time, as tests/storage/labeling/test_concurrent_labeling.py does with smaller
numbers. Reports labels per second on both databases side by side, and checks that no label
was lost or counted twice. Run alone with `python -m bench.team_labeling` (it rewrites its
section of bench/RESULTS.md) or as part of `make bench`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from storage.db import make_engine  # noqa: E402
from tests.postgres_server import POSTGRES_MISSING, postgres_bin, run_postgres  # noqa: E402
from tests.storage.labeling.concurrent_labeling import (  # noqa: E402
    BatchCheck, check_batch, finish_times, prepare_batch, refused_clicks, release, start_workers,
)

RESULTS = REPO_ROOT / "bench" / "RESULTS.md"
HEADING = "## Team server: 20 processes labeling one batch"
LEARNERS, PER_LEARNER = 20, 200
WORKER_TIMEOUT_S = 1800


@dataclass(frozen=True)
class TeamRun:
    database: str
    seconds: float
    check: BatchCheck
    refused: int  # clicks refused with "database is locked" or unavailable, then made again

    @property
    def rate(self) -> float:
        return self.check.labels / self.seconds

    @property
    def clean(self) -> bool:
        total = LEARNERS * PER_LEARNER
        return self.check == BatchCheck(total, total, 0, total, 0)


def measure(database: str, url: str, folder: Path) -> TeamRun:
    """Label the batch from LEARNERS processes at once; time from their common start to the last one done."""
    engine = make_engine(url)
    batch = prepare_batch(engine, labelers=LEARNERS, per_labeler=PER_LEARNER)
    workers = start_workers(url, batch, count=PER_LEARNER, folder=folder)
    started = release(folder, len(workers))
    failed = [w.args for w in workers if w.wait(timeout=WORKER_TIMEOUT_S) != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} labeling processes failed")
    run = TeamRun(database, max(finish_times(folder)) - started, check_batch(engine, batch.batch_id, folder),
                  refused_clicks(folder))
    engine.dispose()
    print(f"  {database}: {run.check.labels:,} labels in {run.seconds:.1f} s ({run.rate:.0f}/s)", flush=True)
    return run


def run_both() -> list[TeamRun]:
    with tempfile.TemporaryDirectory(prefix="workbench-team-") as tmp:
        runs = [measure("SQLite (WAL, one file)", f"sqlite:///{Path(tmp) / 'team.db'}", Path(tmp) / "sqlite")]
        if postgres_bin() is not None:
            with run_postgres(durable=True) as server:
                url = server.create_database()
                runs.append(measure(f"PostgreSQL {server.bin.parent.name} (local server)", url, Path(tmp) / "pg"))
    return runs


def section(runs: list[TeamRun], load_average: float) -> str:
    """Return the Markdown section of RESULTS.md for these runs."""
    lines = [HEADING, "", f"Load average {load_average:.1f} on the 2 cores when the run started. {LEARNERS} OS processes, one learner each, label {PER_LEARNER} items each of one batch "
             f"({LEARNERS * PER_LEARNER:,} labels), each click one transaction (open the next item, store the label, "
             "mark the item done, log the event).", "",
             "| database | labels | seconds | labels / second | lost | counted twice | clicks refused, made again |",
             "|---|---|---|---|---|---|---|"]
    for run in runs:
        lost = run.check.committed_missing + max(0, LEARNERS * PER_LEARNER - run.check.labeled_items)
        lines.append(f"| {run.database} | {run.check.labels:,} | {run.seconds:.1f} | {run.rate:.0f} | {lost} | "
                     f"{run.check.repeated} | {run.refused:,} |")
    if len(runs) < 2:
        lines.append(f"| PostgreSQL | not measured: {POSTGRES_MISSING} | | | | | |")
    lines += ["", "Lost: labels a process reported committed that the database does not hold; counted twice: labels "
              "of an item beyond its first; clicks refused: the page said the database was unavailable (SQLite: "
              "\"database is locked\") and wrote nothing, and the process clicked again. The PostgreSQL server is the test run's private one (initdb in a "
              "temporary folder, durable settings: fsync and synchronous commit on) on the same 2-core machine.", ""]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Put the section into RESULTS.md, replacing an earlier one."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    before = current.split(HEADING)[0].rstrip("\n")
    RESULTS.write_text(f"{before}\n\n{text}" if before else text, encoding="utf-8")


def measured_section() -> str:
    """Run the team labeling on both databases and return its section; fail if a label was lost or repeated."""
    load_average = os.getloadavg()[0]
    runs = run_both()
    if not all(run.clean for run in runs):
        raise AssertionError(f"labels were lost or counted twice: {runs}")
    return section(runs, load_average)


def main() -> None:
    text = measured_section()
    write_section(text)
    print(text)


if __name__ == "__main__":
    main()
