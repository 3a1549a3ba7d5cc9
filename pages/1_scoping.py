"""Scoping: the guided checklist, the targets later stages are gated on, and the effort plan."""

import streamlit as st

from core.scoping.report import Readiness, scoping_markdown, scoping_readiness
from pages.components import state
from pages.components.explain import why
from pages.components.frame import page_setup, require_project
from pages.components.resources import db_session
from pages.components.scoping.effort import effort_editor
from pages.components.scoping.targets import targets_editor
from pages.components.scoping.wizard import checklist_wizard
from storage.scoping import records as scoping
from storage.project.tables import Project
from storage.scoping.records import ScopingSheet

context = page_setup("Scoping", icon=":material/checklist:")
project = require_project(context)


def summary(project: Project, sheet: ScopingSheet, readiness: Readiness) -> None:
    score, verdict = st.columns([1, 3], vertical_alignment="top")
    score.metric("Completeness", f"{readiness.score:.0%}",
                 help=why("completeness",
                          f"{readiness.settled} of {readiness.total} checklist items are done or not applicable."))
    score.progress(readiness.score)
    with verdict:
        if readiness.verdict == "ready":
            st.success(readiness.message, icon=":material/task_alt:")
        else:
            st.warning(f"{readiness.message} {len(readiness.open_points)} points.", icon=":material/pending:")
            with st.expander("What is still open"):
                st.markdown("\n".join(f"- {point}" for point in readiness.open_points))
        document = scoping_markdown(project_name=project.name, answers=sheet.answers, targets=sheet.targets,
                                    effort=sheet.effort)
        st.download_button("Download scoping document (Markdown)", data=document, key="scope.download",
                           file_name=f"{project.name} - scoping.md", mime="text/markdown", on_click="ignore",
                           icon=":material/download:")


with db_session() as session:
    # A never-answered data question starts from what the project's datasets show.
    scoping.prefill_data_answer(session, project_id=project.id, actor=state.actor())
    sheet = scoping.load_scoping(session, project.id)

summary(project, sheet, scoping_readiness(sheet.answers, sheet.targets))
if state.teaching_mode():
    st.caption("Teaching mode is on: every item shows what a good answer looks like.")
checklist, targets, effort = st.tabs(["Checklist", "Targets", "Effort plan"], key="scope.tab", on_change="rerun")
with checklist:
    checklist_wizard(project, sheet)
with targets:
    targets_editor(project, sheet.targets, sheet.target_problems)
with effort:
    effort_editor(project, sheet.effort)
