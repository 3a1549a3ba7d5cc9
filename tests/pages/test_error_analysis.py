"""AppTest of the Error analysis page: empty states, tagging, the slice table, classes, bad input."""

import pytest
from sqlmodel import select

from core.errors.tags import MAX_TAG
from core.modeling.training import TrainingConfig
from pages.components.data.intake import store_scenario
from storage.data import datasets
from storage.db import session_scope
from storage.errors.slices import MAX_NAME, list_slices
from storage.errors.tables import Tag
from storage.errors.tags import row_tags
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.tables import Prediction
from storage.project import projects
from tests.pages.conftest import read, texts
from tests.pages.test_experiments import split_dataset

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

PAGE = "pages/6_error_analysis.py"


def make_project(engine, *, train=True, scenario="loan_approval", **params):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans")
        dataset = store_scenario(s, project_id=project.id, scenario_name=scenario, actor="analyst", **params).dataset
        split_dataset(s, dataset)
        ids = project.id, dataset.id
    if not train:
        return (*ids, None)
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=ids[1], config=TrainingConfig("logistic_regression"))
        run = launch_run(s, prepared=prepared)
    assert execute_run(engine, run_id=run.id, prepared=prepared) == "finished"
    return (*ids, run.id)


@pytest.fixture
def loans(engine):
    return make_project(engine, n_rows=2_000)


def table_with(at, column):
    """The shown table that has this column (tables without selection carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def open_page(app):
    return app.run().switch_page(PAGE).run()


def test_no_project_says_so(app):
    at = open_page(app)
    assert not at.exception and "No project is open" in texts(at.info)


def test_project_without_runs_links_to_experiments(app, engine):
    make_project(engine, train=False, n_rows=1_000)
    at = open_page(app)
    assert not at.exception and "No finished run yet" in texts(at.info)


def test_run_without_dev_predictions_is_explained(app, engine, loans):
    _, _, run_id = loans
    with session_scope(engine) as s:
        s.delete(s.exec(select(Prediction).where(Prediction.run_id == run_id)).one())
    at = open_page(app)
    assert not at.exception and "has no stored dev predictions" in texts(at.warning)


def test_run_whose_dataset_is_gone_is_explained(app, engine, loans):
    _, dataset_id, _ = loans
    with session_scope(engine) as s:
        s.delete(datasets.get_dataset(s, dataset_id))
    at = open_page(app)
    assert not at.exception and "has been deleted" in texts(at.warning)


def test_errors_are_listed_most_confident_first_and_tagged(app, engine, loans):
    _, dataset_id, _ = loans
    at = open_page(app)
    assert not at.exception
    table = at.dataframe(key="err.errors_table").value
    assert table["confidence"].is_monotonic_decreasing and (table["true class"] != table["predicted class"]).all()
    top = int(table["row_id"].iloc[0])
    at.text_input(key="err.tag_text").input("self-reported income")
    at.button(key="FormSubmitter:err.tag_form-Tag the selected rows").click().run()
    assert not at.exception and "Tagged 1 row" in texts(at.success)
    assert read(engine, lambda s: row_tags(s, dataset_id)) == {top: ["self-reported income"]}
    # Several rows from a table selection, then a one-click tag for the most used one.
    at.session_state["err.errors_table"] = {"selection": {"rows": [1, 2], "columns": []}}
    at.run()
    at.button(key="err.quick_tag.0").click().run()
    assert "Tagged 2 rows" in texts(at.success)
    assert len(read(engine, lambda s: row_tags(s, dataset_id))) == 3
    # The tag filter shows just the tagged errors.
    at.selectbox(key="err.f_tag").select("self-reported income").run()
    assert len(at.dataframe(key="err.errors_table").value) == 3


def test_a_blank_tag_is_refused_and_nothing_is_stored(app, engine, loans):
    at = open_page(app)
    assert at.text_input(key="err.tag_text").max_chars == MAX_TAG  # the longest tag storage accepts
    at.text_input(key="err.tag_text").input("    ")
    at.button(key="FormSubmitter:err.tag_form-Tag the selected rows").click().run()
    assert "empty or only spaces" in texts(at.error)
    assert read(engine, lambda s: s.exec(select(Tag)).all()) == []


def test_slice_table_is_built_sorted_and_a_slice_saved(app, engine, loans):
    project_id, _, _ = loans
    at = open_page(app)
    at.button(key="err.build").click().run()
    assert not at.exception
    table = table_with(at, "priority")
    assert table["priority"].is_monotonic_decreasing and {"feature", "discovered"} <= set(table["source"])
    assert "Priority" in at.get("plotly_chart")[0].proto.spec
    name = at.selectbox(key="err.slice").value
    at.number_input(key="err.ease_input").set_value(3.0).run()
    table = table_with(at, "priority")
    assert table.set_index("slice").loc[name, "ease"] == 3.0
    # Another slice shows its own ease (1), and the first keeps its 3.
    other = next(n for n in table["slice"] if n != name)
    at.selectbox(key="err.slice").select(other).run()
    assert at.number_input(key="err.ease_input").value == 1.0
    assert table_with(at, "priority").set_index("slice").loc[name, "ease"] == 3.0
    at.selectbox(key="err.slice").select(name).run()
    at.text_input(key="err.slice_name_text").input("first slice")
    at.button(key="FormSubmitter:err.save_slice-Save slice").click().run()
    assert "Saved the slice “first slice”" in texts(at.success)
    (saved,) = read(engine, lambda s: list_slices(s, project_id))
    assert saved.name == "first slice"
    at.selectbox(key="err.f_slice").select("first slice").run()
    assert not at.exception


def test_a_slice_name_field_stops_at_the_limit_and_a_blank_name_is_refused(app, engine, loans):
    project_id, _, _ = loans
    at = open_page(app).button(key="err.build").click().run()
    assert at.text_input(key="err.slice_name_text").max_chars == MAX_NAME  # storage refuses longer (storage test)
    at.text_input(key="err.slice_name_text").input("   ")
    at = at.button(key="FormSubmitter:err.save_slice-Save slice").click().run()
    assert not at.exception
    assert "name is empty" in texts(at.error)
    assert read(engine, lambda s: list_slices(s, project_id)) == []


def test_classes_tab_shows_scores_equal_to_scikit_learn(app, engine, loans):
    from sklearn.metrics import precision_recall_fscore_support

    _, _, run_id = loans
    at = open_page(app)
    assert not at.exception
    predictions = read(engine, lambda s: __import__("storage.modeling.runs", fromlist=["x"]).load_predictions(
        s, run_id=run_id))
    p, r, f, _ = precision_recall_fscore_support(predictions["label"], predictions["prediction"], zero_division=0)
    table = table_with(at, "support")
    assert table["precision"].tolist() == pytest.approx(p) and table["recall"].tolist() == pytest.approx(r)


def test_teaching_mode_reveals_the_planted_slice(app, engine, loans):
    at = app.run()
    at.toggle(key="nav.teaching").set_value(True).run()
    at.switch_page(PAGE).run()
    assert "self-employed applicants with unreliable income" in texts(at.info)


def wait_for_runs(at, engine, project_id, timeout=120):
    import time

    from storage.modeling.runs import list_runs

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(r.status != "running" for r in read(engine, lambda s: list_runs(s, project_id))):
            return at.run()
        time.sleep(0.3)
    raise AssertionError("a run is still training")


def built_table_on(at, slice_name):
    at.button(key="err.build").click().run()
    at.selectbox(key="err.slice").select(slice_name).run()
    return at


def test_collect_more_data_then_retrain_shows_before_and_after(app, engine, loans):
    project_id, _, run_id = loans
    at = built_table_on(open_page(app), 'employment_type == "self_employed"')
    at.button(key="err.iterate.collect").click().run()
    assert not at.exception and "Made loan_approval v2 with" in texts(at.success)
    (version,) = [d for d in read(engine, lambda s: datasets.list_datasets(s, project_id)) if d.version == 2]
    at.button(key=f"err.retrain.{version.id}").click().run()
    assert "is training with Run 1" in texts(at.info)
    at = wait_for_runs(at, engine, project_id)
    table = table_with(at, "slice gap")
    assert table["run"].tolist() == ["Run 1 (before)", "Run 2 (after)"]
    assert table["slice rows"].nunique() == 1  # the same dev rows before and after


def test_relabel_makes_a_labeling_batch_then_retrain(app, engine, loans):
    project_id, _, run_id = loans
    at = built_table_on(open_page(app), 'employment_type == "self_employed"')
    at.button(key="err.iterate.relabel").click().run()
    assert "labeling batch 1" in texts(at.success)
    retrain_and_compare(at, engine, project_id, run_id)
    at.button(key="err.iterate.augment").click().run()
    assert "no pixel columns" in texts(at.error)
    assert len(read(engine, lambda s: datasets.list_datasets(s, project_id))) == 2  # the refusal wrote nothing


def retrain_and_compare(at, engine, project_id, run_id):
    (version,) = [d for d in read(engine, lambda s: datasets.list_datasets(s, project_id)) if d.version == 2]
    at.button(key=f"err.retrain.{version.id}").click().run()
    at = wait_for_runs(at, engine, project_id)
    table = table_with(at, "slice gap")
    assert table["run"].tolist() == ["Run 1 (before)", "Run 2 (after)"]
    return table


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_picked_error_is_shown_with_its_card_and_its_numbers(app, engine, loans):
    at = open_page(app)
    table = at.dataframe(key="err.errors_table").value
    at.session_state["err.errors_table"] = {"selection": {"rows": [2], "columns": []}}
    at.run()
    picked = table.iloc[2]
    assert f"**Row {int(picked['row_id'])}**" in [m.value for m in at.markdown]
    shown = metric_values(at)
    assert (shown["True class"], shown["Predicted"]) == (picked["true class"], picked["predicted class"])
    assert shown["Confidence"] == f"{picked['confidence']:.3f}"
    assert "income" in texts(at.markdown)  # the Labeling item card: the row's fields


def test_a_picked_digit_error_shows_its_picture(app, engine):
    make_project(engine, scenario="digits")
    at = open_page(app)
    assert not at.exception and at.get("image")  # the 8 × 8 picture of the first error


def test_augment_digits_slice_then_retrain(app, engine):
    project_id, _, run_id = make_project(engine, scenario="digits")
    at = built_table_on(open_page(app), 'true class == "8"')
    at.button(key="err.iterate.augment").click().run()
    assert not at.exception and "new rows" in texts(at.success)
    table = retrain_and_compare(at, engine, project_id, run_id)
    assert table["slice rows"].nunique() == 1


def test_teaching_mode_reveals_the_digit_confusions(app, engine):
    make_project(engine, scenario="digits")
    at = app.run()
    at.toggle(key="nav.teaching").set_value(True).run()
    at.switch_page(PAGE).run()
    assert "labelers of this scenario confuse the digits 1↔7, 3↔8, 4↔9" in texts(at.info)
