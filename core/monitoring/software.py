"""Software metrics per monitoring window, from the replay log's windows (core.deployment.log).

The log cuts a replay into its own windows of equal count and keeps, for each, latency
percentiles, throughput, failures and peak memory. A monitoring window (a chunk, a day, a week or
a month) takes the log windows whose middle request falls inside it, and reports the worst of
them: the highest latency percentiles and memory, the lowest throughput. Percentiles of different
windows cannot be merged exactly, and the worst is what an alert should see. Failures add up.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SOFTWARE_COLUMNS = ("p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "throughput_rps", "failed_share",
                    "peak_rss_mb", "log_windows")


def software_by_window(log_windows: Sequence[dict], window_positions: Sequence[np.ndarray]) -> pd.DataFrame:
    """Return per monitoring window the worst software metrics of the log windows it holds (NaN where none)."""
    middles = np.array([w["first_position"] + (w["n"] - 1) / 2 for w in log_windows], dtype=float)
    rows = []
    for positions in window_positions:
        held = [w for w, m in zip(log_windows, middles) if len(positions) and positions.min() <= m <= positions.max()]
        rows.append(_worst(held))
    return pd.DataFrame(rows, columns=list(SOFTWARE_COLUMNS))


def _worst(held: list[dict]) -> dict:
    if not held:
        return {c: np.nan for c in SOFTWARE_COLUMNS} | {"log_windows": 0}
    latency = [w.get("latency_ms", {}) for w in held]
    n = sum(w["n"] for w in held)
    return {"p50_latency_ms": _max(l.get("p50") for l in latency),
            "p95_latency_ms": _max(l.get("p95") for l in latency),
            "p99_latency_ms": _max(l.get("p99") for l in latency),
            "throughput_rps": _min(w.get("throughput_rps") for w in held),
            "failed_share": sum(w.get("n_failed", 0) for w in held) / n if n else np.nan,
            "peak_rss_mb": _max(w.get("peak_rss_mb") for w in held), "log_windows": len(held)}


def _known(values) -> list[float]:
    return [float(v) for v in values if v is not None and not np.isnan(v)]


def _max(values) -> float:
    known = _known(values)
    return max(known) if known else np.nan


def _min(values) -> float:
    known = _known(values)
    return min(known) if known else np.nan
