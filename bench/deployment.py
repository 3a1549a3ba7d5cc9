"""Deployment benchmark: replaying 1,000,000 requests through a model against bare predict_proba calls.

Ours is `core.deployment.rollouts.replay` of a fitted catalog model on a 1,000,000-request
loan_approval stream in batches of 1,000 (a canary whose one step serves 100%, so each batch is
one predict_proba call, as on the anchor side): routing, latency timing, label arrival, the
analysis, the windows' aggregates and the sample. The anchor makes the same predict_proba calls
on the same batches and keeps nothing. Each run is a fresh process; ours and the anchor alternate.
The stored log's size is the windows' JSON plus the sample's Parquet, as the database holds them.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 1_000_000
BATCH = 1_000
TRAIN_ROWS = 20_000
REPEATS = 3
SEED = 20_240_601
TARGET_RATIO = 1.3
MEMORY_RATIO = 1.5
LOG_TARGET_MB = 20
MB = 1024**2

NOTES = [
    f"- deployment: a logistic-regression catalog pipeline fitted on {TRAIN_ROWS:,} loan_approval rows; the "
    f"stream is {REQUESTS:,} fresh applications (seed {SEED}) in batches of {BATCH:,}. Ours: `replay` as a canary "
    "whose single step serves 100% (each batch one predict_proba call, timed per call, routed, logged into 100 "
    "windows of aggregates plus a 200-row sample each, analysed at the end). A ramp with a split share costs a "
    "second predict_proba call per batch: model work, not simulation overhead. Anchor: the same predict_proba "
    f"calls on the same batches. Fresh process per run, alternating, {REPEATS} runs each; fastest compared. Peak "
    "memory: the process's peak resident set size during the operation (reset just before it; both sides hold "
    "the stream and the model then), and what it added above the size just before it.",
]


def _setup():
    from core.data.scenarios import loan_approval as loans
    from core.data.schema import infer_schema
    from core.modeling.preprocessing import plan_features
    from core.modeling.training import TrainingConfig, build_pipeline
    from core.deployment.streams import loan_stream

    scenario = loans.loan_approval(n_rows=TRAIN_ROWS, seed=SEED)
    train = scenario.frame
    plan = plan_features(infer_schema(train), scenario.roles)
    model = build_pipeline(plan, TrainingConfig("logistic_regression")).fit(train[plan.columns], train["approved"])
    stream = loan_stream(scenario.ground_truth, n_requests=REQUESTS, start_month=1, seed=SEED + 1)
    return model, plan.columns, stream


def _child(side: str) -> dict:
    from bench.training import _reset_peak_rss, _status_bytes
    from core.deployment.plans import RolloutSettings
    from core.deployment.rollouts import replay
    from core.deployment.servers import ModelServer

    model, columns, stream = _setup()
    settings = RolloutSettings(mode="canary", ramp=(100,), step_requests=REQUESTS, batch_size=BATCH,
                               min_labels=10)
    gc.collect()
    _reset_peak_rss()
    before, start = _status_bytes("VmRSS"), time.perf_counter()
    if side == "ours":
        outcome = replay(stream, ModelServer("champion", model, columns), ModelServer("candidate", model, columns),
                         settings)
    else:
        for begin in range(0, len(stream), BATCH):
            model.predict_proba(stream.frame.iloc[begin:begin + BATCH][columns])
    seconds = time.perf_counter() - start
    peak = _status_bytes("VmHWM")
    return {"seconds": seconds, "peak_bytes": peak, "added_bytes": max(peak - before, 0),
            "log_bytes": _log_bytes(outcome) if side == "ours" else 0}


def _log_bytes(outcome) -> int:
    from storage.data.datasets import frame_to_parquet

    sample = outcome.log.sample_frame()
    sample = sample.astype({c: str for c in ("prediction", "label", "champion_prediction", "challenger_prediction")})
    return len(json.dumps(outcome.log.windows).encode()) + len(frame_to_parquet(sample))


def _run_child(side: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.deployment", side], cwd=REPO_ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"deployment {side} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_deployment(row_type) -> list:
    """Return the replay row (time) and the memory row, with the stored log's size."""
    ours, anchor = [], []
    for _ in range(REPEATS):
        ours.append(_run_child("ours"))
        anchor.append(_run_child("anchor"))
    mine, theirs = min(r["seconds"] for r in ours), min(r["seconds"] for r in anchor)
    peak_ours = statistics.median(r["peak_bytes"] for r in ours) / MB
    peak_anchor = statistics.median(r["peak_bytes"] for r in anchor) / MB
    log_mb = statistics.median(r["log_bytes"] for r in ours) / MB
    added = statistics.median(r["added_bytes"] for r in ours) / MB, statistics.median(r["added_bytes"] for r in anchor) / MB
    return [
        row_type(f"deployment replay of {REQUESTS:,} requests in batches of {BATCH:,} through a trained model vs "
                 f"bare predict_proba on the same batches (best of {REPEATS}); stored log {log_mb:.1f} MB "
                 f"(target under {LOG_TARGET_MB} MB)", f"{mine:.3f}", f"{theirs:.3f}", mine / theirs, TARGET_RATIO,
                 f"ours {peak_ours:.0f} MB, anchor {peak_anchor:.0f} MB", tuple(r["seconds"] for r in ours),
                 tuple(r["seconds"] for r in anchor)),
        row_type("deployment replay's peak memory vs the bare predict_proba loop's (process peak, MB, median)",
                 f"{peak_ours:.0f}", f"{peak_anchor:.0f}", peak_ours / peak_anchor, MEMORY_RATIO,
                 f"added during the operation: ours {added[0]:.0f} MB, anchor {added[1]:.0f} MB"),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    print(json.dumps(_child(*sys.argv[1:])))
