"""Long work in background threads: training, replays and retraining share one runner.

A fit or a replay can take minutes; it must block neither this page nor other sessions, and it
outlives the page that started it. One runner per server process (held by st.cache_resource)
knows the jobs that are running: their progress, and a cancel flag the work checks between
steps. The database holds the truth about every run and deployment; a job only lives while its
thread does. Work a stopped server left "running" is marked interrupted when the runner is made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import streamlit as st

from pages.components import state
from pages.components.resources import db_session, engine
from storage.db import Engine
from storage.deployment.deployments import mark_interrupted_deployments
from storage.modeling.runs import mark_interrupted_runs

POLL_SECONDS = 1.0
JobKind = Literal["training", "replay"]
# The work of a job: given the engine, a progress callback and a stop check, it records its own outcome.
Work = Callable[[Engine, Callable[[float, str], None], Callable[[], bool]], object]


@dataclass
class Job:
    """Work running in a thread: what it is (a run or a deployment), how far it got, the flag that stops it."""

    kind: JobKind
    key: int  # the run's or the deployment's id
    project_id: int
    label: str  # what the progress bar says, e.g. "Run 3 · Random forest"
    fraction: float = 0.0
    message: str = "starting"
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)

    def report(self, fraction: float, message: str) -> None:
        self.fraction, self.message = min(max(fraction, 0.0), 1.0), message


class JobRunner:
    """The process's running jobs; a lock guards the dict, as every session's thread reads it."""

    def __init__(self) -> None:
        self._jobs: dict[tuple[str, int], Job] = {}
        self._lock = threading.Lock()

    def start(self, job: Job, work: Work, database: Engine) -> Job:
        with self._lock:
            self._jobs[(job.kind, job.key)] = job
        threading.Thread(target=self._work, args=(job, work, database), daemon=True,
                         name=f"{job.kind}-{job.key}").start()
        return job

    def _work(self, job: Job, work: Work, database: Engine) -> None:
        try:
            work(database, job.report, job.cancel.is_set)
        finally:
            job.done.set()
            with self._lock:
                self._jobs.pop((job.kind, job.key), None)

    def running(self, project_id: int, kind: JobKind) -> list[Job]:
        with self._lock:
            return [job for job in self._jobs.values() if job.project_id == project_id and job.kind == kind]

    def get(self, kind: JobKind, key: int) -> Job | None:
        with self._lock:
            return self._jobs.get((kind, key))


@st.cache_resource(show_spinner=False)
def job_runner() -> JobRunner:
    """Return the process's job runner; runs and replays a previous server left "running" are marked first."""
    with db_session() as session:
        mark_interrupted_runs(session)
        mark_interrupted_deployments(session)
    return JobRunner()


def start_job(job: Job, work: Work) -> Job:
    """Start `work` in the background under `job` and return the job."""
    return job_runner().start(job, work, engine())


def cancel(kind: JobKind, key: int) -> None:
    """on_click of a job's Cancel button."""
    job = job_runner().get(kind, key)
    if job is not None:
        job.cancel.set()


def jobs_panel(project_id: int, kind: JobKind, *, key_prefix: str) -> None:
    """Show the project's running jobs of a kind with progress and Cancel, refreshing while any runs.

    Call it before the page reads what it shows. A job's outcome is stored before the job leaves
    the runner, so this full run already shows every job that ended before this point: they are
    noted as seen here and the page is not drawn twice. Drawing it twice would drop the messages
    this run has just shown once (a repeated click's note, a flash). Only a job that ends later
    needs the fragment's redraw of the page.
    """
    running = {job.key for job in job_runner().running(project_id, kind)}
    state.remember_jobs_seen(kind, running)
    st.fragment(_view, run_every=POLL_SECONDS if running else None)(project_id, kind, key_prefix)


def _view(project_id: int, kind: JobKind, key_prefix: str) -> None:
    jobs = job_runner().running(project_id, kind)
    keys = {job.key for job in jobs}
    if state.jobs_seen(kind) - keys:  # a job ended: redraw the whole page so tables show its outcome
        state.remember_jobs_seen(kind, keys)
        st.rerun(scope="app")
    state.remember_jobs_seen(kind, keys)
    for job in jobs:
        row = st.columns([5, 1], vertical_alignment="center")
        cancelling = " (cancelling…)" if job.cancel.is_set() else ""
        row[0].progress(job.fraction, text=f"{job.label}: {job.message}{cancelling}")
        row[1].button("Cancel", key=f"{key_prefix}.cancel.{job.key}", on_click=cancel, args=(kind, job.key),
                      disabled=job.cancel.is_set(), icon=":material/cancel:")
