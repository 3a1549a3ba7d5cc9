"""Retraining from an alert into a challenger (a background job), and starting its canary from here."""

from __future__ import annotations

from functools import partial

import streamlit as st

from pages.components import state
from pages.components.monitoring.state import leave_monitoring_note
from pages.components.deployment.jobs import start_replay
from pages.components.feedback import attempt
from pages.components.jobs import Job, start_job
from pages.components.resources import db_session
from storage.deployment.deployments import start_deployment
from storage.deployment.tables import deployment_label
from storage.modeling.registry import aliases
from storage.modeling.runs import run_label
from storage.monitoring.alerts import list_alerts
from storage.monitoring.retrain import Retrain, execute_retrain, prepare_retrain, prepare_rollout, retrained_runs
from storage.monitoring.watch import DeploymentMonitoring

NO_LABELLED = "No window has labels yet, so there is nothing new to learn from. Wait for labels to arrive."
NO_ALERT = "Retraining starts from an alert, and this deployment has none. Add a rule or wait for one."


def start_retrain(retrain: Retrain, deployment_id: int, rollout: str | None, actor: str) -> Job:
    """Train a retrain's run in the background; it is handed over as challenger (and rolled out) when done."""
    job = Job("training", retrain.run.id, retrain.run.project_id, f"{run_label(retrain.run)} · retraining")
    work = partial(_retrain, run_id=retrain.run.id, prepared=retrain.prepared, deployment_id=deployment_id,
                   rollout=rollout, actor=actor)
    return start_job(job, work)


def _retrain(database, progress, should_stop, **options) -> str:
    return execute_retrain(database, progress=progress, should_stop=should_stop, **options)


def retrain_section(project_id: int, m: DeploymentMonitoring) -> None:
    labelled = [w for w, n in zip(m.windows, m.table.get("labelled", [0] * len(m.windows))) if n and n > 0]
    with db_session() as session:
        alerts = list_alerts(session, project_id, m.data.deployment.id)
    st.caption(f"A new version of the training data: {run_label(m.data.run)}'s data plus the chosen windows' "
               "labelled requests (all training); dev and test stay, so the new run is scored on the same rows.")
    if not labelled or not alerts:
        st.info(NO_LABELLED if not labelled else NO_ALERT, icon=":material/info:")
    else:
        _retrain_form(project_id, m, labelled, alerts)
    _retrained(project_id, m)


def _retrain_form(project_id: int, m: DeploymentMonitoring, labelled: list, alerts: list) -> None:
    names = {a.id: f"{a.window_label} · value {a.value:.4g} · {a.status}" for a in alerts}
    with st.form("mon.retrain"):
        alert_id = st.selectbox("From alert", list(names), format_func=names.get, key="mon.retrain_alert")
        chosen = st.multiselect("Labelled windows to add", [w.label for w in labelled],
                                [w.label for w in labelled[-3:]], key="mon.retrain_windows")
        if st.form_submit_button("Retrain", type="primary", icon=":material/model_training:"):
            windows = [w for w in labelled if w.label in chosen]
            made = attempt(lambda s: prepare_retrain(s, data=m.data, windows=windows, trigger="alert",
                                                     alert_id=alert_id, actor=state.actor()))
            if made is not None:
                start_retrain(made, m.data.deployment.id, None, state.actor())
                leave_monitoring_note("success", f"{run_label(made.run)} is training on {made.version} "
                                                       f"({made.rows_added:,} requests added).")  # shown plain
                st.rerun()


def _retrained(project_id: int, m: DeploymentMonitoring) -> None:
    with db_session() as session:
        runs = retrained_runs(session, m.data.run.id)
        held = aliases(session, project_id)
    challenger = held.get("challenger")
    for run in runs:
        is_challenger = challenger is not None and challenger.id == run.id
        row = st.columns([4, 2], vertical_alignment="center")
        row[0].markdown(f"**{run_label(run)}** · {run.trigger} · {run.status}"
                        + (" · challenger" if is_challenger else ""))
        if is_challenger and run.status == "finished":
            row[1].button("Start its canary", key=f"mon.canary.{run.id}", icon=":material/rocket_launch:",
                          on_click=_start_canary, args=(run.id, m.data.deployment.id))


def _start_canary(run_id: int, deployment_id: int) -> None:
    def action(session):
        prepared = prepare_rollout(session, run_id=run_id, deployment_id=deployment_id, mode="canary",
                                   actor=state.actor())
        return prepared, start_deployment(session, prepared=prepared, actor=state.actor())

    started = attempt(action)
    if started is not None:
        prepared, row = started
        start_replay(prepared, row, f"Canary of {prepared.candidate.name}")
        leave_monitoring_note("success", f"Started {deployment_label(row)}: a canary of "
                                               f"{prepared.candidate.name}; follow it on the Deployment page.")
