"""Training benchmark: a tracked run through the app against the same scikit-learn pipeline fitted bare.

Ours is what the Experiments page does once the user presses Train, on a dataset frame it already
holds: check the inputs and cut the splits (`prepare_run`), record the run, then `execute_run` —
fit, predict dev, score train and dev, time single-row latency, store the skops artifact and the dev
predictions. The anchor is `Pipeline.fit` of the identical pipeline on the identical training rows,
prepared outside the timing. Each run is a fresh process; ours and the anchor alternate.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SIZES = (100_000, 1_000_000)
REPEATS = 3
SEED = 20_240_601
MODEL = "hist_gradient_boosting"
TARGET_RATIO = 1.2
MB = 1024**2

NOTES = [
    f"- training: loan_approval generated with seed {SEED} at {', '.join(f'{n:,}' for n in SIZES)} rows, a "
    "stratified 70/15/15 split; histogram gradient boosting with the catalog defaults (it trains 1M rows in "
    "seconds, where a forest would take minutes). Ours: `prepare_run` + `launch_run` + `execute_run` (fit, "
    "dev and train-sample evaluation, single-row latency, skops artifact, dev predictions, database writes) "
    "on a frame already in memory; anchor: `Pipeline.fit` of the same pipeline on the same training rows. "
    f"Fresh process per run, alternating, median of {REPEATS}; peak memory is the growth of the process's "
    "peak resident set size during the operation.",
]


def _store(workdir: Path, n_rows: int) -> tuple[str, int]:
    """Store a loan_approval dataset of n_rows with a stratified split; return (database url, dataset id)."""
    from core.splits import make_splits
    from pages.components.intake import store_scenario
    from storage import datasets, projects
    from storage.db import make_engine, session_scope

    url = f"sqlite:///{workdir / f'train-{n_rows}.db'}"
    engine = make_engine(url)
    with session_scope(engine) as session:
        project = projects.create_project(session, name=f"bench {n_rows}")
        dataset = store_scenario(session, project_id=project.id, scenario_name="loan_approval", actor="bench",
                                 n_rows=n_rows, seed=SEED).dataset
        frame = datasets.load_frame(session, dataset.id)
        split = make_splits(frame, strategy="stratified", target="approved", random_state=SEED)
        datasets.save_split(session, dataset_id=dataset.id, assignment=split, strategy="stratified", seed=SEED,
                            fractions=(0.7, 0.15, 0.15))
    engine.dispose()
    return url, dataset.id


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _current_rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _child(side: str, url: str, dataset_id: str) -> dict:
    from core.training import TrainingConfig, build_pipeline
    from storage.datasets import load_frame
    from storage.db import make_engine, session_scope
    from storage.run_execution import execute_run, launch_run, prepare_run

    engine = make_engine(url)
    with session_scope(engine) as session:
        frame = load_frame(session, int(dataset_id))
    config = TrainingConfig(MODEL)

    def ours() -> None:
        with session_scope(engine) as session:
            prepared = prepare_run(session, dataset_id=int(dataset_id), config=config, frame=frame)
            run = launch_run(session, prepared=prepared, actor="bench")
        if execute_run(engine, run_id=run.id, prepared=prepared) != "finished":
            raise RuntimeError("the tracked run did not finish")

    if side == "anchor":
        with session_scope(engine) as session:
            prepared = prepare_run(session, dataset_id=int(dataset_id), config=config, frame=frame)
        pipeline, X, y = build_pipeline(prepared.plan, prepared.config), prepared.data.train_X, prepared.data.train_y
        del prepared
    gc.collect()
    before, start = _current_rss(), time.perf_counter()
    ours() if side == "ours" else pipeline.fit(X, y)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_bytes": max(_peak_rss() - before, 0)}


def _run_child(side: str, url: str, dataset_id: int) -> dict:
    command = [sys.executable, "-m", "bench.training", side, url, str(dataset_id)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"training {side} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_training(row_type) -> list:
    """Return one results row per size: the tracked run against the bare pipeline fit."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="workbench-train-") as tmp:
        for n_rows in SIZES:
            print(f"  training on {n_rows:,} rows", flush=True)
            url, dataset_id = _store(Path(tmp), n_rows)
            ours, anchor = [], []
            for _ in range(REPEATS):
                ours.append(_run_child("ours", url, dataset_id))
                anchor.append(_run_child("anchor", url, dataset_id))
            rows.append(_row(row_type, n_rows, ours, anchor))
    return rows


def _row(row_type, n_rows: int, ours: list[dict], anchor: list[dict]):
    mine = statistics.median(r["seconds"] for r in ours)
    theirs = statistics.median(r["seconds"] for r in anchor)
    peak_ours = statistics.median(r["peak_bytes"] for r in ours) / MB
    peak_anchor = statistics.median(r["peak_bytes"] for r in anchor) / MB
    return row_type(
        f"training: {n_rows:,} rows of loan_approval, gradient boosting, tracked run (fit, evaluation, artifact, "
        f"predictions stored) vs the same scikit-learn pipeline fitted bare",
        f"{mine:.3f}", f"{theirs:.3f}", mine / theirs, TARGET_RATIO,
        f"ours {peak_ours:.0f} MB, anchor {peak_anchor:.0f} MB",
        tuple(r["seconds"] for r in ours), tuple(r["seconds"] for r in anchor))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    print(json.dumps(_child(*sys.argv[1:])))
