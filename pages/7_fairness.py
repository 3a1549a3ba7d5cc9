"""Fairness audit: group metrics with intervals, disparities, which parity matters, mitigation and sign-off."""

from functools import partial

import streamlit as st

from core.fairness.audit import audit_to_dict, settings_as_shown
from pages.components import state
from pages.components.fairness.state import fairness_audit
from pages.components.fairness.guidance import parity_section
from pages.components.fairness.mitigation import mitigation_section
from pages.components.fairness.plain import literal
from pages.components.fairness.results import attribute_heading, disparities_section, group_metrics_section
from pages.components.fairness.setup import (
    compute_audit, pick_run, pick_split, positive_note, settings_form, slices_note,
)
from pages.components.fairness.signoff import audits_table, sign_form
from pages.components.fairness.targets import slice_targets_section
from pages.components.feedback import attempt
from pages.components.frame import page_setup, require_project
from pages.components.resources import db_session
from storage.data.datasets import load_ground_truth
from storage.fairness.audits import audit_splits, load_audit_data, save_audit
from storage.fairness.sheet import FairnessSheet, load_fairness_sheet
from storage.fairness.slices import with_saved_slices
from storage.fairness.tables import audit_label

EXPERIMENTS_PAGE = "pages/5_experiments.py"

context = page_setup("Fairness audit", icon=":material/balance:")
project = require_project(context)


def latest_decision(sheet: FairnessSheet) -> None:
    signed = next((a for a in sheet.audits if a.signed_at is not None), None)
    if signed is None:
        return
    stale = sheet.stale.get(signed.id)
    note = f" Stale: {'; '.join(stale)}." if stale else ""
    show = st.warning if stale else st.info
    show(f"Latest sign-off: {audit_label(signed)} of {sheet.run_name(signed.run_id)} — {signed.decision}, by "
         f"{literal(signed.reviewer)} on {signed.signed_at:%Y-%m-%d %H:%M} UTC.{note}", icon=":material/approval:")


def planted_bias(data) -> None:
    with db_session() as session:
        bias = load_ground_truth(session, data.dataset.id).get("bias")
    if bias:
        st.info(f"Teaching mode: this demo's labels were biased against {literal(bias['column'])} = "
                f"{literal(bias['group'])} — {bias['n_overturned']:,} approvals overturned (strength "
                f"{bias['strength']:g}). Does the audit find it, and on which metrics?", icon=":material/school:")


def audits_part(sheet: FairnessSheet) -> None:
    st.subheader("Audits and sign-off")
    if not sheet.audits:
        st.caption("No audit saved yet.")
        return
    audits_table(sheet)
    sign_form(project.id, sheet)


def save_part(data, kept: dict, audits: list, advice, mitigation: dict | None) -> None:
    if advice is None:
        st.caption("Answer “Which parity matters” first: the chosen parity is stored with the audit.")
    if st.button("Save this audit", key="fair.save", icon=":material/save:", disabled=advice is None):
        settings = settings_as_shown(kept["settings"], kept["audits"], audits)
        saved = attempt(partial(save_audit, data=data, settings=settings, results=audit_to_dict(audits),
                                parity=advice.to_dict(), mitigation=mitigation, actor=state.actor()))
        if saved is not None:
            state.flash(f"Saved {audit_label(saved)}; it waits for sign-off below.")
            st.rerun()


with db_session() as session:
    sheet = load_fairness_sheet(session, project.id)
latest_decision(sheet)
if not sheet.runs:
    st.info("There is no finished run to audit yet. Train a model on the Experiments page; its dev predictions "
            "are what this page audits, group by group.", icon=":material/info:")
    st.page_link(EXPERIMENTS_PAGE, label="Go to Experiments", icon=":material/model_training:")
    audits_part(sheet)
    st.stop()

left, right = st.columns([2, 1])
with left:
    run_id = pick_run(sheet)
with db_session() as session:
    splits = audit_splits(session, sheet.runs[run_id])
with right:
    split = pick_split(splits)
data = attempt(partial(load_audit_data, project_id=project.id, run_id=run_id, split=split))
if data is None:
    audits_part(sheet)
    st.stop()
with db_session() as session:
    offered = with_saved_slices(session, data)
data = offered.data

if state.teaching_mode():
    planted_bias(data)
positive_note(data)
slices_note(offered.texts, offered.refused)
settings = settings_form([c for c in data.sensitive.columns if c not in offered.texts], offered.texts)
if settings is not None:
    compute_audit(data, settings)
kept = fairness_audit(run_id, split)
if kept is None:
    st.info("Choose the attributes and run the audit.", icon=":material/info:")
    audits_part(sheet)
    st.stop()

metric = kept["settings"].metric
# A keyed tab bar keeps the open tab when an answer or a button reruns the page.
groups_tab, disparities_tab, parity_tab, mitigation_tab, targets_tab = st.tabs(
    ["Group metrics", "Disparities", "Which parity matters", "Mitigation", "Slice targets"], key="fair.tab",
    on_change="rerun")
audits = []
with groups_tab:
    for audit in kept["audits"]:
        attribute_heading(audit)
        group_metrics_section(audit)
with disparities_tab:
    for audit in kept["audits"]:
        attribute_heading(audit)
        audits.append(disparities_section(audit, metric))
with parity_tab:
    advice = parity_section(audits)
with mitigation_tab:
    mitigation = mitigation_section(data, kept["settings"])
with targets_tab:
    slice_targets_section(data.run, sheet.slice_targets)
save_part(data, kept, audits, advice, mitigation)
audits_part(sheet)
