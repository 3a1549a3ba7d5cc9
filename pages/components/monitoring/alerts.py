"""Alerts of a deployment with their numbers, acknowledging one with a note, rules by hand, the policy."""

from __future__ import annotations

import streamlit as st

from pages.components import state
from pages.components.monitoring.state import leave_monitoring_note
from pages.components.explain import why
from pages.components.feedback import attempt
from pages.components.resources import db_session
from storage.monitoring.alerts import acknowledge, alerts_frame, list_alerts
from storage.monitoring.rules import COMPARATORS, SOURCES, WINDOW_METRICS, add_user_rule, list_rules, rule_text
from storage.monitoring.settings import ALERT_KINDS, ROLLOUTS, retrain_policy, save_retrain_policy


def alerts_section(project_id: int, deployment_id: int) -> None:
    with db_session() as session:
        alerts = list_alerts(session, project_id, deployment_id)
        table = alerts_frame(session, alerts)
        rules = list_rules(session, project_id, deployment_id)
    opened = [a for a in alerts if a.status == "open"]
    st.metric("Open alerts", len(opened), help=why(
        "open_alerts", "Every window is checked against every rule; an alert is raised once."))
    if alerts:
        st.dataframe(table, hide_index=True, width="stretch", key="mon.alerts",
                     column_config={"value": st.column_config.NumberColumn(format="%.4g")})
    else:
        st.success("No window broke a rule.", icon=":material/check_circle:")
    if opened:
        _acknowledge_form(project_id, opened)
    with st.expander(f"Rules checked ({len(rules)})"):
        st.dataframe([{"rule": rule_text(r), "source": SOURCES[r.source], "why": r.note} for r in rules],
                     hide_index=True, width="stretch", key="mon.rules")
        _rule_form(project_id)


def _acknowledge_form(project_id: int, opened: list) -> None:
    names = {a.id: f"{a.window_label} · value {a.value:.4g}" for a in opened}
    with st.form("mon.ack", clear_on_submit=True):
        chosen = st.selectbox("Alert", list(names), format_func=names.get, key="mon.ack_alert")
        note = st.text_input("Note", key="mon.ack_note", placeholder="why it is acknowledged, what is done")
        if st.form_submit_button("Acknowledge", icon=":material/done:"):
            done = attempt(lambda s: acknowledge(s, project_id=project_id, alert_id=chosen, note=note,
                                                 actor=state.actor()))
            if done is not None:
                leave_monitoring_note("success", f"Acknowledged the alert of {done.window_label}.")
                st.rerun()


def _rule_form(project_id: int) -> None:
    with st.form("mon.rule", clear_on_submit=True):
        cols = st.columns([3, 1, 1])
        metric = cols[0].selectbox("Metric", list(WINDOW_METRICS), format_func=lambda m: WINDOW_METRICS[m].label,
                                   key="mon.rule_metric")
        comparator = cols[1].selectbox("Must be", COMPARATORS, key="mon.rule_comparator")
        threshold = cols[2].text_input("Threshold", key="mon.rule_threshold", placeholder="0.8")
        if st.form_submit_button("Add rule", icon=":material/add_alert:"):
            row = attempt(lambda s: add_user_rule(s, project_id=project_id, metric=metric, comparator=comparator,
                                                  threshold=threshold, actor=state.actor()))
            if row is not None:
                leave_monitoring_note("success", f"Added the rule {rule_text(row)}; every window is checked.")
                st.rerun()


def policy_section(project_id: int) -> None:
    with db_session() as session:
        policy = retrain_policy(session, project_id)
    with st.form("mon.policy"):
        enabled = st.toggle("Retrain automatically", policy.enabled, key="mon.policy_on")
        kinds = st.multiselect("On alerts of kind", ALERT_KINDS, policy.alert_kinds, key="mon.policy_kinds")
        cols = st.columns(4)
        runs = cols[0].number_input("At most (runs)", 1, 20, policy.max_runs, key="mon.policy_runs")
        days = cols[1].number_input("per (days)", 1, 90, policy.period_days, key="mon.policy_days")
        recent = cols[2].number_input("Latest labelled windows", 1, 50, policy.recent_windows, key="mon.policy_recent")
        rollout = cols[3].selectbox("Then start", ROLLOUTS, ROLLOUTS.index(policy.rollout), key="mon.policy_rollout")
        if st.form_submit_button("Save policy", icon=":material/save:"):
            saved = attempt(lambda s: save_retrain_policy(s, project_id=project_id, enabled=enabled, alert_kinds=kinds,
                                                          max_runs=int(runs), period_days=int(days), rollout=rollout,
                                                          recent_windows=int(recent), actor=state.actor()))
            if saved is not None:
                leave_monitoring_note("success", "Automatic retraining is " + ("on." if enabled else "off."))
                st.rerun()
