"""A run as MLflow records it: parameters, metrics, tags and dataset inputs, and where it is sent.

Pure: it builds what `storage.modeling.mlflow_export` hands to MLflow's own client, so the names
can be checked without MLflow installed. MLflow accepts keys of letters, digits, `_ - . /` and
spaces only (mlflow/utils/validation.py, `validate_param_and_metric_name`; the colon it also
allows off Windows is left out, so a store reads everywhere), and no `..`, leading `/` or `//`.

- Parameters: the run's config flattened — `model`, `params.<hyperparameter>`, `balance_classes`,
  … — each value as text (lists as JSON).
- Metrics: `<split>/<metric>` (`dev/accuracy`), a slice's `<split>/slice/<column>_<value>/<metric>`
  (`dev/slice/sex_F/recall` for `recall[sex=F]`), timings as `timing/<name>` and the model size as
  `model_size_bytes`. A slice value is user text: characters MLflow refuses become `_`, and a
  name taken twice gets `.2`, so `metric_names` maps every MLflow key back to the app's name.
- Tags: project, run label, dataset version, both hashes in full, model, code version, the
  run's tags (as a JSON list) and its notes as MLflow's own description tag.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

SLICE_NAME = re.compile(r"^(?P<metric>[^\[]+)\[(?P<column>[^=\]]+)=(?P<value>.*)\]$")
_REFUSED_BY_MLFLOW = re.compile(r"[^\w.\- ]+")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: C:\ is a Windows path
STATUS = {"finished": "FINISHED", "failed": "FAILED", "cancelled": "KILLED", "running": "RUNNING"}
DIGEST_LENGTH = 16  # MLflow's SQL stores keep a dataset digest in 36 characters; the full hash is a tag
NOTE_TAG = "mlflow.note.content"  # the description MLflow's UI shows on the run page

EMPTY_URI = ("Type where to send the runs: a folder on this computer (for example ~/mlruns) or the address of "
             "an MLflow server (http://host:5000).")
FOLDER_IS_FILE = "{path} is a file, not a folder. Type a folder for the MLflow store, or a server address."


@dataclass(frozen=True)
class RunFacts:
    """What the app stored about a run, as plain values."""

    project: str
    run_label: str
    number: int
    model: str
    dataset: str
    dataset_hash: str
    labels_hash: str
    config: dict[str, Any]
    metrics: dict[str, dict[str, Any]]
    timings: dict[str, Any]
    model_size: int
    code_version: str
    tags: list[str]
    notes: str
    status: str
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class DatasetInput:
    """One MLflow dataset input: a name, a short digest, where it came from, and its context."""

    name: str
    digest: str
    source: str
    context: str


@dataclass(frozen=True)
class MlflowRecord:
    """Everything one MLflow run gets, named as MLflow accepts."""

    run_name: str
    params: dict[str, str]
    metrics: dict[str, float]
    metric_names: dict[str, str]
    tags: dict[str, str]
    inputs: list[DatasetInput]
    start_ms: int
    end_ms: int | None
    status: str = field(default="FINISHED")


def mlflow_record(facts: RunFacts) -> MlflowRecord:
    """Return the MLflow run for a stored run (see the module doc for the names)."""
    names = metric_names(facts.metrics, facts.timings)
    values = {**{f"{split}: {key}": value for split, scores in facts.metrics.items() for key, value in scores.items()},
              **{f"timing: {key}": value for key, value in facts.timings.items()}, "model_size": facts.model_size}
    return MlflowRecord(
        run_name=facts.run_label, params=run_params(facts.config),
        metrics={key: float(values[name]) for key, name in names.items()}, metric_names=names,
        tags=run_tags(facts), inputs=dataset_inputs(facts), start_ms=_ms(facts.created_at),
        end_ms=_ms(facts.finished_at) if facts.finished_at else None, status=STATUS.get(facts.status, "FINISHED"))


def run_params(config: dict[str, Any]) -> dict[str, str]:
    """Return the config flattened into MLflow parameters, every value as text."""
    params = {f"params.{k}": _text(v) for k, v in (config.get("params") or {}).items()}
    return {**{k: _text(v) for k, v in config.items() if k != "params"}, **params}


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def metric_names(metrics: dict[str, dict[str, Any]], timings: dict[str, Any]) -> dict[str, str]:
    """Return MLflow key -> the app's name (`dev: recall[sex=F]`) for every number a run holds."""
    names: dict[str, str] = {}
    for split, scores in metrics.items():
        for name, value in scores.items():
            if _is_number(value):
                names[_free(names, _metric_key(split, name))] = f"{split}: {name}"
    for name, value in timings.items():
        if _is_number(value):
            names[_free(names, f"timing/{_safe(name)}")] = f"timing: {name}"
    return {**names, "model_size_bytes": "model_size"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value  # NaN is no score


def _metric_key(split: str, name: str) -> str:
    found = SLICE_NAME.match(name)
    if found is None:
        return f"{_safe(split)}/{_safe(name)}"
    # Under `slice/`: a folder store keeps `dev/accuracy` as a file, so no key may continue it.
    return f"{_safe(split)}/slice/{_safe(found['column'])}_{_safe(found['value'])}/{_safe(found['metric'])}"


def _safe(part: str) -> str:
    """Return text MLflow takes as one piece of a key: refused characters, and dots or spaces at its ends, as `_`."""
    cleaned = _REFUSED_BY_MLFLOW.sub("_", str(part))
    return re.sub(r"^[. ]+|[. ]+$", lambda m: "_" * len(m.group()), cleaned) or "_"


def _free(taken: dict[str, str], key: str) -> str:
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = f"{key}.{number}"
    return candidate


def run_tags(facts: RunFacts) -> dict[str, str]:
    """Return the run's tags as MLflow tags: who and what it is, the full hashes, its own tags and notes."""
    return {"workbench.project": facts.project, "workbench.run": facts.run_label,
            "workbench.run_number": str(facts.number), "workbench.model": facts.model,
            "workbench.dataset": facts.dataset, "workbench.dataset_hash": facts.dataset_hash,
            "workbench.labels_hash": facts.labels_hash, "workbench.code_version": facts.code_version,
            "workbench.tags": json.dumps(list(facts.tags), ensure_ascii=False)} | (
        {NOTE_TAG: facts.notes} if facts.notes.strip() else {})


def dataset_inputs(facts: RunFacts) -> list[DatasetInput]:
    """Return the dataset version and its label snapshot as MLflow dataset inputs."""
    source = json.dumps({"project": facts.project, "dataset": facts.dataset, "content_hash": facts.dataset_hash,
                         "label_snapshot_hash": facts.labels_hash})
    return [DatasetInput(facts.dataset, facts.dataset_hash[:DIGEST_LENGTH], source, "training"),
            DatasetInput(f"{facts.dataset} labels", facts.labels_hash[:DIGEST_LENGTH], source, "labels")]


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def tracking_uri(text: str) -> str:
    """Return an MLflow tracking URI: an address as typed, or a folder path made into an absolute file URI."""
    text = (text or "").strip()
    if not text:
        raise ValueError(EMPTY_URI)
    if _URI_SCHEME.match(text):
        return text
    folder = Path(text).expanduser().resolve()
    if folder.is_file():
        raise ValueError(FOLDER_IS_FILE.format(path=folder))
    return folder.as_uri()
