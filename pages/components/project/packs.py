"""Workshop packs on the Projects page: build one and open it at its stage, or prepare one for export."""

from functools import partial

import streamlit as st

from core.data.scenarios import SCENARIOS
from core.project.packs import PACK_SCENARIOS, PACK_STARTS, PackStage, pack_stages, plan_pack
from pages.components import state
from pages.components.feedback import reported_errors
from pages.components.frame import PAGES
from pages.components.resources import db_session, engine
from pages.components.text import plain
from storage import transfer
from storage.packs import BuiltPack, build_pack, pack_stage
from storage.project.projects import MAX_NAME_LENGTH, ProjectError, get_project

PAGE_BY_LABEL = {page.label: page.path for page in PAGES}


def packs_section() -> None:
    with st.expander("Start from a workshop pack", icon=":material/school:"):
        st.caption("A demo scenario carried up to a stage by the app itself, so a class can start there. "
                   "Instructors: prepare a pack, export it, and each learner imports the file.")
        scenario = st.selectbox("Scenario", PACK_SCENARIOS, key="home.pack_scenario",
                                format_func=lambda name: SCENARIOS[name].title)
        stages = [s for s in pack_stages(scenario) if PACK_STARTS[s].page in PAGE_BY_LABEL]
        stage = st.selectbox("Start at", stages, key=f"home.pack_stage.{scenario}",
                             format_func=lambda s: PACK_STARTS[s].page)
        st.caption(plan_pack(scenario, stage).summary())
        name = st.text_input("Name of the new project", key="home.pack_name", max_chars=MAX_NAME_LENGTH,
                             placeholder=f"{SCENARIOS[scenario].title} — from {PACK_STARTS[stage].page}")
        build, prepare = st.columns(2)
        if build.button("Build and open", key="home.pack_build", type="primary", icon=":material/play_arrow:"):
            built = _build(name, scenario, stage)
            if built is not None:
                open_pack(built.project_id, stage, flash=_built_text(name, built))
        if prepare.button("Prepare for export", key="home.pack_prepare", icon=":material/inventory_2:",
                          help="Builds the pack here, then offers its file for your learners to import."):
            built = _build(name, scenario, stage)
            state.set_pack_for_export(built.project_id if built is not None else state.pack_for_export())
            if built is not None:
                st.success(plain(_built_text(name, built)), icon=":material/check_circle:")
        export_prepared()


def _build(name: str, scenario: str, stage: PackStage) -> BuiltPack | None:
    built = None
    with reported_errors(), st.status("Building the workshop pack…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(done: int, total: int, text: str) -> None:
            bar.progress(done / total, text=f"{text} ({done} of {total} steps done)")

        built = build_pack(engine(), name=name, scenario=scenario, stage=stage, progress=progress)
        status.update(label=f"Built in {built.total_seconds:.0f} s", state="complete", expanded=False)
    return built


def _built_text(name: str, built: BuiltPack) -> str:
    return (f"Built the workshop pack “{' '.join(name.split())}” in {built.total_seconds:.0f} s; it starts at "
            f"{built.pack.start.page}.")


def export_prepared() -> None:
    project_id = state.pack_for_export()
    if project_id is None:
        return
    try:
        with db_session() as session:
            name = get_project(session, project_id).name
    except ProjectError:  # deleted since it was prepared
        state.set_pack_for_export(None)
        return
    st.download_button(f"Download {name}{transfer.EXPORT_SUFFIX}", key="home.pack_export",
                       data=partial(transfer.export_project, engine(), project_id),
                       file_name=f"{name}{transfer.EXPORT_SUFFIX}", mime="application/x-sqlite3",
                       icon=":material/download:", on_click="ignore")


def open_pack(project_id: int, stage: PackStage | None, *, flash: str) -> None:
    """Open the project at its pack's starting page; a project that is no pack (or whose page is missing) at home."""
    page = PAGE_BY_LABEL.get(PACK_STARTS[stage].page) if stage is not None else None
    if page is None:
        state.request_project(project_id, flash=flash)
    else:
        state.open_project_at(project_id, page, flash=flash)


def open_imported(project_id: int, *, flash: str) -> None:
    """Open an imported project: a workshop pack at the page its learners start on, any other here."""
    with db_session() as session:
        stage = pack_stage(session, project_id)
    open_pack(project_id, stage, flash=flash if stage is None else f"{flash} It starts at {PACK_STARTS[stage].page}.")
