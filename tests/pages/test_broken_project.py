"""One project whose stored data cannot be read must not take the app down, and stays deletable."""

import pytest

from storage.data import datasets
from storage.db import session_scope
from storage.project import projects
from tests.pages.conftest import DATASETS_PAGE, read, texts
from tests.storage.factories import small_frame

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

PAGES = ["app.py", "pages/1_scoping.py", DATASETS_PAGE, "pages/3_labeling.py", "pages/4_baselines.py",
         "pages/5_experiments.py", "pages/9_monitoring.py", "pages/10_report.py"]


@pytest.fixture
def two_projects(engine):
    """A readable project “Good” and a project “Broken” whose dataset roles were edited to [1,2,3]."""
    with session_scope(engine) as s:
        good = projects.create_project(s, name="Good")
        broken = projects.create_project(s, name="Broken")
        datasets.add_dataset_version(s, project_id=broken.id, name="d", frame=small_frame(), source="t")
        ids = good.id, broken.id
    with engine.begin() as connection:  # an edit by hand, past the storage layer's checks
        connection.exec_driver_sql("UPDATE dataset SET roles = '[1,2,3]'")
    return ids


@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_the_unreadable_project_and_keeps_the_sidebar(app, two_projects, page):
    at = app.run()  # the most recently active project, the broken one, opens by default
    if page != "app.py":
        at = at.switch_page(page).run()
    assert not at.exception
    assert "Project “Broken” holds stored data" in texts(at.error)
    assert "Delete or re-import it" in texts(at.error)
    assert at.sidebar.selectbox(key="nav.project").options == ["Broken", "Good"]


def test_other_projects_open_normally(app, two_projects):
    good, _ = two_projects
    at = app.run()
    at = at.button(key=f"home.open.{good}").click().run()
    assert not at.exception
    assert at.error == []
    assert at.subheader[0].value == "Progress of “Good”"
    at = at.switch_page(DATASETS_PAGE).run()
    assert not at.exception and "This project has no data yet" in texts(at.info)


def test_the_unreadable_project_can_be_deleted_from_the_interface(app, engine, two_projects):
    _, broken = two_projects
    at = app.run()
    at.text_input(key=f"home.delete_confirm.{broken}").input("Broken")
    at = at.button(key="home.delete").click().run()
    assert not at.exception
    assert "Deleted project “Broken”." in texts(at.success)
    assert [p.name for p in read(engine, projects.list_projects)] == ["Good"]
    assert at.error == []
