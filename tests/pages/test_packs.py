"""The Projects page's workshop packs: build one and land on its stage, refuse bad names, export, import."""

import pytest

from storage import transfer
from storage.packs import build_pack
from storage.project import projects
from storage.project.projects import NAME_EMPTY, NAME_TAKEN
from tests.pages.conftest import read, texts

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL


def choose_pack(at, scenario="Handwritten digits", stage="Labeling", name="Class A"):
    at.selectbox(key="home.pack_scenario").select(scenario).run()
    [stage_box] = [box for box in at.selectbox if box.key.startswith("home.pack_stage.")]
    stage_box.select(stage).run()
    at.text_input(key="home.pack_name").input(name)
    return at


def test_the_section_says_what_a_pack_holds_and_what_the_learner_does(app):
    at = choose_pack(app.run(), "Loan approval", "Error analysis")
    assert not at.exception
    summary = texts(at.caption)
    assert "Done: scoping answered" in summary and "the legacy rule" in summary
    assert "Next, the learner will browse and tag the champion's errors" in summary
    stages = [box for box in at.selectbox if box.key.startswith("home.pack_stage.")][0].options
    assert stages == ["Scoping", "Datasets", "Labeling", "Baselines", "Experiments", "Error analysis",
                      "Fairness audit", "Deployment", "Monitoring"]


def test_a_scenario_without_sensitive_columns_offers_no_fairness_pack(app):
    at = choose_pack(app.run(), "Handwritten digits", "Deployment")
    stages = [box for box in at.selectbox if box.key.startswith("home.pack_stage.")][0].options
    assert "Fairness audit" not in stages and "Deployment" in stages
    assert "a fairness audit" not in texts(at.caption)


@pytest.mark.parametrize("name, message", [("   ", NAME_EMPTY), ("taken", NAME_TAKEN.format(name="taken"))])
def test_an_empty_or_taken_name_is_refused_and_nothing_is_built(app, engine, name, message):
    with_project = read(engine, lambda s: projects.create_project(s, name="Taken").id)
    at = choose_pack(app.run(), name=name).button(key="home.pack_build").click().run()
    assert not at.exception
    assert message in texts(at.error)
    assert [p.id for p in read(engine, projects.list_projects)] == [with_project]
    assert at.title[0].value == "Projects"


def test_build_opens_the_new_project_at_its_stage(app, engine):
    at = choose_pack(app.run()).button(key="home.pack_build").click().run()
    assert not at.exception
    assert at.title[0].value == "Labeling"
    [project] = read(engine, projects.list_projects)
    assert project.name == "Class A" and project.source == "digits"
    assert at.sidebar.selectbox(key="nav.project").value == project.id
    assert "Built the workshop pack “Class A”" in texts(at.success) and "it starts at Labeling" in texts(at.success)
    held = read(engine, lambda s: projects.project_contents(s, project.id))
    assert held["split"] == 1 and "label" not in held


def test_prepare_for_export_builds_the_pack_and_offers_its_file(app, engine):
    at = choose_pack(app.run(), stage="Datasets", name="Class B").button(key="home.pack_prepare").click().run()
    assert not at.exception and at.title[0].value == "Projects"
    assert "Built the workshop pack “Class B”" in texts(at.success)
    [bar] = at.get("progress")  # the progress the build reported, step by step, ends full
    assert bar.proto.value == 100 and bar.proto.text == "Ready (2 of 2 steps done)"
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith("-home.pack_export")]
    assert button.proto.label == "Download Class B.workbench"
    [project] = read(engine, projects.list_projects)
    assert set(read(engine, lambda s: projects.project_contents(s, project.id))) >= {"scope_answer", "target"}
    at = at.run()  # the file stays offered while the instructor looks elsewhere on the page
    assert [b for b in at.get("download_button") if b.proto.id.endswith("-home.pack_export")]


def test_an_imported_pack_opens_at_the_same_stage(app, engine):
    built = build_pack(engine, name="Shared", scenario="digits", stage="baselines")
    data = transfer.export_project(engine, built.project_id)
    at = app.run()
    at.get("file_uploader")[0].set_value(("Shared.workbench", data, "application/octet-stream"))
    at = at.run().button(key="home.import").click().run()
    assert not at.exception
    assert at.title[0].value == "Baselines"
    assert "Imported project “Shared (imported)”. It starts at Baselines." in texts(at.success)
    imported = [p for p in read(engine, projects.list_projects) if p.name == "Shared (imported)"]
    assert at.sidebar.selectbox(key="nav.project").value == imported[0].id
