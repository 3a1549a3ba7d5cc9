"""Which deployment to monitor (with the page's empty states), its cached monitoring, and its settings."""

from __future__ import annotations

import streamlit as st

from core.monitoring.drift import DRIFT_METHODS
from pages.components import state
from pages.components.monitoring.state import (
    MON_DEPLOYMENT_KEY, MON_DEPLOYMENT_WIDGET_KEY, leave_monitoring_note, pop_monitoring_notes,
)
from pages.components.explain import why
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import db_session
from pages.components.text import plain
from storage.deployment.deployments import list_deployments
from storage.deployment.tables import Deployment, deployment_label
from storage.monitoring.settings import WINDOWINGS, WindowSettings, save_window_settings, window_settings
from storage.monitoring.watch import DeploymentMonitoring, watch_deployment

DEPLOYMENT_PAGE = "pages/8_deployment.py"
NO_DEPLOYMENT = ("This project has no deployment yet, so there is no production stream to monitor. Replay a "
                 "rollout on the Deployment page first (a shadow is quickest).")
NO_LOG = ("{deployment} has no prediction log yet: its replay is {status}. Monitoring starts once the replay "
          "has finished; pick a finished one meanwhile.")
DEFAULT_METHOD = "default"
WINDOW_LABELS = {"chunks": "Equal chunks of requests", "day": "By day", "week": "By week", "month": "By month"}


def choose_deployment(project_id: int) -> Deployment:
    """Return the deployment picked (newest first), or explain what is missing and stop."""
    with db_session() as session:
        rows = list_deployments(session, project_id)
    if not rows:
        st.info(NO_DEPLOYMENT, icon=":material/info:")
        st.page_link(DEPLOYMENT_PAGE, label="Go to Deployment", icon=":material/arrow_forward:")
        st.stop()
    names = {row.id: f"{deployment_label(row)} · {row.mode.replace('_', '-')} · {row.status.replace('_', ' ')}"
             for row in rows}
    chosen = state.settle_choice(MON_DEPLOYMENT_KEY, MON_DEPLOYMENT_WIDGET_KEY, list(names))
    st.selectbox("Deployment replay", list(names), format_func=names.get, key=MON_DEPLOYMENT_WIDGET_KEY,
                 on_change=state.keep_choice, args=(MON_DEPLOYMENT_KEY, MON_DEPLOYMENT_WIDGET_KEY))
    row = next(r for r in rows if r.id == chosen)
    if row.status in ("running", "failed", "interrupted") or not row.summary.get("windows"):
        st.info(NO_LOG.format(deployment=deployment_label(row), status=row.status.replace("_", " ")),
                icon=":material/hourglass_empty:")
        st.stop()
    return row


@st.cache_resource(show_spinner=False, max_entries=6, ttl=3600)
def _monitoring(project_id: int, deployment_id: int, settings_key: tuple, finished: str,
                status: str) -> DeploymentMonitoring:
    # Keyed by the settings, the replay's end and its status (a promotion by hand changes which
    # side served), so a change of any computes afresh.
    with db_session() as session:
        return watch_deployment(session, project_id=project_id, deployment_id=deployment_id)


def load_monitoring(project_id: int, deployment: Deployment) -> DeploymentMonitoring | None:
    """Return the deployment's monitoring (computed once per settings), or show why it cannot be and return None."""
    with db_session() as session:
        settings = window_settings(session, deployment.id)
    with reported_errors(), st.spinner("Comparing every window with the reference…"):
        return _monitoring(project_id, deployment.id, settings.key(), str(deployment.finished_at), deployment.status)
    return None


def cached_watch(session, *, project_id: int, deployment_id: int) -> DeploymentMonitoring:
    """Return the deployment's monitoring from the Monitoring page's cache (for the report); raise ValueError as
    `watch_deployment` does."""
    deployment = next((row for row in list_deployments(session, project_id) if row.id == deployment_id), None)
    if deployment is None:
        return watch_deployment(session, project_id=project_id, deployment_id=deployment_id)  # names what is missing
    settings = window_settings(session, deployment_id)
    return _monitoring(project_id, deployment_id, settings.key(), str(deployment.finished_at), deployment.status)


def settings_form(project_id: int, deployment: Deployment, features: list[str]) -> None:
    """Draw the windowing, per-column method and dataset-drift share settings; save them on submit."""
    with db_session() as session:
        current = window_settings(session, deployment.id)
    with st.expander("Windows and drift settings"), st.form("mon.settings"):
        by = st.selectbox("Windows", WINDOWINGS, index=WINDOWINGS.index(current.by), format_func=WINDOW_LABELS.get,
                          key="mon.by")
        chunks = st.number_input("Chunks (for equal chunks)", 2, 100, current.n_chunks, key="mon.chunks")
        share = st.number_input("Dataset drift when this share of columns drifted", 0.05, 1.0,
                                current.share_threshold, step=0.05, key="mon.share",
                                help="Evidently's default: half of the columns.")
        column = st.selectbox("Override the drift test of a column", ["(none)", *features], key="mon.column")
        method = st.selectbox("Test", [DEFAULT_METHOD, *DRIFT_METHODS], key="mon.method",
                              format_func=lambda m: "Evidently's default" if m == DEFAULT_METHOD
                              else DRIFT_METHODS[m].label, help=why("psi"))
        if st.form_submit_button("Save settings", icon=":material/save:"):
            _save(project_id, deployment.id, current, by, chunks, share, column, method)


def _save(project_id, deployment_id, current, by, chunks, share, column, method) -> None:
    methods = dict(current.methods)
    if column != "(none)":
        methods.pop(column, None)
        if method != DEFAULT_METHOD:
            methods[column] = method
    settings = WindowSettings(by, int(chunks), methods, float(share))
    saved = attempt(lambda s: save_window_settings(s, project_id=project_id, deployment_id=deployment_id,
                                                   settings=settings, methods_known=DRIFT_METHODS,
                                                   actor=state.actor()))
    if saved is not None:
        leave_monitoring_note("success", f"Saved: {WINDOW_LABELS[by].lower()}, dataset drift at "
                                               f"{share:.0%} of columns, {len(methods)} column override(s).")
        st.rerun()


def show_notes() -> None:
    for level, message in pop_monitoring_notes():
        getattr(st, level)(plain(message))
