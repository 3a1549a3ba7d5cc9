"""Monitoring: a deployment's windows against the reference — drift, outputs, performance, software, alerts."""

import streamlit as st

from pages.components import state
from pages.components.feedback import attempt
from pages.components.frame import page_setup, require_project
from pages.components.jobs import jobs_panel
from pages.components.monitoring.alerts import alerts_section, policy_section
from pages.components.monitoring.choose import choose_deployment, load_monitoring, settings_form, show_notes
from pages.components.monitoring.retrain import retrain_section, start_retrain
from pages.components.monitoring.slices import saved_slices_section
from pages.components.monitoring.sections import (
    inputs_section, outputs_section, performance_section, planted_section, software_section, windows_section,
)
from pages.components.resources import db_session
from storage.monitoring.settings import retrain_policy
from storage.monitoring.watch import check_deployment

context = page_setup("Monitoring", icon=":material/monitor_heart:")
project = require_project(context)
jobs_panel(project.id, "training", key_prefix="mon")
jobs_panel(project.id, "replay", key_prefix="mon.dep")
show_notes()

deployment = choose_deployment(project.id)
monitoring = load_monitoring(project.id, deployment)
if monitoring is None:
    st.stop()

# Every view checks every window against every rule; an alert is written once, so this is idempotent.
checked = attempt(lambda session: check_deployment(session, monitoring=monitoring))
if checked is not None and checked.retrain is not None:
    with db_session() as session:
        rollout = retrain_policy(session, project.id).rollout
    start_retrain(checked.retrain, deployment.id, rollout, "retrain policy")
    st.info(f"The automatic retraining policy started {checked.retrain.version}'s run after "
            f"{len(checked.raised)} new alert(s); a {rollout} of it starts when it finishes.", icon=":material/bolt:")
elif checked is not None and checked.raised:
    st.warning(f"{len(checked.raised)} new alert(s) raised; see the Alerts tab.", icon=":material/notifications:")

settings_form(project.id, deployment, monitoring.data.features)
if state.teaching_mode():
    with st.container(border=True):
        planted_section(monitoring)

tabs = st.tabs(["Windows", "Inputs and drift", "Outputs", "Performance", "Software", "Alerts", "Retrain"],
               key="mon.tab", on_change="rerun")
with tabs[0]:
    windows_section(monitoring)
with tabs[1]:
    inputs_section(monitoring)
with tabs[2]:
    outputs_section(monitoring)
with tabs[3]:
    performance_section(monitoring)
    saved_slices_section(monitoring)
with tabs[4]:
    software_section(monitoring)
with tabs[5]:
    alerts_section(project.id, deployment.id)
with tabs[6]:
    retrain_section(project.id, monitoring)
    st.subheader("Automatic retraining")
    policy_section(project.id)
