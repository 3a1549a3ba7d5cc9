"""Replays in the background through the shared job runner (pages.components.jobs)."""

from functools import partial

from pages.components.jobs import Job, jobs_panel, start_job
from storage.deployment.deployments import PreparedDeployment, execute_deployment


def start_replay(prepared: PreparedDeployment, deployment_id: int, label: str) -> Job:
    """Start a recorded deployment's replay in the background and return its job."""
    job = Job("replay", deployment_id, prepared.project_id, f"Deployment #{deployment_id} · {label}")
    return start_job(job, partial(_replay, deployment_id=deployment_id, prepared=prepared))


def _replay(database, progress, should_stop, *, deployment_id: int, prepared: PreparedDeployment) -> str:
    return execute_deployment(database, deployment_id=deployment_id, prepared=prepared, progress=progress,
                              should_stop=should_stop)


def replays_panel(project_id: int) -> None:
    """Show the project's running replays with progress and Cancel."""
    jobs_panel(project_id, "replay", key_prefix="dep")
