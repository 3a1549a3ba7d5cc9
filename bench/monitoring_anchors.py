"""The anchor side of the monitoring benchmark, run in bench/.venv-anchors (Evidently 0.7, NannyML, pandas < 3).

Evidently and NannyML cannot be installed beside the app's pandas 3 and plotly 7, so `bench.monitoring`
runs this file with the side environment's Python, on the same Parquet files the app side reads,
and reads one JSON line from its output.

    python -m bench.monitoring_anchors drift DIR      Evidently DataDriftPreset on DIR/reference.parquet, DIR/current.parquet
    python -m bench.monitoring_anchors cbpe DIR       NannyML CBPE accuracy on DIR/cbpe_reference.parquet, DIR/cbpe_analysis.parquet
"""

from __future__ import annotations

import gc
import json
import sys
import time
import warnings
from pathlib import Path

# Evidently's display names of its tests → the app's method names, and whether the score is a p-value.
METHODS = {
    "K-S p_value": ("ks", True), "chi-square p_value": ("chisquare", True), "Z-test p_value": ("z", True),
    "Wasserstein distance (normed)": ("wasserstein", False), "Jensen-Shannon distance": ("jensenshannon", False),
    "PSI": ("psi", False),
}


def _memory():
    from bench.training import _reset_peak_rss, _status_bytes

    return _reset_peak_rss, _status_bytes


def evidently_drift(folder: Path) -> dict:
    """Time DataDriftPreset on the two frames; return seconds, memory and every column's method, score and decision."""
    import pandas as pd
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    kinds = json.loads((folder / "kinds.json").read_text())
    reference, current = pd.read_parquet(folder / "reference.parquet"), pd.read_parquet(folder / "current.parquet")
    definition = DataDefinition(
        numerical_columns=[c for c, k in kinds.items() if k == "numeric"],
        categorical_columns=[c for c, k in kinds.items() if k == "categorical"],
    )
    reset_peak, status_bytes = _memory()
    gc.collect()
    reset_peak()
    before, start = status_bytes("VmRSS"), time.perf_counter()
    snapshot = Report([DataDriftPreset()]).run(
        Dataset.from_pandas(current, data_definition=definition), Dataset.from_pandas(reference, data_definition=definition))
    seconds = time.perf_counter() - start
    peak = status_bytes("VmHWM")
    return {"seconds": seconds, "peak_bytes": peak, "added_bytes": max(peak - before, 0),
            "columns": _columns(snapshot.dict())}


def _columns(result: dict) -> dict:
    columns = {}
    for metric in result["metrics"]:
        config = metric["config"]
        if not config["type"].endswith("ValueDrift"):
            continue
        name, is_p_value = METHODS[config["method"]]
        score, threshold = float(metric["value"]), float(config["threshold"])
        drifted = score < threshold if is_p_value else score >= threshold
        columns[config["column"]] = {"method": name, "statistic": score, "threshold": threshold, "drifted": bool(drifted)}
    return columns


def nannyml_cbpe(folder: Path) -> dict:
    """Return NannyML CBPE's accuracy estimate and band per chunk of the analysis rows."""
    import nannyml
    import pandas as pd

    settings = json.loads((folder / "cbpe.json").read_text())
    reference = pd.read_parquet(folder / "cbpe_reference.parquet")
    analysis = pd.read_parquet(folder / "cbpe_analysis.parquet")
    estimator = nannyml.CBPE(problem_type="classification_binary", y_pred_proba="proba", y_pred="prediction",
                             y_true="label", metrics=["accuracy"], chunk_size=settings["chunk_size"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(reference)
        table = estimator.estimate(analysis).to_df()
    table = table[table[("chunk", "period")] == "analysis"]  # the result repeats the reference's chunks first
    return {
        "value": table[("accuracy", "value")].tolist(),
        "low": table[("accuracy", "lower_confidence_boundary")].tolist(),
        "high": table[("accuracy", "upper_confidence_boundary")].tolist(),
        "rows": (table[("chunk", "end_index")] - table[("chunk", "start_index")] + 1).tolist(),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    task, folder = sys.argv[1], Path(sys.argv[2])
    print(json.dumps({"drift": evidently_drift, "cbpe": nannyml_cbpe}[task](folder)))
