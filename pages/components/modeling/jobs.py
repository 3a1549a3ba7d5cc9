"""Training in background threads, so a long fit blocks neither this page nor other sessions.

One registry per server process (held by st.cache_resource) knows the jobs that are running:
their progress, and a cancel flag the training checks between steps. The database holds the
truth about every run; a job only lives while its thread does.
"""

import threading
from dataclasses import dataclass, field

import streamlit as st

from pages.components import state
from pages.components.resources import db_session, engine
from storage.db import Engine
from storage.modeling.execution import PreparedRun, execute_run
from storage.modeling.runs import mark_interrupted_runs

POLL_SECONDS = 1.0


@dataclass
class TrainingJob:
    """A run training in a thread: how far it got, and the flag that asks it to stop."""

    run_id: int
    project_id: int
    label: str  # "Run 3 · Random forest"
    fraction: float = 0.0
    message: str = "starting"
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)

    def report(self, fraction: float, message: str) -> None:
        self.fraction, self.message = min(max(fraction, 0.0), 1.0), message


class JobRegistry:
    """The process's running jobs; a lock guards the dict, as every session's thread reads it."""

    def __init__(self) -> None:
        self._jobs: dict[int, TrainingJob] = {}
        self._lock = threading.Lock()

    def start(self, job: TrainingJob, database: Engine, prepared: PreparedRun) -> None:
        with self._lock:
            self._jobs[job.run_id] = job
        thread = threading.Thread(target=self._work, args=(job, database, prepared), daemon=True,
                                  name=f"train-run-{job.run_id}")
        thread.start()

    def _work(self, job: TrainingJob, database: Engine, prepared: PreparedRun) -> None:
        try:
            execute_run(database, run_id=job.run_id, prepared=prepared, progress=job.report,
                        should_stop=job.cancel.is_set)
        finally:
            job.done.set()
            with self._lock:
                self._jobs.pop(job.run_id, None)

    def running(self, project_id: int) -> list[TrainingJob]:
        with self._lock:
            return [job for job in self._jobs.values() if job.project_id == project_id]

    def get(self, run_id: int) -> TrainingJob | None:
        with self._lock:
            return self._jobs.get(run_id)


@st.cache_resource(show_spinner=False)
def job_registry() -> JobRegistry:
    """Return the process's job registry; runs a previous server left "running" are marked failed first."""
    with db_session() as session:
        mark_interrupted_runs(session)
    return JobRegistry()


def start_training(prepared: PreparedRun, run_id: int, label: str) -> TrainingJob:
    """Start training a recorded run in the background and return its job."""
    job = TrainingJob(run_id=run_id, project_id=prepared.inputs.dataset.project_id, label=label)
    job_registry().start(job, engine(), prepared)
    return job


def cancel(run_id: int) -> None:
    """on_click of a job's Cancel button."""
    job = job_registry().get(run_id)
    if job is not None:
        job.cancel.set()


def jobs_panel(project_id: int) -> None:
    """Show the project's running jobs with progress and Cancel, refreshing while any runs."""
    running = bool(job_registry().running(project_id) or state.jobs_seen())
    st.fragment(_jobs_view, run_every=POLL_SECONDS if running else None)(project_id)


def _jobs_view(project_id: int) -> None:
    jobs = job_registry().running(project_id)
    ids = {job.run_id for job in jobs}
    if state.jobs_seen() - ids:  # a job ended: redraw the whole page so tables show its outcome
        state.remember_jobs_seen(ids)
        st.rerun(scope="app")
    state.remember_jobs_seen(ids)
    for job in jobs:
        row = st.columns([5, 1], vertical_alignment="center")
        cancelling = " (cancelling…)" if job.cancel.is_set() else ""
        row[0].progress(job.fraction, text=f"{job.label}: {job.message}{cancelling}")
        row[1].button("Cancel", key=f"exp.cancel.{job.run_id}", on_click=cancel, args=(job.run_id,),
                      disabled=job.cancel.is_set(), icon=":material/cancel:")
