"""Benchmark data and the timed operations, each run in a fresh child process.

A child process starts with a small footprint, so the growth of its peak resident set size
(ru_maxrss) over the size before the operation is the operation's peak memory, native
allocations (Arrow, the CSV parser) included, which tracemalloc would not see.
"""

from __future__ import annotations

import gc
import io
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))  # smaller only for a quick trial
SEED = 20_240_601

REGIONS = ["north", "south", "east", "west", "centre"]
PRODUCTS = ["basic", "plus", "premium", "student", "business", "family", "senior", "trial"]
CHANNELS = ["web", "branch", "phone", "partner"]
STATUSES = ["new", "active", "late", "closed", "defaulted", "restructured"]


@dataclass(frozen=True)
class Measurement:
    """Seconds the operation took, its peak memory growth, and the size of what it produced."""

    seconds: float
    peak_bytes: int
    frame_bytes: int
    shape: tuple[int, int]


def make_frame(rows: int = ROWS, *, random_state: int = SEED) -> pd.DataFrame:
    """Returns a seeded table of 20 columns: 10 float, 4 integer and 6 text columns."""
    rng = np.random.default_rng(random_state)
    columns: dict[str, object] = {}
    for i in range(10):
        values = np.round(rng.normal(loc=i * 10, scale=1 + i, size=rows), 4)
        values[rng.random(rows) < 0.01] = np.nan  # a few missing cells, as real data has
        columns[f"num_{i}"] = values
    for i in range(4):
        columns[f"int_{i}"] = rng.integers(0, 10 ** (i + 2), size=rows)
    for name, choices in [("region", REGIONS), ("product", PRODUCTS), ("channel", CHANNELS), ("status", STATUSES)]:
        columns[name] = np.asarray(choices, dtype=object)[rng.integers(0, len(choices), size=rows)]
    columns["customer"] = pd.Series(rng.integers(0, 10**7, size=rows)).map("C{:07d}".format).to_numpy()
    months = pd.date_range("2022-01-01", periods=36, freq="MS").strftime("%Y-%m-%d").to_numpy()
    columns["month"] = months[rng.integers(0, len(months), size=rows)]
    frame = pd.DataFrame(columns)
    frame.index = pd.RangeIndex(rows, name="row_id")
    return frame


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def _measure(operation: Callable[[], pd.DataFrame]) -> Measurement:
    gc.collect()
    before = _rss_bytes()
    start = time.perf_counter()
    frame = operation()
    seconds = time.perf_counter() - start
    peak = max(_peak_rss_bytes() - before, 0)
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    return Measurement(seconds, peak, frame_bytes, frame.shape)


def _ingest_ours(csv_path: str) -> Measurement:
    from core.data.ingest import read_table

    data = Path(csv_path).read_bytes()
    return _measure(lambda: read_table(data, "bench.csv").frame)


def _ingest_anchor(csv_path: str) -> Measurement:
    data = Path(csv_path).read_bytes()
    return _measure(lambda: pd.read_csv(io.BytesIO(data)))


def _load_ours(database_url: str, dataset_id: str) -> Measurement:
    from storage.data import datasets
    from storage.db import make_engine, session_scope

    engine = make_engine(database_url)

    def load() -> pd.DataFrame:
        with session_scope(engine) as session:
            return datasets.load_frame(session, int(dataset_id))

    return _measure(load)


def _load_anchor(parquet_path: str) -> Measurement:
    return _measure(lambda: pd.read_parquet(parquet_path))


CHILD_WORKLOADS: dict[str, Callable[..., Measurement]] = {
    "ingest-ours": _ingest_ours,
    "ingest-anchor": _ingest_anchor,
    "load-ours": _load_ours,
    "load-anchor": _load_anchor,
}


def run_in_child(workload: str, *args: str) -> Measurement:
    """Runs one workload in a fresh interpreter and returns what it measured."""
    command = [sys.executable, "-m", "bench.workloads", workload, *args]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{workload} failed:\n{done.stderr}")
    fields = json.loads(done.stdout.strip().splitlines()[-1])
    return Measurement(fields["seconds"], fields["peak_bytes"], fields["frame_bytes"], tuple(fields["shape"]))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    name, *arguments = sys.argv[1:]
    print(json.dumps(asdict(CHILD_WORKLOADS[name](*arguments))))
