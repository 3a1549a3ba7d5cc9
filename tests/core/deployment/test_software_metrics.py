"""The prediction log's software metrics per window: wall-clock seconds, throughput and peak memory."""

import numpy as np
import pandas as pd
import pytest

from core.deployment.log import BatchRecord, PredictionLog
from core.deployment.plans import RolloutSettings
from core.deployment.replay import resident_memory_mb
from core.deployment.rollouts import replay
from tests.core.deployment.factories import server, stream


def record(start: int, stop: int, seconds: float, rss_mb: float) -> BatchRecord:
    n = stop - start
    zeros = np.zeros(n, dtype=int)
    return BatchRecord(start, stop, zeros.astype(np.int8), zeros, zeros, np.full(n, 0.9), np.ones(n),
                       np.zeros(n, dtype=bool), zeros, np.full(n, -1), seconds=seconds, rss_mb=rss_mb)


def small_log(n_total: int, n_windows: int) -> PredictionLog:
    frame = pd.DataFrame({"x": np.arange(n_total, dtype=float)})
    times = (pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(n_total), unit="min")).to_numpy()
    return PredictionLog(frame, np.zeros(n_total, dtype=int), np.zeros(n_total, dtype=int), times, [0, 1], ["x"],
                         n_total, np.timedelta64(1, "h"), n_windows, 5)


def test_a_batch_straddling_two_windows_gives_each_its_share_of_the_time():
    log = small_log(100, 2)  # windows of 50 requests
    for rec in (record(0, 40, 2.0, 100.0), record(40, 80, 4.0, 130.0), record(80, 100, 1.0, 120.0)):
        log.add(rec)
    log.finish()
    first, second = log.windows
    # window 1: all of batch 1 (2 s) and 10 of batch 2's 40 requests (1 s) = 3 s for 50 requests
    assert first["seconds"] == pytest.approx(3.0) and first["throughput_rps"] == pytest.approx(50 / 3.0)
    assert first["peak_rss_mb"] == 130.0  # batch 2 touches both windows
    # window 2: 30 of batch 2's requests (3 s) and batch 3 (1 s)
    assert second["seconds"] == pytest.approx(4.0) and second["throughput_rps"] == pytest.approx(50 / 4.0)
    assert second["peak_rss_mb"] == 130.0


def test_a_replay_records_throughput_and_memory_in_every_window():
    settings = RolloutSettings(mode="shadow", step_requests=1_000, batch_size=200, label_delay_hours=24.0,
                               min_labels=50)
    outcome = replay(stream(), server("good", "champion"), server("thin"), settings)
    windows = outcome.log.windows
    assert all(w["throughput_rps"] > 0 and w["seconds"] > 0 for w in windows)
    assert all(w["throughput_rps"] == pytest.approx(w["n"] / w["seconds"]) for w in windows)
    assert all(0 < w["peak_rss_mb"] <= resident_memory_mb() * 2 for w in windows)
    assert sum(w["seconds"] for w in windows) > 0


def test_resident_memory_reads_the_process_size():
    with open("/proc/self/status", encoding="ascii") as status:
        vm_rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    assert resident_memory_mb() == pytest.approx(vm_rss_kb / 1024, rel=0.05)
