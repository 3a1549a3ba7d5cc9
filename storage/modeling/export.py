"""Run downloads: the model as its skops file with a text beside it, and stored predictions as CSV."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from core.exports import ExportFile, csv_bytes, export_file
from core.modeling.catalog import MODELS
from core.modeling.export import ModelFacts, model_inputs, model_readme
from storage.data.tables import Dataset
from storage.modeling.runs import (
    NO_MODEL, RunError, get_run, has_predictions, load_predictions, load_run_model, run_label,
)
from storage.modeling.tables import ModelArtifact, Run
from storage.project.projects import get_project


def model_download(session: Session, run_id: int, *, project_id: int,
                   at: datetime | None = None) -> tuple[ExportFile, ExportFile]:
    """Return a run's model as its skops file and the text saying how to load and feed it."""
    run = get_run(session, run_id, project_id=project_id)
    artifact = session.exec(select(ModelArtifact).where(ModelArtifact.run_id == run_id)).first()
    if artifact is None:
        raise RunError(NO_MODEL.format(run=run_label(run), status=run.status))
    model = load_run_model(session, run_id)  # checksum and trusted types checked before anything is offered
    project, dataset, at = get_project(session, project_id).name, _dataset(session, run), at or datetime.now(UTC)
    model_file = _file(project, dataset, run, at, "skops", bytes(artifact.data), "model")
    facts = ModelFacts(
        project=project, run=run_label(run), model=MODELS[run.model].label if run.model in MODELS else run.model,
        file_name=model_file.file_name, sha256=artifact.sha256, dataset=_dataset_name(dataset),
        dataset_hash=run.dataset_hash, labels_hash=run.labels_hash,
        inputs=model_inputs(run.details.get("features", {}), dataset.column_kinds if dataset else {}),
        classes=tuple(map(str, model.classes_)), versions=_versions())
    return model_file, _file(project, dataset, run, at, "txt", model_readme(facts).encode("utf-8"), "model")


def predictions_download(session: Session, run_id: int, *, project_id: int, split: str,
                         at: datetime | None = None) -> ExportFile:
    """Return a run's stored predictions on a split (row_id, label, prediction, proba_<class>) as CSV."""
    run = get_run(session, run_id, project_id=project_id)
    data = csv_bytes(load_predictions(session, run_id=run_id, split=split))
    return _file(get_project(session, project_id).name, _dataset(session, run), run, at or datetime.now(UTC),
                 "csv", data, f"{split}-predictions")


def run_downloads(session: Session, run_id: int, *, project_id: int,
                  at: datetime | None = None) -> dict[str, ExportFile]:
    """Return a finished run's files by what they hold: model, text, dev and (once looked at) test predictions."""
    at = at or datetime.now(UTC)
    model_file, text = model_download(session, run_id, project_id=project_id, at=at)
    return {"model": model_file, "text": text} | {
        split: predictions_download(session, run_id, project_id=project_id, split=split, at=at)
        for split in ("dev", "test") if has_predictions(session, run_id=run_id, split=split)}


def _dataset(session: Session, run: Run) -> Dataset | None:
    return session.get(Dataset, run.dataset_id) if run.dataset_id is not None else None


def _dataset_name(dataset: Dataset | None) -> str:
    return f"{dataset.name} v{dataset.version}" if dataset else "a dataset version since deleted"


def _file(project: str, dataset: Dataset | None, run: Run, at: datetime, extension: str, data: bytes,
          what: str) -> ExportFile:
    version = f"v{dataset.version}-" if dataset else ""
    return export_file(project, dataset.name if dataset else "deleted-dataset", at, extension, data,
                       detail=f"{version}run-{run.number}-{what}")


def _versions() -> dict[str, str]:
    import sklearn
    import skops

    return {"scikit-learn": sklearn.__version__, "skops": skops.__version__}
