"""Monitoring benchmark: drift over 20 columns against Evidently's DataDriftPreset, and the anchor checks.

Both sides read the same Parquet files in a fresh process of their own: ours with the app's
environment, Evidently and NannyML with bench/.venv-anchors (pandas < 3, plotly < 6; see
bench/monitoring_anchors.py). Sizes come from the environment so a quick run is possible:
WORKBENCH_BENCH_DRIFT_ROWS (default 1,000,000 rows on each side).

    python -m bench.monitoring            the drift timing and both checks, printed
    python -m bench.monitoring ours DIR   (internal) our side of the timing
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
ANCHOR_PYTHON = REPO_ROOT / "bench" / ".venv-anchors" / "bin" / "python"
ROWS = int(os.environ.get("WORKBENCH_BENCH_DRIFT_ROWS", 1_000_000))
CHECK_SIZES = ((800, 600), (20_000, 20_000))  # Evidently's tests (reference ≤ 1,000 rows), then its distances
SEED = 20_240_601
TIME_TARGET, MEMORY_TARGET = 20.0, 0.5
CBPE_TOLERANCE = 0.01
CBPE_CHUNK = 5_000
MB = 1024**2


def make_drift_frames(n_reference: int, n_current: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Return a reference and a current frame of 20 columns (12 numeric, 8 categorical), 7 of them moved."""
    rng = np.random.default_rng(seed)
    reference, current = _columns(n_reference, rng, moved=False), _columns(n_current, rng, moved=True)
    kinds = {name: "numeric" if pd.api.types.is_numeric_dtype(reference[name]) else "categorical" for name in reference}
    return reference, current, kinds


def _columns(n: int, rng: np.random.Generator, moved: bool) -> pd.DataFrame:
    shift = 1.0 if moved else 0.0
    columns = {
        "normal": rng.normal(0.25 * shift, 1.0, n),  # moved a quarter of a sd: drifted
        "normal_small_move": rng.normal(0.05 * shift, 1.0, n),  # moved a twentieth: under the 0.1 threshold
        "lognormal": rng.lognormal(0.2 * shift, 1.0, n),
        "uniform": rng.uniform(0, 100, n),
        "exponential": rng.exponential(1.0 + 0.5 * shift, n),
        "student_t": rng.standard_t(5, n),
        "gamma": rng.gamma(2.0, 2.0, n),
        "beta": rng.beta(2, 5, n),
        "counts": rng.poisson(4 + shift, n).astype(float),
        "small_counts": rng.integers(0, 4, n).astype(float),  # 4 values: Jensen–Shannon on large data
        "flag_number": (rng.random(n) < 0.3).astype(float),
        "rounded": np.round(rng.normal(50, 10, n)),
    }
    for name in ("normal", "lognormal", "gamma"):
        columns[name][rng.random(n) < 0.01] = np.nan
    columns.update(_categories(n, rng, moved))
    return pd.DataFrame(columns)


def _categories(n: int, rng: np.random.Generator, moved: bool) -> dict:
    levels = np.array([f"L{i:03d}" for i in range(500)])
    regions = ["North", "South", "East", "West", "Central"]
    region_shares = [0.35, 0.2, 0.2, 0.15, 0.1] if moved else [0.2] * 5
    return {
        "region": rng.choice(regions, n, p=region_shares),
        "plan": rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2]),
        "channel": rng.choice(["web", "app", "branch", "phone"], n),
        "yes_no": rng.choice(["yes", "no"], n, p=[0.45, 0.55] if moved else [0.4, 0.6]),
        "segment": rng.choice(list("ABCDEFGHIJKL"), n),
        "many_levels": levels[rng.zipf(1.5, n) % 500],
        "colour": rng.choice(["red", "green", "blue"], n, p=[0.2, 0.3, 0.5] if moved else [0.3, 0.3, 0.4]),
        "weekday": rng.choice(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], n),
    }


def write_frames(folder: Path, reference: pd.DataFrame, current: pd.DataFrame, kinds: dict) -> None:
    reference.to_parquet(folder / "reference.parquet", index=False)
    current.to_parquet(folder / "current.parquet", index=False)
    (folder / "kinds.json").write_text(json.dumps(kinds))


def ours_drift(folder: Path) -> dict:
    """Time core.monitoring.drift.dataset_drift on the two frames; the same fields as the anchor side."""
    from bench.training import _reset_peak_rss, _status_bytes
    from core.monitoring.drift import dataset_drift

    kinds = json.loads((folder / "kinds.json").read_text())
    reference, current = pd.read_parquet(folder / "reference.parquet"), pd.read_parquet(folder / "current.parquet")
    gc.collect()
    _reset_peak_rss()
    before, start = _status_bytes("VmRSS"), time.perf_counter()
    result = dataset_drift(reference, current, kinds)
    seconds = time.perf_counter() - start
    peak = _status_bytes("VmHWM")
    columns = {c.column: {"method": c.method, "statistic": c.statistic, "threshold": c.threshold, "drifted": c.drifted}
               for c in result.columns}
    return {"seconds": seconds, "peak_bytes": peak, "added_bytes": max(peak - before, 0), "columns": columns}


def ours_monitor(folder: Path) -> dict:
    """Time core.monitoring.monitor.monitor over 10 windows of the current frame as a replay with model outputs."""
    from bench.training import _reset_peak_rss, _status_bytes
    from core.monitoring.monitor import monitor
    from core.monitoring.windows import make_windows

    kinds = json.loads((folder / "kinds.json").read_text())
    reference, stream = pd.read_parquet(folder / "reference.parquet"), pd.read_parquet(folder / "current.parquet")
    rng = np.random.default_rng(SEED)
    proba = rng.dirichlet([2.0, 2.0], len(stream))
    labels = np.where(rng.random(len(stream)) < proba[:, 1], "yes", "no")
    gc.collect()
    _reset_peak_rss()
    before, start = _status_bytes("VmRSS"), time.perf_counter()
    result = monitor(reference, stream, kinds, make_windows(len(stream)), proba=proba, labels=labels, classes=["no", "yes"])
    seconds = time.perf_counter() - start
    peak = _status_bytes("VmHWM")
    return {"seconds": seconds, "peak_bytes": peak, "added_bytes": max(peak - before, 0), "windows": len(result.windows)}


def _run(command: list[str], what: str) -> dict:
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_ours(folder: Path) -> dict:
    return _run([sys.executable, "-m", "bench.monitoring", "ours", str(folder)], "our drift")


def run_ours_monitor(folder: Path) -> dict:
    return _run([sys.executable, "-m", "bench.monitoring", "monitor", str(folder)], "our monitor")


def run_anchor(task: str, folder: Path) -> dict:
    if not ANCHOR_PYTHON.exists():
        raise RuntimeError("bench/.venv-anchors is missing: run `make bench`, which builds it.")
    return _run([str(ANCHOR_PYTHON), "-m", "bench.monitoring_anchors", task, str(folder)], f"anchor {task}")


def compare_decisions(ours: dict, anchor: dict) -> list[str]:
    """Return the columns whose method or drift decision differ, described."""
    return [f"{name}: ours {mine['method']} {mine['statistic']:.6g} {mine['drifted']}, evidently "
            f"{theirs['method']} {theirs['statistic']:.6g} {theirs['drifted']}"
            for name, mine in ours["columns"].items()
            for theirs in [anchor["columns"][name]]
            if (mine["method"], mine["drifted"]) != (theirs["method"], theirs["drifted"])]


def largest_score_gap(ours: dict, anchor: dict) -> float:
    gaps = [abs(mine["statistic"] - anchor["columns"][name]["statistic"]) for name, mine in ours["columns"].items()]
    return max(g for g in gaps if np.isfinite(g))


def cbpe_data(folder: Path, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Write a calibrated model's reference (labelled) and analysis rows; return the analysis probabilities and predictions.

    The labels follow a logistic model of three features and the model is a logistic regression
    fitted on 50,000 rows of it, so its probabilities are calibrated; the analysis rows move
    (covariate shift growing to 0.6 sd) but the rule linking features to labels does not.
    """
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    weights = np.array([1.5, -2.0, 0.7])

    def rows(n, shift):
        X = rng.normal(shift, 1.0, (n, 3))
        return X, (rng.random(n) < 1 / (1 + np.exp(-(X @ weights)))).astype(int)

    model = LogisticRegression().fit(*rows(50_000, 0.0))
    for name, (X, y) in (("reference", rows(20_000, 0.0)),
                         ("analysis", rows(10 * CBPE_CHUNK, np.repeat(np.linspace(0, 0.6, 10), CBPE_CHUNK)[:, None]))):
        proba = model.predict_proba(X)[:, 1]
        frame = pd.DataFrame({"proba": proba, "prediction": (proba >= 0.5).astype(int), "label": y})
        frame.to_parquet(folder / f"cbpe_{name}.parquet", index=False)
    (folder / "cbpe.json").write_text(json.dumps({"chunk_size": CBPE_CHUNK}))
    analysis = pd.read_parquet(folder / "cbpe_analysis.parquet")
    return analysis["proba"].to_numpy(), analysis["prediction"].to_numpy()


def check_cbpe(folder: Path) -> dict:
    """Return our CBPE and NannyML's per chunk of the same calibrated analysis rows, and the largest gap."""
    from core.monitoring.performance import cbpe_accuracy

    proba, prediction = cbpe_data(folder)
    theirs = run_anchor("cbpe", folder)
    ours = [cbpe_accuracy(np.c_[1 - proba[s], proba[s]], prediction[s])
            for s in (slice(i, i + CBPE_CHUNK) for i in range(0, len(proba), CBPE_CHUNK))]
    gaps = [abs(mine.value - value) for mine, value in zip(ours, theirs["value"])]
    widths = [(m.high - m.low, high - low) for m, low, high in zip(ours, theirs["low"], theirs["high"])]
    return {"ours": [m.value for m in ours], "nannyml": theirs["value"], "max_gap": max(gaps),
            "band_widths": widths, "chunks": len(ours)}


def check_decisions(folder: Path) -> list[dict]:
    """Return, for a small and a large reference, how many columns' method and decision match Evidently's."""
    outcomes = []
    for n_reference, n_current in CHECK_SIZES:
        write_frames(folder, *make_drift_frames(n_reference, n_current, seed=SEED + n_reference))
        ours, anchor = run_ours(folder), run_anchor("drift", folder)
        outcomes.append({"sizes": (n_reference, n_current), "columns": len(ours["columns"]),
                         "differ": compare_decisions(ours, anchor), "score_gap": largest_score_gap(ours, anchor),
                         "drifted": sum(c["drifted"] for c in ours["columns"].values())})
    return outcomes


def time_drift(folder: Path, rows: int = ROWS) -> dict:
    """Return both sides' timing and memory on rows × rows frames, and whether their decisions agree."""
    write_frames(folder, *make_drift_frames(rows, rows))
    ours, anchor = run_ours(folder), run_anchor("drift", folder)
    return {"ours": ours, "anchor": anchor, "differ": compare_decisions(ours, anchor),
            "score_gap": largest_score_gap(ours, anchor), "monitor": run_ours_monitor(folder)}


def measure_all(rows: int = ROWS) -> dict:
    with tempfile.TemporaryDirectory(prefix="workbench-monitoring-") as tmp:
        folder = Path(tmp)
        return {"timing": time_drift(folder, rows), "decisions": check_decisions(folder), "cbpe": check_cbpe(folder)}


def bench_monitoring(row_type, rows: int = ROWS) -> tuple[list, list[str]]:
    """Return the results table's rows (drift time, drift memory, the monitor's time) and the notes with the checks."""
    measured = measure_all(rows)
    timing, ours, anchor = measured["timing"], measured["timing"]["ours"], measured["timing"]["anchor"]
    size = f"{rows:,} reference × {rows:,} current rows, 20 columns"
    table = [
        row_type(f"drift: {size} (core.monitoring.drift.dataset_drift vs Evidently 0.7 DataDriftPreset, one run each)",
                 f"{ours['seconds']:.3f}", f"{anchor['seconds']:.3f}", ours["seconds"] / anchor["seconds"],
                 1 / TIME_TARGET, f"ours {ours['peak_bytes'] / MB:.0f} MB, anchor {anchor['peak_bytes'] / MB:.0f} MB",
                 (ours["seconds"],), (anchor["seconds"],)),
        row_type("drift memory: added above the loaded frames during the operation (MB)",
                 f"{ours['added_bytes'] / MB:.0f}", f"{anchor['added_bytes'] / MB:.0f}",
                 ours["added_bytes"] / max(anchor["added_bytes"], 1), MEMORY_TARGET,
                 f"process peak ours {ours['peak_bytes'] / MB:.0f} MB, anchor {anchor['peak_bytes'] / MB:.0f} MB"),
        row_type(f"monitor: every window (10 chunks) of a {rows:,}-request stream against a {rows:,}-row reference, "
                 "with the 10 reference chunks, domain classifier, CBPE and realised metrics (core.monitoring.monitor)",
                 f"{timing['monitor']['seconds']:.3f}", "—", float("nan"), float("nan"),
                 f"ours {timing['monitor']['peak_bytes'] / MB:.0f} MB, added {timing['monitor']['added_bytes'] / MB:.0f} MB"),
    ]
    return table, notes(measured, rows)


def notes(measured: dict, rows: int) -> list[str]:
    """Return the RESULTS.md lines saying how it was measured and what the anchor checks found."""
    timing, cbpe = measured["timing"], measured["cbpe"]
    checks = [f"{d['sizes'][0]:,} × {d['sizes'][1]:,}: {d['columns'] - len(d['differ'])} of {d['columns']} columns "
              f"with the same test and decision ({d['drifted']} drifted), largest score difference {d['score_gap']:.1e}"
              + (f"; differ: {'; '.join(d['differ'])}" if d["differ"] else "") for d in measured["decisions"]]
    return [
        f"- monitoring drift: {rows:,} × {rows:,} generated rows (seed {SEED}; 12 numeric columns of 8 distributions, "
        "3 with 1% missing, and 8 text columns with 2 to 500 levels; 7 columns moved in the current frame), written to "
        "Parquet; each side reads them in a fresh process of its own (ours in the app's environment, Evidently 0.7.23 "
        "in bench/.venv-anchors with pandas 2.3 and plotly 5), the column kinds given to Evidently as a "
        "DataDefinition. Time and the process's peak resident set size are taken around the drift call alone "
        "(peak reset just before it); the memory row compares what each side added above the loaded frames, "
        "since the two pandas versions hold the same text columns differently. One run each.",
        f"- drift decisions against Evidently's DataDriftPreset (same files, 20 columns): "
        f"{rows:,} × {rows:,}: {20 - len(timing['differ'])} of 20 the same, largest score difference "
        f"{timing['score_gap']:.1e}; " + "; ".join(checks) + ".",
        f"- CBPE against NannyML 0.13.1 CBPE (accuracy, binary): a logistic regression calibrated by construction, "
        f"{cbpe['chunks']} chunks of {CBPE_CHUNK:,} analysis rows with covariate shift growing to 0.6 sd, NannyML "
        f"fitted on 20,000 labelled reference rows; largest difference of the estimates {cbpe['max_gap']:.1e} "
        f"(tolerance {CBPE_TOLERANCE}); band width ours {np.mean([w[0] for w in cbpe['band_widths']]):.4f}, NannyML "
        f"{np.mean([w[1] for w in cbpe['band_widths']]):.4f} (ours: the Poisson-binomial sd of the window's "
        "correctness; NannyML's: the reference's sd of correctness over √n, wider by design).",
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    if sys.argv[1:2] in (["ours"], ["monitor"]):
        print(json.dumps({"ours": ours_drift, "monitor": ours_monitor}[sys.argv[1]](Path(sys.argv[2]))))
    else:
        from bench.run import Row

        table, lines = bench_monitoring(Row)
        print("\n".join([*(str(row) for row in table), *lines]))
