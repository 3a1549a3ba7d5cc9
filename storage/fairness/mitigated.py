"""A mitigated decision rule saved as a run: the audited run's model with per-group thresholds beside it.

The new run shares its parent's model artifact (the same bytes and checksum) and records the
thresholds in its config, its dev predictions with the thresholds applied, and the dev metrics
those give — so it is compared and promoted through the gate like any other run.
"""

from sqlmodel import Session, select

from core.fairness.mitigation import thresholded_predictions
from core.fairness.thresholds import ThresholdRule
from core.modeling.evaluation import evaluate_predictions, slice_metrics
from storage.fairness.audits import load_audit_data
from storage.fairness.tables import AuditError
from storage.modeling.runs import json_safe, run_label, save_predictions, take_run_number
from storage.modeling.tables import ModelArtifact, Run
from storage.project.projects import log_event
from storage.fields import utc_now

TRIGGER = "fairness mitigation"
NOT_ON_DEV = "Per-group thresholds are fitted on the dev split; fit them there before saving them as a run."
ALREADY_MITIGATED = "{run} already applies per-group thresholds; mitigate the model's own run instead."


def save_mitigated_run(session: Session, *, project_id: int, run_id: int, mitigation: dict,
                       actor: str = "analyst") -> Run:
    """Return a new finished run: the run's model plus the mitigation's per-group thresholds."""
    data = load_audit_data(session, project_id=project_id, run_id=run_id, split="dev")
    parent = data.run
    if parent.config.get("group_thresholds"):
        raise AuditError(ALREADY_MITIGATED.format(run=run_label(data.run)))
    rule = ThresholdRule.from_dict(mitigation)
    columns = tuple(mitigation["columns"])
    predictions = thresholded_predictions(data.predictions, data.sensitive, columns, rule, classes=data.classes)
    evaluation = evaluate_predictions(predictions, classes=data.classes)
    metrics = json_safe({**evaluation.metrics, **slice_metrics(predictions, data.sensitive, classes=data.classes)})
    run = Run(project_id=project_id, number=take_run_number(session, project_id), dataset_id=parent.dataset_id, dataset_hash=parent.dataset_hash,
              labels_hash=parent.labels_hash, split_id=parent.split_id, model=parent.model,
              config={**parent.config, "group_thresholds": {"columns": list(columns), **rule.to_dict()}},
              code_version=parent.code_version, status="finished", metrics={"dev": metrics},
              details={"classes": parent.details.get("classes"), "features": parent.details.get("features", {}),
                       "dev": {k: v for k, v in evaluation.to_dict().items() if k != "metrics"}},
              timings=parent.timings, model_size=parent.model_size, parent_run_id=parent.id, trigger=TRIGGER,
              actor=actor, notes=f"{run_label(parent)} with per-group thresholds ({rule.constraint}).",
              finished_at=utc_now())
    session.add(run)
    session.flush()
    _share_artifact(session, parent_id=parent.id, run=run)
    save_predictions(session, run=run, split="dev", predictions=predictions)
    log_event(session, project_id=project_id, actor=actor, action="saved mitigated run",
              details={"run": run_label(run), "from run": run_label(parent), "constraint": rule.constraint})
    return run


def _share_artifact(session: Session, *, parent_id: int, run: Run) -> None:
    artifact = session.exec(select(ModelArtifact).where(ModelArtifact.run_id == parent_id)).one()
    session.add(ModelArtifact(project_id=run.project_id, run_id=run.id, format=artifact.format,
                              sha256=artifact.sha256, data=artifact.data))
