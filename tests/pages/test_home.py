import pytest
from streamlit.testing.v1 import AppTest

from storage.data import datasets
from storage.project import projects
from storage import transfer
from storage.project.projects import MAX_NAME_LENGTH, NAME_EMPTY, NAME_TAKEN, NAME_TOO_LONG
from tests.pages.conftest import APP, DATASETS_PAGE, read, texts

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL


def create(at, name, source="Blank project"):
    at.text_input(key="home.new_name").input(name)
    at.selectbox(key="home.new_source").select(source)
    return at.button(key="FormSubmitter:home.create-Create project").click().run()


def stage_cards(at) -> dict[str, str]:
    """Stage name -> mark and status, as the progress cards show them."""
    stages = ["Scope", "Data", "Model", "Deploy", "Review"]
    cards = [m.value.split("  \n") for m in at.main.markdown if m.value.startswith(tuple(f"**{s}**  \n" for s in stages))]
    return {name.strip("*"): status for name, status in cards}


def test_empty_state_invites_to_create_a_project(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Projects"
    assert "There are no projects yet" in texts(at.info)
    assert "No project yet" in texts(at.sidebar.caption)
    assert [t.label for t in at.sidebar.toggle] == ["Teaching mode"]


def test_create_a_blank_project_opens_it_and_logs_it(app, engine):
    at = create(app.run(), "  My   study ")
    assert not at.exception
    assert "Created project “My study”." in texts(at.success)
    assert stage_cards(at) == {stage: "○ not started" for stage in ["Scope", "Data", "Model", "Deploy", "Review"]}
    assert at.sidebar.selectbox(key="nav.project").value == read(engine, lambda s: projects.list_projects(s)[0].id)
    stored = read(engine, projects.list_projects)
    assert [p.name for p in stored] == ["My study"]
    assert list(read(engine, lambda s: projects.list_events(s, stored[0].id))["what"]) == ["created project"]
    assert "Next step — Scope" in texts(at.info)  # the first unfinished stage that has a page


def test_create_from_a_demo_scenario_stores_its_dataset(app, engine):
    at = create(app.run(), "Cancer", "Demo: Breast cancer diagnosis")
    assert not at.exception
    project = read(engine, projects.list_projects)[0]
    versions = read(engine, lambda s: datasets.list_datasets(s, project.id))
    assert len(versions) == 1 and versions[0].n_rows == 569
    assert versions[0].roles["target"] == "diagnosis"
    assert read(engine, lambda s: datasets.load_ground_truth(s, versions[0].id))["label_noise"]["rate"] == 0.0
    assert stage_cards(at)["Data"] == "◐ partly"
    assert "Split the data" in texts(at.info)


@pytest.mark.parametrize("name, message", [("", NAME_EMPTY), ("Taken", NAME_TAKEN.format(name="Taken"))])
def test_bad_project_names_are_refused_and_nothing_is_written(app, engine, name, message):
    at = create(app.run(), "Taken")
    at = create(at, name, "Demo: Breast cancer diagnosis")
    assert not at.exception
    assert message in texts(at.error)
    assert [p.name for p in read(engine, projects.list_projects)] == ["Taken"]
    assert read(engine, lambda s: datasets.list_datasets(s, projects.list_projects(s)[0].id)) == []


def test_switching_opening_and_renaming(app, engine):
    at = create(create(app.run(), "First"), "Second")
    first, second = sorted(read(engine, projects.list_projects), key=lambda p: p.id)
    assert at.sidebar.selectbox(key="nav.project").value == second.id
    at = at.button(key=f"home.open.{first.id}").click().run()
    assert at.sidebar.selectbox(key="nav.project").value == first.id
    assert at.subheader[0].value == "Progress of “First”"
    assert at.text_input(key=f"home.rename_to.{first.id}").value == "First"
    at.text_input(key=f"home.rename_to.{first.id}").input("Second")
    at = at.button(key="FormSubmitter:home.rename-Rename").click().run()
    assert NAME_TAKEN.format(name="Second") in texts(at.error)
    at.text_input(key=f"home.rename_to.{first.id}").input("Renamed")
    at = at.button(key="FormSubmitter:home.rename-Rename").click().run()
    assert "Renamed to “Renamed”." in texts(at.success)
    assert read(engine, lambda s: projects.get_project(s, first.id).name) == "Renamed"


def test_the_name_field_takes_as_many_characters_as_a_stored_name_may_hold(app, engine):
    at = app.run()
    assert at.text_input(key="home.new_name").max_chars == MAX_NAME_LENGTH  # the browser stops typing there
    at = create(at, "n" * MAX_NAME_LENGTH)
    assert not at.exception
    assert [p.name for p in read(engine, projects.list_projects)] == ["n" * MAX_NAME_LENGTH]


def test_a_new_name_longer_than_its_column_is_refused_and_the_old_name_kept(app, engine):
    at = create(app.run(), "First")
    first = read(engine, projects.list_projects)[0]
    at.text_input(key=f"home.rename_to.{first.id}").input("n" * (MAX_NAME_LENGTH + 1))
    at = at.button(key="FormSubmitter:home.rename-Rename").click().run()
    assert not at.exception
    assert NAME_TOO_LONG in texts(at.error)
    assert read(engine, lambda s: projects.get_project(s, first.id).name) == "First"


def test_delete_needs_the_typed_name_and_says_what_is_lost(app, engine):
    at = create(app.run(), "Doomed", "Demo: Breast cancer diagnosis")
    doomed = read(engine, projects.list_projects)[0]
    assert "removes for good: 1 dataset versions" in texts(at.warning) and "timeline events" in texts(at.warning)
    at.text_input(key=f"home.delete_confirm.{doomed.id}").input("doomed?")
    at = at.button(key="home.delete").click().run()
    assert "does not match" in texts(at.error)
    assert len(read(engine, projects.list_projects)) == 1
    at.text_input(key=f"home.delete_confirm.{doomed.id}").input("Doomed")
    at = at.button(key="home.delete").click().run()
    assert not at.exception
    assert "Deleted project “Doomed”." in texts(at.success)
    assert read(engine, projects.list_projects) == []
    assert "There are no projects yet" in texts(at.info)


def test_import_refuses_a_foreign_file_and_accepts_an_export(app, engine):
    with_data = create(app.run(), "Original", "Demo: Breast cancer diagnosis")
    project = read(engine, projects.list_projects)[0]
    export = transfer.export_project(engine, project.id)
    with_data.get("file_uploader")[0].set_value(("notes.workbench", b"just some text", "application/octet-stream"))
    at = with_data.run().button(key="home.import").click().run()
    assert "not a Lifecycle Workbench project export" in texts(at.error)
    assert len(read(engine, projects.list_projects)) == 1
    at.get("file_uploader")[0].set_value(("Original.workbench", export, "application/octet-stream"))
    at = at.run().button(key="home.import").click().run()
    assert not at.exception
    assert "Imported project “Original (imported)”." in texts(at.success)
    assert sorted(p.name for p in read(engine, projects.list_projects)) == ["Original", "Original (imported)"]


def test_deep_link_without_a_project_says_what_is_missing(app):
    at = app.run()
    at.switch_page(DATASETS_PAGE).run()
    assert not at.exception
    assert at.title[0].value == "Datasets"
    assert "No project is open" in texts(at.info)
    assert any(link.label == "Go to Projects" for link in at.get("page_link"))


@pytest.mark.parametrize("asked", ["999", "two"])
def test_an_address_naming_no_such_project_says_so_and_opens_none(app, engine, asked):
    create(app.run(), "Only")
    at = reopened({"project": asked})
    assert f"The address asks for project “{asked}”, which does not exist" in texts(at.warning)
    assert at.sidebar.selectbox(key="nav.project").value is None
    assert at.query_params["project"] == asked  # the message stays while the address says so
    at = at.switch_page(DATASETS_PAGE).run()
    assert "No project is open" in texts(at.info) and "does not exist" in texts(at.warning)
    only = read(engine, projects.list_projects)[0].id
    at = at.sidebar.selectbox(key="nav.project").set_value(only).run()
    assert not at.warning and at.query_params["project"] == str(only)


def test_deleting_the_open_project_opens_the_most_recent_one_without_a_warning(app, engine):
    at = create(create(app.run(), "Kept"), "Doomed")
    doomed = next(p for p in read(engine, projects.list_projects) if p.name == "Doomed")
    at.text_input(key=f"home.delete_confirm.{doomed.id}").input("Doomed")
    at = at.button(key="home.delete").click().run()
    assert "Deleted project “Doomed”." in texts(at.success) and "does not exist" not in texts(at.warning)
    assert at.sidebar.selectbox(key="nav.project").value == read(engine, projects.list_projects)[0].id


def test_a_database_that_cannot_be_opened_gives_a_clear_message(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 200)
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", f"sqlite:///{broken}")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "The database cannot be used" in texts(at.error)
    assert broken.read_bytes() == b"not a database" * 200


def test_the_name_in_the_sidebar_is_recorded_as_who(app, engine):
    at = app.run()
    at.sidebar.text_input(key="nav.actor_name").input("  Ada  Lovelace ").run()
    at = create(at, "Named")
    assert at.sidebar.text_input(key="nav.actor_name").value == "Ada Lovelace"
    project = read(engine, projects.list_projects)[0]
    assert list(read(engine, lambda s: projects.list_events(s, project.id))["who"]) == ["Ada Lovelace"]


def reopened(url_query: dict[str, str]) -> AppTest:
    """A new session (a reload, or a link opened in a new tab) on an address with this query.

    AppTest does not play the browser's part of `bind="query-params"` (writing the URL), so the
    tests start from the address a user's browser holds; tests/e2e/test_kept_choices.py checks
    the browser's part."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(url_query)
    at.run()
    assert not at.exception
    return at


def test_the_name_and_teaching_mode_outlive_a_reload_through_the_address(app, engine):
    at = reopened({"nav.actor_name": "  Ada   Lovelace ", "nav.teaching": "true"})
    assert at.sidebar.toggle(key="nav.teaching").value is True
    at = create(at, "Kept")
    project_id = read(engine, projects.list_projects)[0].id
    assert list(read(engine, lambda s: projects.list_events(s, project_id))["who"]) == ["Ada Lovelace"]
    assert create(app.run(), "Other").sidebar.text_input(key="nav.actor_name").value in ("", None)  # shows "analyst" greyed


def test_a_fresh_address_has_the_default_name_and_no_teaching(app):
    at = app.run()
    assert at.sidebar.text_input(key="nav.actor_name").placeholder == "analyst"
    assert at.sidebar.text_input(key="nav.actor_name").value in ("", None)
    assert at.sidebar.toggle(key="nav.teaching").value is False


def test_a_hostile_project_file_is_refused_in_words_and_the_app_keeps_working(app, engine, tmp_path):
    import sqlite3
    with_data = create(app.run(), "Original", "Demo: Breast cancer diagnosis")
    project = read(engine, projects.list_projects)[0]
    path = tmp_path / "hostile.workbench"
    path.write_bytes(transfer.export_project(engine, project.id))
    with sqlite3.connect(path) as connection:  # what used to lock every user out of every page
        connection.execute("UPDATE dataset SET roles = '[1,2,3]'")
    with_data.get("file_uploader")[0].set_value(("hostile.workbench", path.read_bytes(), "application/octet-stream"))
    at = with_data.run().button(key="home.import").click().run()
    assert not at.exception
    assert ("This project file cannot be imported: table dataset, row 1, column roles: expected an object, "
            "found a list. Nothing was imported.") in texts(at.error)
    assert [p.name for p in read(engine, projects.list_projects)] == ["Original"]
    at = at.switch_page(DATASETS_PAGE).run()
    assert not at.exception and at.error == []


def test_after_a_champion_the_home_page_points_at_error_analysis_then_fairness(app, engine):
    from storage.db import session_scope
    from storage.errors.tags import tag_rows
    from storage.modeling.registry import promote
    from storage.scoping.records import apply_worked_example
    from tests.storage.experiment_factories import project_with_data, trained_run

    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        apply_worked_example(s, project_id=project_id, scenario="loan_approval")
        promote(s, project_id=project_id, run_id=run_id, override_reason="the first model")
    at = app.run()
    assert stage_cards(at)["Model"] == "● done"
    assert "Next step — Model:** A champion is registered: find where it errs" in texts(at.info)
    assert [link.label for link in at.main.get("page_link")] == ["Open Error analysis"]
    with session_scope(engine) as s:
        frame = datasets.load_frame(s, dataset_id)
        tag_rows(s, dataset_id=dataset_id, row_ids=list(frame.index[:2]), tag="blurry", known_rows=frame.index)
    at = at.run()
    assert "Audit the champion's decisions group by group" in texts(at.info)
    assert [link.label for link in at.main.get("page_link")] == ["Open Fairness audit"]


def test_the_project_list_shows_every_project_with_its_stage_marks(app):
    at = create(app.run(), "Learner A", "Demo: Breast cancer diagnosis")
    at = create(at, "Learner B")
    shown = [m.value for m in at.main.markdown]
    marks = {name: shown[shown.index(f"**{name}**  \n{source}") + 1]
             for name, source in (("Learner A", "Demo: Breast cancer diagnosis"), ("Learner B", "Blank project"))}
    assert marks == {"Learner A": "Scope ● · Data ◐ · Model ○ · Deploy ○ · Review ○",
                     "Learner B": "Scope ○ · Data ○ · Model ○ · Deploy ○ · Review ○"}
    assert "how far it got" in texts(at.caption)
