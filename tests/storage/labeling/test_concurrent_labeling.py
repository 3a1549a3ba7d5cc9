"""Labeling from many OS processes at once, and a writer killed mid-batch: nothing lost, nothing counted twice.

Each test runs on SQLite and on PostgreSQL (tests/conftest.py). The numbers are small here;
bench/ runs 20 processes × 200 labels and reports labels per second on both.
"""

import time

from storage.db import session_scope
from storage.labeling import labels
from tests.storage.labeling.concurrent_labeling import (
    BatchCheck, check_batch, committed_ids, prepare_batch, release, start_workers,
)

LABELERS, PER_LABELER = 4, 15
KILL_AFTER, QUEUE = 15, 400
WAIT_S = 300


def full_url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_processes_labeling_one_batch_lose_and_duplicate_nothing(engine, tmp_path):
    batch = prepare_batch(engine, labelers=LABELERS, per_labeler=PER_LABELER)
    workers = start_workers(full_url(engine), batch, count=PER_LABELER, folder=tmp_path)
    release(tmp_path, len(workers))
    assert [worker.wait(timeout=WAIT_S) for worker in workers] == [0] * LABELERS
    total = LABELERS * PER_LABELER
    assert check_batch(engine, batch.batch_id, tmp_path) == BatchCheck(
        labels=total, labeled_items=total, repeated=0, committed=total, committed_missing=0)


def test_a_writer_killed_mid_batch_loses_no_committed_label(engine, tmp_path):
    batch = prepare_batch(engine, labelers=1, per_labeler=QUEUE)
    [worker] = start_workers(full_url(engine), batch, count=QUEUE, folder=tmp_path)
    release(tmp_path, 1)
    deadline = time.monotonic() + WAIT_S
    while len(committed_ids(tmp_path)) < KILL_AFTER and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.kill()
    worker.wait()
    check = check_batch(engine, batch.batch_id, tmp_path)
    assert KILL_AFTER <= check.committed < QUEUE and check.committed_missing == 0 and check.repeated == 0
    # At most the one label committed between its commit and its report; none half-written.
    assert check.committed <= check.labels <= check.committed + 1 and check.labeled_items == check.labels
    with session_scope(engine) as s:  # the database goes on taking labels where the writer stopped
        item = labels.next_assignment(s, batch_id=batch.batch_id, labeler_id=batch.labeler_ids[0])
        labels.record_label(s, assignment_id=item.id, value="1", seconds=1.0)
    assert check_batch(engine, batch.batch_id, tmp_path).labeled_items == check.labels + 1
