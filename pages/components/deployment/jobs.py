"""Replays in the background through the shared job runner (pages.components.jobs)."""

from functools import partial

from pages.components.jobs import Job, jobs_panel, start_job
from storage.deployment.deployments import PreparedDeployment, execute_deployment
from storage.deployment.tables import Deployment, deployment_label


def start_replay(prepared: PreparedDeployment, row: Deployment, label: str) -> Job:
    """Start a recorded deployment's replay in the background and return its job."""
    job = Job("replay", row.id, prepared.project_id, f"{deployment_label(row)} · {label}")
    return start_job(job, partial(_replay, deployment_id=row.id, prepared=prepared))


def _replay(database, progress, should_stop, *, deployment_id: int, prepared: PreparedDeployment) -> str:
    return execute_deployment(database, deployment_id=deployment_id, prepared=prepared, progress=progress,
                              should_stop=should_stop)


def replays_panel(project_id: int) -> None:
    """Show the project's running replays with progress and Cancel."""
    jobs_panel(project_id, "replay", key_prefix="dep")
