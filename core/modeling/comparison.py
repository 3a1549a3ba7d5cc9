"""Side-by-side differences of two runs: their configs setting by setting, their metrics one by one."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from core.modeling.promotion import LOWER_IS_BETTER


def flatten(settings: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return nested settings as one level with dotted keys: {"params": {"C": 1}} -> {"params.C": 1}.

    >>> flatten({"model": "knn", "params": {"n_neighbors": 5}})
    {'model': 'knn', 'params.n_neighbors': 5}
    """
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def config_diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> pd.DataFrame:
    """Return one row per setting of either run: its value in A and B and whether they differ."""
    flat_a, flat_b = flatten(a), flatten(b)
    keys = sorted(set(flat_a) | set(flat_b))
    rows = [{"setting": k, "A": _text(flat_a.get(k)), "B": _text(flat_b.get(k)),
             "differs": _text(flat_a.get(k)) != _text(flat_b.get(k))} for k in keys]
    return pd.DataFrame(rows, columns=["setting", "A", "B", "differs"])


def _text(value: Any) -> str:
    # Lists and numbers compare and display as text, so a column mixes types safely.
    return "—" if value is None else str(value)


def metrics_diff(a: Mapping[str, float], b: Mapping[str, float]) -> pd.DataFrame:
    """Return one row per metric of either run: A, B, the change B − A and which run is better.

    >>> list(metrics_diff({"f1[sex=F]": 0.7, "f1": 0.8}, {"accuracy": 0.9})["metric"])
    ['accuracy', 'f1', 'f1[sex=F]']
    """
    rows = []
    # Overall metrics first, then the per-slice ones (``recall[sex=F]``), each group alphabetical.
    for metric in sorted(set(a) | set(b), key=lambda name: ("[" in name, name)):
        value_a, value_b = _number(a.get(metric)), _number(b.get(metric))
        change = value_b - value_a if not (math.isnan(value_a) or math.isnan(value_b)) else math.nan
        rows.append({"metric": metric, "A": value_a, "B": value_b, "B − A": change,
                     "better": _better(metric, change)})
    return pd.DataFrame(rows, columns=["metric", "A", "B", "B − A", "better"])


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _better(metric: str, change: float) -> str:
    if math.isnan(change) or change == 0 or metric.split("[", 1)[0] == "n_rows":  # a count, not a score
        return "—"
    lower_wins = metric in LOWER_IS_BETTER or metric.endswith("_ms") or metric.endswith("_seconds")
    return "A" if (change > 0) == lower_wins else "B"


def parameter_table(configs: Mapping[int, Mapping[str, Any]], *, taken: Sequence[str] = ()) -> pd.DataFrame:
    """Return one row per run (the keys) and one column per hyperparameter any run set.

    A column holds numbers when every value it has is a number, else text; a run of another model
    has no value. A name in `taken` (a column the table has already) is shown as ``param <name>``.

    >>> parameter_table({2: {"params": {"C": 1.0}}, 1: {"params": {"n_neighbors": 5}}}).to_dict()
    {'C': {2: 1.0, 1: nan}, 'n_neighbors': {2: nan, 1: 5.0}}
    """
    frame = pd.DataFrame.from_dict({run: dict(config.get("params", {})) for run, config in configs.items()},
                                   orient="index")
    frame = frame.reindex(list(configs))
    for column in frame.columns:
        present = frame[column].notna()
        numbers = pd.to_numeric(frame[column].where(present), errors="coerce")
        frame[column] = numbers if numbers.notna().sum() == present.sum() else frame[column].map(_text_or_none)
    return frame.rename(columns={c: f"param {c}" for c in frame.columns if c in set(taken)})


def _text_or_none(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
