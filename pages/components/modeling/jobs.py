"""Training in the background through the shared job runner (pages.components.jobs)."""

from functools import partial

from pages.components.jobs import Job, jobs_panel as _jobs_panel, start_job
from storage.modeling.execution import PreparedRun, execute_run


def start_training(prepared: PreparedRun, run_id: int, label: str) -> Job:
    """Start training a recorded run in the background and return its job."""
    job = Job("training", run_id, prepared.inputs.dataset.project_id, label)
    work = partial(_train, run_id=run_id, prepared=prepared)
    return start_job(job, work)


def _train(database, progress, should_stop, *, run_id: int, prepared: PreparedRun) -> str:
    return execute_run(database, run_id=run_id, prepared=prepared, progress=progress, should_stop=should_stop)


def jobs_panel(project_id: int) -> None:
    """Show the project's running training jobs with progress and Cancel."""
    _jobs_panel(project_id, "training", key_prefix="exp")
