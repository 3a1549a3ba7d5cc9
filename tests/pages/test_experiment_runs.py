"""AppTest of the Runs and Compare tabs as MLflow users expect them: search, hyperparameter columns, a kept sort,
archive, delete; more than two runs compared, each in its own colour on every chart."""

import json

import pytest

from core.modeling.charts import run_colour
from core.modeling.training import TrainingConfig
from pages.components.explain import explanation
from storage.db import session_scope
from storage.modeling import execution as run_execution
from storage.modeling.registry import promote
from storage.modeling.tables import ModelArtifact, Prediction, Run
from sqlmodel import select
from tests.pages.conftest import read, texts
from tests.pages.test_experiments import EXPERIMENTS_PAGE, all_datasets, all_runs, open_page, project_id  # noqa: F401 (a fixture)

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL


def stored_run(engine, dataset_id, model, *, tags=(), cv_folds=0, **params):
    with session_scope(engine) as s:
        config = TrainingConfig(model, params=params, cv_folds=cv_folds)
        prepared = run_execution.prepare_run(s, dataset_id=dataset_id, config=config)
        run = run_execution.launch_run(s, prepared=prepared, tags=list(tags))
    assert run_execution.execute_run(engine, run_id=run.id, prepared=prepared) == "finished"
    return run.id


@pytest.fixture
def three_runs(engine, project_id):  # noqa: F811 (the fixture above)
    dataset_id = all_datasets(engine, project_id)[0].id
    ids = [stored_run(engine, dataset_id, "logistic_regression", tags=["baseline"], C=0.5),
           stored_run(engine, dataset_id, "random_forest", tags=["trees"], n_estimators=30),
           stored_run(engine, dataset_id, "random_forest", n_estimators=60)]
    return project_id, ids


def runs_table(at):
    """The runs table (AppTest shows no dataframe keys: it is the one with the run columns), or None."""
    tables = [d for d in at.dataframe if {"status", "archived", "notes"} <= set(d.value.columns)]
    assert len(tables) <= 1
    return tables[0] if tables else None


def shown_runs(at):
    table = runs_table(at)
    return [] if table is None else list(table.value.index)


def search(at, text):
    at.text_input(key="exp.runs_search").set_value(text)
    return at.run()


def test_runs_search_by_model_parameter_metric_and_tag_with_hyperparameter_columns(app, engine, three_runs):
    project_id, _ = three_runs
    at = open_page(app)
    assert shown_runs(at) == [3, 2, 1]
    table = runs_table(at).value
    assert {"C", "n_estimators", "max_depth"} <= set(table.columns)
    assert table.loc[1, "C"] == 0.5 and table.loc[2, "n_estimators"] == 30 and table.loc[3, "n_estimators"] == 60
    assert shown_runs(search(at, "model = random_forest")) == [3, 2]
    assert shown_runs(search(at, "n_estimators > 40")) == [3]
    assert shown_runs(search(at, "tag = baseline")) == [1]
    f1 = {run.number: run.metrics["dev"]["f1"] for run in all_runs(engine, project_id)}
    best = max(f1.values())
    assert shown_runs(search(at, f"f1 >= {best}")) == [n for n in (3, 2, 1) if f1[n] >= best]
    assert shown_runs(search(at, "trees and n_estimators < 100")) == [2]
    # The run shown below follows the search: only a listed run can be picked.
    assert at.selectbox(key="exp.run").options == ["Run 2 · random_forest · finished"]
    at = search(at, "accuracyy > 0.9")
    assert "The runs table has no column “accuracyy”. Filter on one of:" in texts(at.error)
    assert shown_runs(at) == [3, 2, 1]  # the table stays whole while the search is wrong
    assert shown_runs(search(at, "model = mlp")) == []
    assert "No run matches the search." in texts(at.info)


def test_the_sort_order_is_kept_across_reruns_and_page_changes(app, engine, three_runs):
    project_id, _ = three_runs
    at = open_page(app)
    at.selectbox(key="exp.runs_sort").select("n_estimators").run()
    at.toggle(key="exp.runs_descending").set_value(False).run()
    assert shown_runs(at) == [2, 3, 1]  # 30, 60, then the run without trees
    at = at.run()
    assert shown_runs(at) == [2, 3, 1]
    at.switch_page("pages/2_datasets.py").run()
    at = at.switch_page("pages/5_experiments.py").run()
    assert shown_runs(at) == [2, 3, 1]
    assert at.selectbox(key="exp.runs_sort").value == "n_estimators" and at.toggle(key="exp.runs_descending").value is False


def test_an_archived_run_is_hidden_until_shown_and_can_be_restored(app, engine, three_runs):
    project_id, ids = three_runs
    at = open_page(app)
    at.selectbox(key="exp.run").set_value(ids[1]).run()
    at.button(key=f"exp.archive.{ids[1]}").click().run()
    assert "Archived Run 2." in texts(at.success)
    assert shown_runs(at) == [3, 1] and "2 of 3 runs shown; 1 archived hidden." in texts(at.caption)
    at.toggle(key="exp.runs_archived").set_value(True).run()
    assert shown_runs(at) == [3, 2, 1] and bool(runs_table(at).value.loc[2, "archived"])
    at.selectbox(key="exp.run").set_value(ids[1]).run()
    at.button(key=f"exp.archive.{ids[1]}").click().run()
    assert "Restored Run 2." in texts(at.success)
    assert not any(run.archived for run in all_runs(engine, project_id))


def test_the_champion_cannot_be_archived_or_deleted_and_a_free_run_is_deleted_with_its_files(app, engine, three_runs):
    project_id, ids = three_runs
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=ids[0], override_reason="pilot")
    at = open_page(app)
    at.selectbox(key="exp.run").set_value(ids[0]).run()
    at.button(key=f"exp.archive.{ids[0]}").click().run()
    assert "Run 1 cannot be archived: it is the champion. Give the alias to another run" in texts(at.error)
    at.checkbox(key=f"exp.delete_sure.{ids[0]}").check().run()
    at.button(key=f"exp.delete.{ids[0]}").click().run()
    assert ("Run 1 cannot be deleted: it is the champion; the promotion history records it (1 promotion). "
            "Archive it instead") in texts(at.error)
    assert len(all_runs(engine, project_id)) == 3
    at.selectbox(key="exp.run").set_value(ids[2]).run()
    assert at.button(key=f"exp.delete.{ids[2]}").disabled  # until the tick
    at.checkbox(key=f"exp.delete_sure.{ids[2]}").check().run()
    at.button(key=f"exp.delete.{ids[2]}").click().run()
    assert "Deleted Run 3 with its model and predictions" in texts(at.success)
    assert shown_runs(at) == [2, 1] and [r.id for r in all_runs(engine, project_id)] == ids[1::-1]
    leftovers = read(engine, lambda s: s.exec(select(Prediction.run_id)).all()
                     + s.exec(select(ModelArtifact.run_id)).all())
    assert ids[2] not in leftovers


def figures(at) -> dict[str, dict]:
    """The page's plotly figures by their title's first words."""
    found = {}
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        found[figure["layout"]["title"]["text"]] = figure
    return found


def test_compare_draws_three_runs_in_parallel_each_in_its_own_colour_everywhere(app, engine, three_runs):
    project_id, ids = three_runs
    at = open_page(app)
    charts = figures(at)
    scatter = charts["f1 against fit_seconds (dev) · axes start at zero"]
    assert scatter["layout"]["xaxis"]["rangemode"] == "tozero" == scatter["layout"]["yaxis"]["rangemode"]
    assert {t["name"]: t["marker"]["color"] for t in scatter["data"]} == {
        "Run 1 · logistic_regression": run_colour(1), "Run 2 · random_forest": run_colour(2),
        "Run 3 · random_forest": run_colour(3)}
    (parallel,) = [f for title, f in charts.items() if title.startswith("3 runs across")]
    dimensions = {d["label"]: d for d in parallel["data"][0]["dimensions"]}
    assert {"run", "C", "n_estimators", "f1"} <= set(dimensions)
    assert dimensions["n_estimators"]["ticktext"] == ["30", "60", "—"]  # the logistic regression has no trees
    stored = {run.number: run.metrics["dev"]["f1"] for run in all_runs(engine, project_id)}
    assert dimensions["f1"]["values"] == pytest.approx([stored[1], stored[2], stored[3]])
    bars = charts["f1 per class (dev)"]
    assert {t["name"]: t["marker"]["color"] for t in bars["data"]} == {f"Run {n}": run_colour(n) for n in (1, 2, 3)}
    # Two runs chosen: each keeps its colour; the zoomed scatter says its axes do not start at zero.
    at.multiselect(key="exp.compare_runs.3").set_value([3, 1]).run()
    at.checkbox(key="exp.scatter_zero").uncheck().run()
    charts = figures(at)
    zoomed = charts["f1 against fit_seconds (dev) · axes zoomed to the runs: they do not start at zero"]
    assert [t["marker"]["color"] for t in zoomed["data"]] == [run_colour(1), run_colour(3)]
    assert "2 runs across" in " ".join(charts)


def test_a_cross_validated_run_shows_its_folds_explained_in_teaching_mode(app, engine, project_id):  # noqa: F811
    dataset_id = all_datasets(engine, project_id)[0].id
    run_id = stored_run(engine, dataset_id, "logistic_regression", cv_folds=3)
    run = read(engine, lambda s: s.get(Run, run_id))
    at = app.run().sidebar.toggle(key="nav.teaching").set_value(True).run()
    at = at.switch_page(EXPERIMENTS_PAGE).run()
    (folds,) = [d.value for d in at.dataframe if "balanced_accuracy" in d.value.columns and len(d.value) == 3]
    assert list(folds["balanced_accuracy"]) == pytest.approx([f["balanced_accuracy"] for f in run.details["cv"]])
    assert explanation("cross_validation") in texts(at.caption)
    at = at.sidebar.toggle(key="nav.teaching").set_value(False).run()
    assert explanation("cross_validation") not in texts(at.caption)
