"""Replays in background threads, like training: progress, Cancel, and they outlive the page.

One registry per server process (st.cache_resource) knows the running replays; the database
holds the truth about every deployment. Replays a stopped server left "running" are marked
interrupted when the registry is first made.
"""

import threading
from dataclasses import dataclass, field

import streamlit as st

from pages.components import state
from pages.components.resources import db_session, engine
from storage.deployment.deployments import PreparedDeployment, execute_deployment, mark_interrupted_deployments

POLL_SECONDS = 1.0


@dataclass
class ReplayJob:
    deployment_id: int
    project_id: int
    label: str
    fraction: float = 0.0
    message: str = "starting"
    cancel: threading.Event = field(default_factory=threading.Event)

    def report(self, fraction: float, message: str) -> None:
        self.fraction, self.message = min(max(fraction, 0.0), 1.0), message


class ReplayRegistry:
    """The process's running replays, guarded by a lock since every session's thread reads them."""

    def __init__(self) -> None:
        self._jobs: dict[int, ReplayJob] = {}
        self._lock = threading.Lock()

    def start(self, job: ReplayJob, prepared: PreparedDeployment) -> None:
        with self._lock:
            self._jobs[job.deployment_id] = job
        threading.Thread(target=self._work, args=(job, engine(), prepared), daemon=True,
                         name=f"replay-{job.deployment_id}").start()

    def _work(self, job: ReplayJob, database, prepared: PreparedDeployment) -> None:
        try:
            execute_deployment(database, deployment_id=job.deployment_id, prepared=prepared, progress=job.report,
                               should_stop=job.cancel.is_set)
        finally:
            with self._lock:
                self._jobs.pop(job.deployment_id, None)

    def running(self, project_id: int) -> list[ReplayJob]:
        with self._lock:
            return [job for job in self._jobs.values() if job.project_id == project_id]

    def get(self, deployment_id: int) -> ReplayJob | None:
        with self._lock:
            return self._jobs.get(deployment_id)


@st.cache_resource(show_spinner=False)
def replay_registry() -> ReplayRegistry:
    """Return the process's replay registry; replays a previous server left running are marked interrupted."""
    with db_session() as session:
        mark_interrupted_deployments(session)
    return ReplayRegistry()


def start_replay(prepared: PreparedDeployment, deployment_id: int, label: str) -> None:
    replay_registry().start(ReplayJob(deployment_id, prepared.project_id, label), prepared)


def cancel(deployment_id: int) -> None:
    """on_click of a replay's Cancel button."""
    job = replay_registry().get(deployment_id)
    if job is not None:
        job.cancel.set()


def replays_panel(project_id: int) -> None:
    """Show the project's running replays with progress and Cancel, refreshing while any runs."""
    running = bool(replay_registry().running(project_id) or state.replays_seen())
    st.fragment(_view, run_every=POLL_SECONDS if running else None)(project_id)


def _view(project_id: int) -> None:
    jobs = replay_registry().running(project_id)
    ids = {job.deployment_id for job in jobs}
    if state.replays_seen() - ids:  # a replay ended: redraw the page to show its outcome
        state.remember_replays_seen(ids)
        st.rerun(scope="app")
    state.remember_replays_seen(ids)
    for job in jobs:
        row = st.columns([5, 1], vertical_alignment="center")
        cancelling = " (cancelling…)" if job.cancel.is_set() else ""
        row[0].progress(job.fraction, text=f"Deployment #{job.deployment_id} · {job.label}: {job.message}{cancelling}")
        row[1].button("Cancel", key=f"dep.cancel.{job.deployment_id}", on_click=cancel, args=(job.deployment_id,),
                      disabled=job.cancel.is_set(), icon=":material/cancel:")
