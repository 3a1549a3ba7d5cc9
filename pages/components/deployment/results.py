"""The Replays tab: a deployment's status, timeline, charts, disagreements, and decisions by hand."""

from functools import partial

import pandas as pd
import streamlit as st

from core.deployment.charts import agreement_chart, replay_chart, shadow_verdicts, windows_table
from core.deployment.plans import CASE_LABELS, MODE_LABELS
from core.labeling.classes import ClassNames
from pages.components import state
from pages.components.deployment.state import DEP_SHOWN_KEY, DEP_SHOWN_WIDGET_KEY
from pages.components.classes import project_class_names
from pages.components.explain import caption_why, why
from pages.components.feedback import attempt
from pages.components.resources import db_session
from storage.deployment import deployments, log
from storage.deployment.sheet import DeploymentSheet
from storage.deployment.tables import Deployment, deployment_label

CLASS_COLUMNS = ("prediction", "label", "champion_prediction", "challenger_prediction")

STATUS_TEXT = {
    "running": "is replaying", "completed": "completed", "rolled_back": "was rolled back to the running side",
    "paused": "is paused: decide by hand below", "refused": "did not switch: the pre-switch check failed",
    "cancelled": "was cancelled", "failed": "failed", "interrupted": "was interrupted by a server stop",
    "promoted": "ended with the candidate promoted",
}


def replays_tab(project_id: int, sheet: DeploymentSheet) -> None:
    if not sheet.deployments:
        st.info("No replay yet. Plan one in the Plan tab: every decision it makes will show here.")
        return
    rows = {row.id: row for row in sheet.deployments}
    state.settle_choice(DEP_SHOWN_KEY, DEP_SHOWN_WIDGET_KEY, list(rows))
    st.selectbox("Show deployment", list(rows), key=DEP_SHOWN_WIDGET_KEY, format_func=lambda i: _name(rows[i]),
                 on_change=state.keep_choice, args=(DEP_SHOWN_KEY, DEP_SHOWN_WIDGET_KEY))
    _show(project_id, rows[st.session_state[DEP_SHOWN_KEY]])


def _name(row: Deployment) -> str:
    return f"{deployment_label(row)} · {MODE_LABELS[row.mode]} · {row.status.replace('_', ' ')}"


def _show(project_id: int, row: Deployment) -> None:
    st.markdown(f"**{deployment_label(row)}** ({CASE_LABELS[row.case].lower()}) "
                f"{STATUS_TEXT.get(row.status, row.status)}.")
    if row.error:
        st.error(row.error)
    with db_session() as session:
        events = log.events_frame(session, row.id)
        windows = log.list_windows(session, row.id)
        sample = log.load_sample(session, row.id) if row.summary else None
    table = windows_table(windows)
    _metrics(row)
    if not table.empty:
        st.plotly_chart(replay_chart(table, events), key=f"dep.chart.{row.id}")
        caption_why("replay_chart")
    if row.mode == "shadow" and not table.empty:
        _shadow(table, windows, sample, project_class_names(project_id))
    st.subheader("Timeline")
    st.dataframe(events, hide_index=True, width="stretch")
    if row.status in ("paused", "completed", "promoted"):
        _decide(project_id, row)


def _metrics(row: Deployment) -> None:
    summary = row.summary or {}
    served = summary.get("served", {})
    cells = st.columns(4)
    cells[0].metric("Requests replayed", f"{summary.get('requests', 0):,}", help=why("requests_replayed"))
    cells[1].metric("Served by the candidate", f"{served.get('challenger', 0):,}", help=why("served_by_candidate"))
    cells[2].metric("Candidate's share at the end", f"{row.share:g}%", help=why("candidate_share"))
    cells[3].metric("Sent to a person", f"{summary.get('to_human', 0):,}", help=why("sent_to_person"))


def _shadow(table: pd.DataFrame, windows: list[dict], sample: pd.DataFrame | None, names: ClassNames) -> None:
    st.plotly_chart(agreement_chart(table), key="dep.agreement")
    caption_why("shadow_agreement")
    st.caption("Once labels arrived, on the requests where the two sides disagreed:")
    verdicts = shadow_verdicts(windows)
    cells = st.columns(len(verdicts))
    for cell, (label, value) in zip(cells, verdicts.items()):
        cell.metric(label.capitalize(), f"{value:,}", help=why("shadow_verdicts"))
    if sample is not None:
        disagreements = sample[sample["kept_as"] == "disagreement"]
        st.caption(f"Rows where the two sides disagreed (up to 200 per window kept): {len(disagreements):,}")
        shown = disagreements.drop(columns=["kept_as", "window", "position"]).head(500)
        st.dataframe(names.relabel(shown, values=CLASS_COLUMNS), width="stretch")


def _decide(project_id: int, row: Deployment) -> None:
    st.subheader("Decide by hand")
    st.caption("Promoting goes through the same gate as the Experiments page; a reason overrides it and is logged.")
    reason = st.text_input("Reason (only needed when the gate refuses)", key=f"dep.reason.{row.id}")
    left, right = st.columns(2)
    if row.status != "promoted" and left.button("Promote the candidate", key=f"dep.promote.{row.id}", icon=":material/upgrade:"):
        done = attempt(partial(deployments.promote_by_hand, project_id=project_id, deployment_id=row.id,
                               reason=reason, actor=state.actor()))
        if done:
            state.flash("The candidate is now the champion.")
            st.rerun()
    if right.button("Roll back to the running side", key=f"dep.rollback.{row.id}", icon=":material/undo:"):
        if attempt(partial(deployments.roll_back_by_hand, project_id=project_id, deployment_id=row.id,
                           actor=state.actor())) is not None:
            state.flash(f"{deployment_label(row)} rolled back: all traffic is on the running side.")
            st.rerun()
