"""Error analysis: browse and tag a run's dev errors, slice them, prioritise, and iterate on the data."""

import streamlit as st

from pages.components import state
from pages.components.errors.state import pop_error_notes
from pages.components.errors.browse import browse_section
from pages.components.errors.classes import classes_section
from pages.components.errors.iterate import iterate_section
from pages.components.errors.pick import pick_run
from pages.components.errors.slices import drill_down, slices_section
from pages.components.frame import page_setup, require_project
from pages.components.modeling.jobs import jobs_panel
from pages.components.resources import db_session
from storage.errors.slices import list_slices, slice_predicate
from storage.errors.tags import tag_counts

LEVELS = {"success": st.success, "error": st.error, "info": st.info}

context = page_setup("Error analysis", icon=":material/troubleshoot:")
project = require_project(context)
for level, message in pop_error_notes():
    LEVELS[level](message)
jobs_panel(project.id)
analysis = pick_run(project.id)
if analysis is None:
    st.stop()

with db_session() as session:
    saved = {row.name: slice_predicate(row) for row in list_slices(session, project.id)}
    tags = [tag for tag, _ in tag_counts(session, project.id)]

if state.teaching_mode():
    hard = analysis.ground_truth.get("hard_slice") or {}
    pairs = (analysis.ground_truth.get("label_noise") or {}).get("confusion_pairs")
    if hard.get("conditions"):
        st.info(f"Teaching mode: this scenario planted a hard slice — {hard['name']}: {hard['why']}.",
                icon=":material/school:")
    if pairs:
        st.info("Teaching mode: labelers of this scenario confuse the digits "
                + ", ".join(f"{a}↔{b}" for a, b in pairs) + ".", icon=":material/school:")

errors_tab, slices_tab, classes_tab = st.tabs(["Errors", "Slices and priorities", "Classes"], key="err.tab",
                                              on_change="rerun")
with errors_tab:
    browse_section(analysis, saved)
with slices_tab:
    report = slices_section(analysis, saved, tags)
    if report is not None and not report.table.empty:
        st.subheader("Drill down into a slice")
        name = drill_down(analysis, report)
        st.subheader("Iterate on the data of this slice")
        iterate_section(analysis, name, report.slices[name].predicate)
with classes_tab:
    classes_section(analysis)
