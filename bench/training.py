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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SIZES = (100_000, 1_000_000)
REPEATS = {100_000: 9, 1_000_000: 3}
SEED = 20_240_601
MODEL = "hist_gradient_boosting"
TARGET_RATIO = 1.2
# Not set by the issue: our own bound on what evaluating and storing a run may add to its fit.
WHOLE_RUN_RATIO = 2.0
MB = 1024**2

NOTES = [
    f"- training: loan_approval generated with seed {SEED} at {', '.join(f'{n:,}' for n in SIZES)} rows, a "
    "stratified 70/15/15 split; histogram gradient boosting with the catalog defaults (it trains 1M rows in "
    "seconds, where a forest would take minutes). Ours runs what the page runs after Train, on a frame already "
    "in memory: `prepare_run` (current labels and their hash, split, feature plan, rows cut), `launch_run`, "
    "`execute_run`. The *training* row counts the preparation plus the fit as the run records it (progress "
    "and cancel checks, warning capture); the *whole run* row adds dev and train evaluation, single-row "
    "latency, the skops artifact, the dev predictions and the database writes (its 2× bound is ours; the "
    "issue sets the 1.2× one). Anchor: `Pipeline.fit` of the same pipeline on the same training rows, "
    "prepared before the clock starts; libraries are imported before the clock on both sides. "
    f"Fresh process per run, alternating, {REPEATS[SIZES[0]]} runs at {SIZES[0]:,} rows and "
    f"{REPEATS[SIZES[1]]} at {SIZES[1]:,}; the best of each side is compared (as timeit does), because other "
    "work on the 2 cores slows single runs several-fold (every run is listed above). Peak memory: the "
    "process's peak resident set size, reset just before the operation, minus its size then (median).",
]


def _store(workdir: Path, n_rows: int) -> tuple[str, int]:
    """Store a loan_approval dataset of n_rows with a stratified split; return (database url, dataset id)."""
    from core.data.splits import make_splits
    from pages.components.data.intake import store_scenario
    from storage.data import datasets
    from storage.project import projects
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


def _reset_peak_rss() -> None:
    # Loading the data peaks before the timed operation; Linux resets the recorded peak on "5".
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def _status_bytes(field: str) -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) * 1024


def _child(side: str, url: str, dataset_id: str) -> dict:
    from core.modeling.training import TrainingConfig, build_pipeline
    from storage.data.datasets import load_frame
    from storage.db import make_engine, session_scope
    from storage.modeling.execution import execute_run, launch_run, prepare_run
    from storage.modeling.runs import get_run

    engine = make_engine(url)
    with session_scope(engine) as session:
        frame = load_frame(session, int(dataset_id))
    config = TrainingConfig(MODEL)
    _import_libraries()

    def ours() -> float:
        """Run the whole tracked run; return the training part: preparation plus the recorded fit."""
        started = time.perf_counter()
        with session_scope(engine) as session:
            prepared = prepare_run(session, dataset_id=int(dataset_id), config=config, frame=frame)
            run = launch_run(session, prepared=prepared, actor="bench")
        preparation = time.perf_counter() - started
        if execute_run(engine, run_id=run.id, prepared=prepared) != "finished":
            raise RuntimeError("the tracked run did not finish")
        with session_scope(engine) as session:
            return preparation + get_run(session, run.id).timings["fit_seconds"]

    if side == "anchor":
        with session_scope(engine) as session:
            prepared = prepare_run(session, dataset_id=int(dataset_id), config=config, frame=frame)
        pipeline, X, y = build_pipeline(prepared.plan, prepared.config), prepared.data.train_X, prepared.data.train_y
        del prepared
    gc.collect()
    _reset_peak_rss()
    before, start = _status_bytes("VmRSS"), time.perf_counter()
    if side == "ours":
        training = ours()
    else:
        pipeline.fit(X, y)
        training = None
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "training_seconds": seconds if training is None else training,
            "peak_bytes": max(_status_bytes("VmHWM") - before, 0)}


def _import_libraries() -> None:
    """Import what a fit uses before the clock starts, as a running app has: both sides alike."""
    import sklearn.compose  # noqa: F401
    import sklearn.ensemble  # noqa: F401
    import sklearn.metrics  # noqa: F401
    import sklearn.pipeline  # noqa: F401
    import sklearn.preprocessing  # noqa: F401
    import skops.io  # noqa: F401


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
            for _ in range(REPEATS[n_rows]):
                ours.append(_run_child("ours", url, dataset_id))
                anchor.append(_run_child("anchor", url, dataset_id))
            rows += [_row(row_type, n_rows, ours, anchor, whole=False), _row(row_type, n_rows, ours, anchor, whole=True)]
    return rows


def _row(row_type, n_rows: int, ours: list[dict], anchor: list[dict], *, whole: bool):
    key = "seconds" if whole else "training_seconds"
    mine, theirs = min(r[key] for r in ours), min(r["seconds"] for r in anchor)
    peak_ours = statistics.median(r["peak_bytes"] for r in ours) / MB
    peak_anchor = statistics.median(r["peak_bytes"] for r in anchor) / MB
    what = (f"whole tracked run on {n_rows:,} rows: the training plus dev and train evaluation, latency, skops "
            "artifact, dev predictions and database writes" if whole else
            f"training: {n_rows:,} rows of loan_approval, gradient boosting, through the app (labels and split "
            "read, rows cut, fit with progress and cancel checks)")
    return row_type(
        f"{what} vs the same scikit-learn pipeline fitted bare (best of {len(ours)})",
        f"{mine:.3f}", f"{theirs:.3f}", mine / theirs, WHOLE_RUN_RATIO if whole else TARGET_RATIO,
        f"ours {peak_ours:.0f} MB, anchor {peak_anchor:.0f} MB" if whole else "see the whole-run row",
        tuple(r[key] for r in ours), tuple(r["seconds"] for r in anchor))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    print(json.dumps(_child(*sys.argv[1:])))
