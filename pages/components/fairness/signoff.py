"""Sign-off: save the audit as a record, list the audits with their stale marks, and sign one."""

from functools import partial

import pandas as pd
import streamlit as st

from core.fairness.presentation import slices_text
from pages.components import state
from pages.components.feedback import attempt
from pages.components.text import show_plain
from storage.fairness.audits import DECISIONS, sign_audit
from storage.fairness.sheet import FairnessSheet
from storage.fairness.tables import Audit, audit_label


def audits_table(sheet: FairnessSheet) -> None:
    rows = [{"audit": audit_label(a), "run": sheet.run_name(a.run_id), "split": a.split, "saved (UTC)": a.created_at,
             "by": a.actor, "saved slices audited": slices_text(a.settings),
             "decision": a.decision or "not signed", "reviewer": a.reviewer, "signed (UTC)": a.signed_at,
             "stale": "; ".join(sheet.stale.get(a.id, [])) or ""} for a in sheet.audits]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="fair.audits")
    st.caption("Audits are records: a later one never replaces an earlier one, and a signed one never changes. "
               "“stale” says what changed since (a retrained run, a new champion, new labels): audit again.")


def sign_form(project_id: int, sheet: FairnessSheet) -> None:
    unsigned = {a.id: a for a in sheet.audits if a.signed_at is None}
    if not unsigned:
        st.caption("Every saved audit is signed. Save a new audit to sign again.")
        return
    with st.form("fair.sign_form"):
        audit_id = st.selectbox("Audit to sign", list(unsigned), key="fair.sign_audit",
                                format_func=lambda i: _sign_choice(sheet, unsigned[i]))
        if unsigned[audit_id].settings.get("slices"):
            show_plain("Groups from saved slices: " + slices_text(unsigned[audit_id].settings))
        confirmed = checklist(unsigned[audit_id])
        reviewer = st.text_input("Reviewer", value=state.actor(), key="fair.reviewer", max_chars=80)
        decision = st.radio("Decision", DECISIONS, horizontal=True, key="fair.decision")
        comments = st.text_area("Comments (the conditions, for an approval with conditions)", key="fair.comments",
                                max_chars=2000)
        submitted = st.form_submit_button("Sign the audit", type="primary", icon=":material/approval:", key="fair.sign")
    if submitted:
        signed = attempt(partial(sign_audit, project_id=project_id, audit_id=audit_id, reviewer=reviewer,
                                 decision=decision, comments=comments, confirmed=confirmed, actor=state.actor()))
        if signed is not None:
            state.flash(f"{audit_label(signed)} is signed: {decision}.")
            st.rerun()


def _sign_choice(sheet: FairnessSheet, audit: Audit) -> str:
    return f"{audit_label(audit)} · {sheet.run_name(audit.run_id)} · {audit.split}"


def checklist(audit: Audit) -> list[str]:
    """Show the scoping answers on ethics and risks as points to confirm; return the confirmed keys."""
    st.markdown("**Ethics and risks, from scoping — confirm each was considered in this audit**")
    confirmed = []
    for point in audit.checklist:
        show_plain(f"{point['question']}\n{point['answer'] or '(not answered at scoping)'}")
        if st.checkbox("Confirmed", key=f"fair.confirm.{point['key']}"):
            confirmed.append(point["key"])
    return confirmed
