"""The frame every page draws first: page config, grouped sidebar, open project, messages."""

import logging
from dataclasses import dataclass, field

import streamlit as st

from core.project.progress import StageName, StageStatus, stage_progress
from pages.components import outage, state
from pages.components.text import plain
from pages.components.resources import database_answers, db_session
from storage.db import SchemaVersionError, StorageUnavailable
from storage.project.tables import Project
from storage.monitoring.alerts import open_alert_count
from storage.progress import progress_facts
from storage.project.projects import list_projects

APP_NAME = "Lifecycle Workbench"
FAVICON = "🧪"
HOME = "app.py"
NO_SUCH_PROJECT = (
    "The address asks for project “{asked}”, which does not exist here: the link is old, or the project was "
    "deleted or lives in another copy of the app. Open a project under “Open project” in the sidebar or on "
    "the Projects page."
)
UNREADABLE_PROJECT = (
    "Project “{name}” holds stored data that this version of the app cannot read, so its pages cannot be "
    "shown. Delete or re-import it: delete it on the Projects page under “Rename, export or delete”, or "
    "import it again from a good export. Your other projects are not affected."
)
DATABASE_UNAVAILABLE = (
    "**Database unavailable, retrying** every {seconds} seconds: this page comes back by itself when the "
    "database answers again. Nothing you saved before is lost. {unsaved}\n\n{reason}"
)
UNSAVED = ("**Your last action was not saved**: the database went away while it was being written, and none "
           "of it was kept. Do it again once the page is back.")
MAYBE_UNSAVED = "An action that was under way when it went away was not saved, so do it again then."
NO_DATABASE_SIDEBAR = "Projects and stage progress are unavailable until the database answers again."
RETRY_SECONDS = 5
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageEntry:
    path: str
    label: str
    stage: StageName | None
    icon: str


# The pages that exist, in lifecycle order; a new page is one line here.
PAGES: tuple[PageEntry, ...] = (
    PageEntry(HOME, "Projects", None, ":material/home:"),
    PageEntry("pages/1_scoping.py", "Scoping", "Scope", ":material/checklist:"),
    PageEntry("pages/2_datasets.py", "Datasets", "Data", ":material/table_chart:"),
    PageEntry("pages/3_labeling.py", "Labeling", "Data", ":material/label:"),
    PageEntry("pages/4_baselines.py", "Baselines", "Data", ":material/flag:"),
    PageEntry("pages/5_experiments.py", "Experiments", "Model", ":material/model_training:"),
    PageEntry("pages/6_error_analysis.py", "Error analysis", "Model", ":material/troubleshoot:"),
    PageEntry("pages/7_fairness.py", "Fairness audit", "Model", ":material/balance:"),
    PageEntry("pages/8_deployment.py", "Deployment", "Deploy", ":material/rocket_launch:"),
    PageEntry("pages/9_monitoring.py", "Monitoring", "Deploy", ":material/monitor_heart:"),
    PageEntry("pages/10_report.py", "Audit report", "Review", ":material/summarize:"),
)
MONITORING_PAGE = "pages/9_monitoring.py"


def pages_of(stage: StageName) -> list[PageEntry]:
    return [page for page in PAGES if page.stage == stage]


def stages_with_pages() -> set[str]:
    return {page.stage for page in PAGES if page.stage}


@dataclass(frozen=True)
class PageContext:
    project: Project | None
    stages: tuple[StageStatus, ...]
    unreadable: bool = False  # the open project's stored data could not be read
    facts: dict[str, int] = field(default_factory=dict)  # what the stages were computed from


def page_setup(title: str, *, icon: str | None = None) -> PageContext:
    """Draw the frame of a page and return the open project with its stage progress.

    `icon` names the page's Material icon, as in PAGES; the browser tab shows the app's emoji
    instead, because Streamlit fetches a Material favicon from fonts.gstatic.com and a local app
    must not call out to another host (an emoji favicon is drawn in the page).
    """
    st.set_page_config(page_title=f"{title} · {APP_NAME}", page_icon=FAVICON, layout="wide")
    projects, facts = _load_projects(title)
    project = next((p for p in projects if p.id == state.open_project_id()), None)
    stages = stage_progress(facts or {})
    _draw_sidebar(projects, project, stages)
    st.title(title)
    asked = state.missing_project(state.open_project_id())
    if asked is not None:
        st.warning(NO_SUCH_PROJECT.format(asked=plain(asked[:40])), icon=":material/search_off:")
    flash = state.pop_flash()
    if flash:
        st.success(plain(flash), icon=":material/check_circle:")
    if project is not None and facts is None:
        st.error(UNREADABLE_PROJECT.format(name=plain(project.name)), icon=":material/report:")
    return PageContext(project, stages, unreadable=project is not None and facts is None, facts=facts or {})


def _load_projects(title: str) -> tuple[list[Project], dict[str, int] | None]:
    lost = outage.take()  # noted by a query that lost the database later in the last run
    if lost is not None:
        _wait_for_database(title, lost)
    try:  # a database found unavailable here reruns the page into the view above, as anywhere else
        with db_session() as session:
            projects = list_projects(session)
            open_id = state.settle_open_project([p.id for p in projects])
        facts = project_facts(open_id)
    except SchemaVersionError as error:
        st.error(plain(error), icon=":material/database:")
        st.stop()
    if state.missing_project(open_id) is None:
        state.remember_project_in_url(open_id)
    return projects, facts


def _wait_for_database(title: str, lost: outage.Outage) -> None:
    """Draw the page's frame without the database, say it is unavailable, and rerun the page once it answers."""
    _draw_sidebar(None, None, stage_progress({}))
    st.title(title)
    unsaved = UNSAVED if lost.unsaved else MAYBE_UNSAVED
    st.error(DATABASE_UNAVAILABLE.format(seconds=RETRY_SECONDS, unsaved=unsaved, reason=plain(lost.reason)),
             icon=":material/database:")
    _rerun_when_database_answers()
    st.stop()


@st.fragment(run_every=RETRY_SECONDS)
def _rerun_when_database_answers() -> None:
    if database_answers():
        st.rerun()


def project_facts(project_id: int | None) -> dict[str, int] | None:
    """Return a project's progress facts ({} for no project), or None when its stored data cannot be read.

    This is the boundary that keeps one damaged project (say, edited by hand) from taking the
    sidebar, the home page and every other project down with it: the failure is logged in full
    for the server log, and the page says which project it is and what to do.
    """
    if project_id is None:
        return {}
    try:
        with db_session() as session:
            return progress_facts(session, project_id)
    except (StorageUnavailable, SchemaVersionError):
        raise
    except Exception:
        LOG.exception("The stored data of project %s cannot be read", project_id)
        return None


def _draw_sidebar(projects: list[Project] | None, project: Project | None, stages: tuple[StageStatus, ...]) -> None:
    """Draw the sidebar; `projects` is None while the database is unavailable (pages, name and mode still work)."""
    with st.sidebar:
        st.markdown(f"**{APP_NAME}**")
        if projects is None:
            st.caption(NO_DATABASE_SIDEBAR)
        elif projects:
            names = {p.id: p.name for p in projects}
            st.selectbox("Open project", list(names), format_func=names.get,
                         key=state.PROJECT_WIDGET_KEY, on_change=state.project_switched)
        else:
            st.caption("No project yet: create one on the Projects page.")
        st.page_link(HOME, label="Projects", icon=":material/home:")
        badges = _badges(project)
        for stage in stages:
            _draw_stage(stage, show_status=project is not None, badges=badges)
        st.divider()
        state.restore_sidebar_choices()
        st.text_input("Your name", placeholder=state.DEFAULT_ACTOR, key=state.ACTOR_WIDGET_KEY, bind="query-params",
                      on_change=state.actor_renamed, help="Recorded as “who” on every action in the project "
                      "timeline. Kept in the page address, so a reload or a copied link keeps it.")
        st.toggle("Teaching mode", key=state.TEACHING_WIDGET_KEY, bind="query-params",
                  on_change=state.keep_sidebar_choices,
                  help="Shows worked examples, reveals what demo scenarios hide (such as flipped labels) and "
                       "explains each statistic in its ? tooltip: what it measures, why it matters, how to read it.")
        state.keep_sidebar_choices()


def _badges(project: Project | None) -> dict[str, str]:
    """Return the badge text per page path: the open project's open alerts on Monitoring."""
    if project is None:
        return {}
    with db_session() as session:
        count = open_alert_count(session, project.id)
    return {MONITORING_PAGE: f"{count} open"} if count else {}


def _draw_stage(stage: StageStatus, *, show_status: bool, badges: dict[str, str]) -> None:
    status = f" {stage.mark}" if show_status else ""
    st.markdown(f"**{stage.stage}**{status}", help=stage.detail if show_status else None)
    for page in pages_of(stage.stage):
        badge = f" :red-badge[{badges[page.path]}]" if page.path in badges else ""
        st.page_link(page.path, label=page.label + badge, icon=page.icon)


def require_project(context: PageContext) -> Project:
    """Return the open project, or explain that one is needed (or unreadable), link to Projects and stop."""
    if context.unreadable:
        st.page_link(HOME, label="Go to Projects", icon=":material/arrow_forward:")
        st.stop()
    if context.project is None:
        st.info("No project is open. Create or open one on the Projects page first.", icon=":material/info:")
        st.page_link(HOME, label="Go to Projects", icon=":material/arrow_forward:")
        st.stop()
    return context.project
