"""The home page's list of every project with its stage marks: on a shared server, the class overview."""

import streamlit as st

from core.data.scenarios import SCENARIOS
from core.project.progress import StageStatus, stage_progress
from pages.components import state
from pages.components.frame import project_facts
from pages.components.text import plain
from storage.project.tables import Project

UNREADABLE = "stored data this version cannot read: open it for what to do"


def project_list(all_projects: list[Project], open_id: int | None) -> None:
    """List every project with how far it got (a mark per stage) and a button to open it."""
    st.subheader("All projects")
    st.caption("Each project's stages: ● done, ◐ partly, ○ not started. On a shared server this is everyone's "
               "work, so an instructor sees each learner's project and how far it got.")
    for project in all_projects:
        row = st.columns([4, 4, 2, 1], vertical_alignment="center")
        row[0].markdown(f"**{plain(project.name)}**  \n{plain(_source_text(project.source))}")
        row[1].markdown(stage_marks(project.id))
        row[2].caption(f"Last activity {project.last_activity:%Y-%m-%d %H:%M} UTC")
        if row[3].button("Open", key=f"home.open.{project.id}", disabled=project.id == open_id):
            state.request_project(project.id)


def stage_marks(project_id: int) -> str:
    """Return the project's stages with their marks on one line, e.g. "Scope ● · Data ◐ · Model ○ …"."""
    facts = project_facts(project_id)
    if facts is None:
        return UNREADABLE
    return " · ".join(_mark(stage) for stage in stage_progress(facts))


def _mark(stage: StageStatus) -> str:
    return f"{stage.stage} {stage.mark}"


def _source_text(source: str) -> str:
    return f"Demo: {SCENARIOS[source].title}" if source in SCENARIOS else "Blank project"
