"""Projects: create (blank, from a scenario or a workshop pack), open, rename, delete, export and import."""

from functools import partial

import streamlit as st

from core.project.progress import next_step
from pages.components import state
from pages.components.feedback import attempt, reported_errors
from pages.components.frame import page_setup, pages_of, stages_with_pages
from pages.components.data.intake import create_project_from, project_sources
from pages.components.project.contents import describe_contents
from pages.components.project.overview import project_list
from pages.components.project.packs import open_imported, packs_section
from pages.components.resources import db_session, engine
from storage.fairness.audits import audit_title, latest_signed_audit
from pages.components.text import plain
from storage.project import projects
from storage import transfer
from storage.project.tables import Project

context = page_setup("Projects", icon=":material/home:")


def create_section(*, expanded: bool) -> None:
    with st.expander("Create a project", expanded=expanded, icon=":material/add:"):
        with st.form("home.create", border=False):
            name = st.text_input("Project name", key="home.new_name", max_chars=projects.MAX_NAME_LENGTH)
            source = st.selectbox("Start from", list(project_sources()), key="home.new_source",
                                  help="A demo scenario comes with a generated dataset, its roles and its hidden truth.")
            submitted = st.form_submit_button("Create project", type="primary")
        if submitted:
            with st.spinner("Creating the project…"):
                project_id = attempt(partial(create_project_from, name=name, source_label=source, actor=state.actor()))
            if project_id is not None:
                state.request_project(project_id, flash=f"Created project “{' '.join(name.split())}”.")


def progress_section(project: Project) -> None:
    st.subheader(f"Progress of “{plain(project.name)}”")
    for column, stage in zip(st.columns(len(context.stages)), context.stages):
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{stage.stage}**  \n{stage.mark} {stage.status}")
            st.caption(stage.detail)
    fairness_decision(project)
    step = next_step(context.stages, available=stages_with_pages(), facts=context.facts)
    if step is not None:
        st.info(f"**Next step — {step.stage}:** {step.detail}", icon=":material/flag:")
        for page in [p for p in pages_of(step.stage) if not step.pages or p.label in step.pages]:
            st.page_link(page.path, label=f"Open {page.label}", icon=page.icon)


def fairness_decision(project: Project) -> None:
    with db_session() as session:
        audit = latest_signed_audit(session, project.id)
        name = audit_title(session, audit) if audit is not None else ""
    if audit is not None:
        st.caption(f"Latest fairness sign-off: {name} — {audit.decision}, "
                   f"{audit.signed_at:%Y-%m-%d %H:%M} UTC.")


def timeline(project: Project) -> None:
    st.subheader("Timeline")
    with db_session() as session:
        events = projects.list_events(session, project.id)
    st.dataframe(events, hide_index=True, width="stretch",
                 column_config={"when": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm:ss")})


def manage(project: Project) -> None:
    with st.expander("Rename, export or delete", icon=":material/settings:"):
        rename(project)
        st.download_button("Export project", data=partial(transfer.export_project, engine(), project.id),
                           file_name=f"{project.name}{transfer.EXPORT_SUFFIX}", mime="application/x-sqlite3",
                           icon=":material/download:", key="home.export", on_click="ignore",
                           help="One file holding this project alone, to archive it or move it to another machine.")
        delete(project)


def rename(project: Project) -> None:
    with st.form("home.rename", border=False):
        new_name = st.text_input("New name", value=project.name, key=f"home.rename_to.{project.id}")
        if st.form_submit_button("Rename"):
            renamed = attempt(partial(projects.rename_project, project_id=project.id, new_name=new_name,
                                      actor=state.actor()))
            if renamed is not None:
                state.request_project(renamed.id, flash=f"Renamed to “{renamed.name}”.")


def delete(project: Project) -> None:
    with db_session() as session:
        contents = projects.project_contents(session, project.id)
    lost = ", ".join(describe_contents(contents))
    st.warning(f"Deleting “{plain(project.name)}” removes for good: {lost}.", icon=":material/warning:")
    typed = st.text_input("Type the project name to confirm", key=f"home.delete_confirm.{project.id}")
    if st.button("Delete project", key="home.delete", type="primary"):
        if typed.strip() != project.name:
            st.error("The typed name does not match the project name. Type it exactly to delete.")
            return
        deleted = attempt(partial(projects.delete_project, project_id=project.id))
        if deleted is not None:
            state.request_project(None, flash=f"Deleted project “{deleted}”.")


def import_section() -> None:
    with st.expander("Import a project", icon=":material/upload:"):
        upload = st.file_uploader(f"Project file ({transfer.EXPORT_SUFFIX})", key="home.import_file")
        if st.button("Import", key="home.import", disabled=upload is None):
            project = None
            with reported_errors(), st.spinner("Checking and importing…"):
                project = transfer.import_project(engine(), upload.getvalue(), actor=state.actor())
            if project is not None:
                open_imported(project.id, flash=f"Imported project “{project.name}”.")


with db_session() as session:
    every_project = projects.list_projects(session)
create_section(expanded=not every_project)
packs_section()
import_section()
if context.project is not None:
    if not context.unreadable:
        progress_section(context.project)
    manage(context.project)
    timeline(context.project)
if every_project:
    project_list(every_project, context.project.id if context.project else None)
else:
    st.info("There are no projects yet. Create one above — a demo scenario is the quickest way to look around.")
