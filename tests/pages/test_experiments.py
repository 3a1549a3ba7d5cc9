"""AppTest of the Experiments page: sanity check, training, comparison, the gate, test looks, bad input."""

import io
import json
import time

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.metrics import accuracy_score, f1_score

from core.data.roles import Roles
from core.slicing import slice_order, slice_values
from core.data.splits import make_splits
from pages.components.data.intake import store_frame, store_scenario
from storage.data import datasets
from storage.project import projects
from storage.modeling import registry, execution as run_execution, runs
from storage.scoping import records as scoping
from storage.scoping.tables import Target
from storage.db import session_scope
from core.scoping.targets import parse_target
from core.modeling.training import TrainingConfig
from core.modeling.artifacts import TRUSTED_TYPES
from tests.pages.conftest import read, texts
from tests.pages.downloads import download_of, saved_files  # noqa: F401 (a fixture)

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

EXPERIMENTS_PAGE = "pages/5_experiments.py"


def split_dataset(session, dataset, fractions=(0.6, 0.2, 0.2)):
    frame = datasets.load_frame(session, dataset.id)
    assignment = make_splits(frame, strategy="stratified", target=dataset.roles["target"], fractions=fractions,
                             random_state=0)
    datasets.save_split(session, dataset_id=dataset.id, assignment=assignment, strategy="stratified", seed=0,
                        fractions=fractions)


@pytest.fixture
def project_id(engine):
    """A project holding the breast-cancer scenario with a stratified split."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Cancer")
        dataset = store_scenario(s, project_id=project.id, scenario_name="breast_cancer", actor="analyst").dataset
        split_dataset(s, dataset)
        return project.id


def open_page(app):
    at = app.run()
    return at.switch_page(EXPERIMENTS_PAGE).run()


def pick_model(at, model):
    at.selectbox(key="exp.model").select(model).run()
    return at


def wait_for_runs(at, engine, project_id, *, timeout=60):
    """Rerun the page until no run of the project is still training."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = [r.status for r in read(engine, lambda s: runs.list_runs(s, project_id))]
        if statuses and "running" not in statuses:
            return at.run()
        time.sleep(0.2)
    raise AssertionError(f"runs still training after {timeout} s")


def launch_button(at, key):
    """The Train (or Train again) button: its key ends in this tab's launch token, which each launch renews."""
    (button,) = [b for b in at.button if b.key and b.key.startswith(f"{key}.")]
    return button


def train(at, engine, project_id, model, **params):
    pick_model(at, model)
    for name, value in params.items():
        at.number_input(key=f"exp.param.{model}.{name}").set_value(value)
    launch_button(at, "exp.train").click().run()
    return wait_for_runs(at, engine, project_id)


def all_datasets(engine, project_id):
    return read(engine, lambda s: datasets.list_datasets(s, project_id))


def all_runs(engine, project_id):
    return read(engine, lambda s: runs.list_runs(s, project_id))


def test_sanity_check_fits_100_rows_and_is_logged(app, engine, project_id):
    at = pick_model(open_page(app), "random_forest")
    at.button(key="exp.sanity").click().run()
    assert not at.exception
    assert "fits 100 training rows almost perfectly" in texts(at.success)
    assert {m.label: m.value for m in at.metric}["Training accuracy on the subset"] == "1.000"
    events = read(engine, lambda s: projects.list_events(s, project_id))
    assert "ran sanity check" in set(events["what"])
    assert all_runs(engine, project_id) == []  # a sanity check is not a run


def test_train_two_models_compare_and_promote_through_the_gate(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "logistic_regression")
    at = train(at, engine, project_id, "random_forest", n_estimators=50)
    assert not at.exception
    stored = all_runs(engine, project_id)
    assert [(r.model, r.status) for r in stored] == [("random_forest", "finished"), ("logistic_regression", "finished")]
    forest, logistic = stored
    assert forest.config["params"]["n_estimators"] == 50 and forest.code_version
    # The dev metrics shown are scikit-learn's on the stored predictions.
    predictions = read(engine, lambda s: runs.load_predictions(s, run_id=forest.id, split="dev"))
    assert forest.metrics["dev"]["accuracy"] == pytest.approx(accuracy_score(predictions.label, predictions.prediction))
    assert forest.metrics["dev"]["f1"] == pytest.approx(
        f1_score(predictions.label, predictions.prediction, pos_label="malignant"))
    shown = {m.label: m.value for m in at.metric}
    assert shown["Accuracy (dev)"] == f"{forest.metrics['dev']['accuracy']:.4f}"
    # Compare: the scatter has a point per run, the per-class chart a bar series per run.
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    names = [{trace.get("name") for trace in chart["data"]} for chart in charts]
    assert {f"Run {forest.number} · random_forest", f"Run {logistic.number} · logistic_regression"} in names
    assert any(chart["layout"]["title"]["text"] == "f1 per class (dev)" for chart in charts)
    (diff,) = [d.value for d in at.dataframe if "B − A" in d.value.columns]
    assert set(diff["metric"]) >= {"accuracy", "f1", "roc_auc"}
    # The gate: the first champion needs only the targets; a second must beat it by the margin.
    with session_scope(engine) as s:
        scoping.add_target(s, project_id=project_id, target=parse_target("accuracy >= 0.8"))
    at = at.run()
    better, worse = sorted(stored, key=lambda r: r.metrics["dev"]["f1"], reverse=True)
    at = promote(at, better.id, metric="f1", margin=0.0)
    assert f"Run {better.number} is now the champion, through the gate." in texts(at.success)
    at = promote(at, worse.id, metric="f1", margin=0.01)
    assert "did not pass the gate" in texts(at.error) and "does not beat the champion on f1" in texts(at.error)
    held = read(engine, lambda s: registry.aliases(s, project_id))
    assert held["champion"].id == better.id
    # An override with a reason is possible and logged.
    at.text_input(key="exp.override_reason").input("Simpler model, same decisions on the pilot cases")
    at = promote(at, worse.id, metric="f1", margin=0.01)
    assert f"Run {worse.number} is now the champion, with an override of the failed gate (logged)." in texts(at.success)
    history = read(engine, lambda s: registry.promotions_frame(s, project_id))
    assert list(history["gate"]) == ["failed 1 of 2 checks, overridden", "passed (2 of 2 checks)"]


def promote(at, run_id, *, metric, margin, alias="champion"):
    at.selectbox(key="exp.promote_run").select(run_id)
    at.selectbox(key="exp.promote_alias").select(alias)
    at.selectbox(key="exp.promote_metric").select(metric)
    at.number_input(key="exp.promote_margin").set_value(margin)
    return at.button(key="exp.promote").click().run()


def test_gate_check_says_which_target_fails(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "knn")
    with session_scope(engine) as s:
        scoping.add_target(s, project_id=project_id, target=parse_target("accuracy >= 0.999"))
    at = at.run()
    at.button(key="exp.check_gate").click().run()
    assert "does not pass the gate" in texts(at.markdown)
    assert "Target accuracy >= 0.999 is not met" in texts(at.error)


def test_runs_are_shown_by_their_number_in_the_project_not_the_database_id(app, engine, project_id):
    with session_scope(engine) as s:  # another project's run takes database id 1
        other = projects.create_project(s, name="Other")
        dataset = store_scenario(s, project_id=other.id, scenario_name="breast_cancer", actor="analyst").dataset
        split_dataset(s, dataset)
        prepared = run_execution.prepare_run(s, dataset_id=dataset.id, config=TrainingConfig("logistic_regression"))
        other_run = run_execution.launch_run(s, prepared=prepared)
    run_execution.execute_run(engine, run_id=other_run.id, prepared=prepared)
    app.session_state["nav.project_id"] = project_id  # open the study, not the newer project
    at = train(open_page(app), engine, project_id, "logistic_regression")
    (run,) = all_runs(engine, project_id)
    assert (run.id, run.number) == (2, 1)
    (table,) = [d.value for d in at.dataframe if "status" in d.value.columns]
    assert list(table.index) == [1]
    assert "**Run 1** · Logistic regression · finished" in texts(at.markdown)
    at = promote(at, run.id, metric="f1", margin=0.0)
    assert "Run 1 is now the champion, through the gate." in texts(at.success)
    (history,) = [d.value for d in at.dataframe if "gate" in d.value.columns]
    assert list(history["run"]) == ["Run 1"]
    details = read(engine, lambda s: projects.list_events(s, project_id))["details"]
    assert details.str.startswith("run: Run 1,").sum() == 3  # started, finished, promoted
    assert not details.str.contains("run: 2,").any()


def test_gate_check_says_why_a_slice_target_cannot_be_measured(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "logistic_regression")
    with session_scope(engine) as s:  # a target kept from before the data was known: no such column
        s.add(Target(project_id=project_id, kind="ml", metric="recall", slice="sex=F", comparator=">=", value=0.8))
    at = at.run()
    at.button(key="exp.check_gate").click().run()
    error = texts(at.error)
    assert "Target recall[sex=F] >= 0.8 cannot be measured for this run: The data has no column “sex”." in error
    assert "Change the target on the Scoping page." in error and "not measured" not in error


def test_a_challenger_that_fails_the_gate_is_shown_as_not_gated(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "logistic_regression")
    with session_scope(engine) as s:
        scoping.add_target(s, project_id=project_id, target=parse_target("accuracy >= 0.999"))
    (run,) = all_runs(engine, project_id)
    at = promote(at.run(), run.id, metric="f1", margin=0.0, alias="challenger")
    assert not at.exception
    assert (f"Run {run.number} is now the challenger, without the gate (a challenger needs only a dev evaluation)."
            in texts(at.success))
    (history,) = [d.value for d in at.dataframe if "gate" in d.value.columns]
    assert list(history["gate"]) == [
        "not gated: a challenger needs only a dev evaluation (the gate would fail 1 of 2 checks)"]
    assert read(engine, lambda s: registry.aliases(s, project_id))["challenger"].id == run.id


def test_test_split_look_is_explicit_logged_and_counted(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "logistic_regression")
    assert "Test set looked at 0 times" in texts(at.caption)
    at.button(key="exp.test_look").click().run()
    at.button(key="exp.test_look").click().run()
    assert not at.exception
    assert "Test set looked at 2 times" in texts(at.caption)
    assert read(engine, lambda s: run_execution.count_test_looks(s, project_id)) == 2
    run = all_runs(engine, project_id)[0]
    test_predictions = read(engine, lambda s: runs.load_predictions(s, run_id=run.id, split="test"))
    look = read(engine, lambda s: run_execution.list_test_looks(s, project_id))[0]
    assert look.metrics["accuracy"] == pytest.approx(accuracy_score(test_predictions.label, test_predictions.prediction))
    assert "looked at the test split" in set(read(engine, lambda s: projects.list_events(s, project_id))["what"])


def test_hyperparameter_out_of_range_is_refused_and_writes_nothing(app, engine, project_id):
    at = pick_model(open_page(app), "random_forest")
    at.number_input(key="exp.param.random_forest.n_estimators").set_value(5000)
    launch_button(at, "exp.train").click().run()
    assert not at.exception
    assert "Number of trees must be between 10 and 1000; 5000 is outside" in texts(at.error)
    assert all_runs(engine, project_id) == []


def test_model_that_fails_to_fit_is_recorded_as_failed_with_its_error(app, engine, project_id):
    # More neighbours than the 341 training rows: k-NN cannot predict, and says so.
    at = train(open_page(app), engine, project_id, "knn", n_neighbors=400)
    (run,) = all_runs(engine, project_id)
    assert run.status == "failed" and "n_neighbors" in run.error
    assert f"This run failed: {run.error}" in texts(at.error)
    assert read(engine, lambda s: runs.count_runs(s, project_id)) == 1


def test_promoting_a_run_without_dev_evaluation_is_refused(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "knn", n_neighbors=400)
    at.text_input(key="exp.override_reason").input("I really want this one promoted")
    at = promote(at, all_runs(engine, project_id)[0].id, metric="f1", margin=0.0)
    assert "has no dev evaluation, so it cannot be promoted" in texts(at.error)
    assert read(engine, lambda s: registry.aliases(s, project_id)) == {}


def test_dataset_without_target_says_where_to_choose_one(app, engine):
    frame = pd.DataFrame({"x": np.arange(40.0), "y": [0, 1] * 20}).rename_axis("row_id")
    with session_scope(engine) as s:
        project = projects.create_project(s, name="No target")
        store_frame(s, project_id=project.id, name="plain", frame=frame, source="test", actor="analyst")
    at = open_page(app)
    assert not at.exception
    assert "has no dataset version with a target column" in texts(at.info)


def test_one_class_training_split_is_refused(app, engine):
    frame = pd.DataFrame({"x": np.arange(40.0), "y": [0] * 40}).rename_axis("row_id")
    with session_scope(engine) as s:
        project = projects.create_project(s, name="One class")
        dataset = store_frame(s, project_id=project.id, name="flat", frame=frame, source="test", actor="analyst",
                              roles=Roles(target="y")).dataset
        assignment = pd.Series(["train"] * 30 + ["dev"] * 5 + ["test"] * 5, index=frame.index)
        datasets.save_split(s, dataset_id=dataset.id, assignment=assignment, strategy="random", seed=0,
                            fractions=(0.75, 0.125, 0.125))
    at = open_page(app)
    launch_button(at, "exp.train").click().run()
    assert "The training split has only one class" in texts(at.error)
    assert read(engine, lambda s: runs.count_runs(s, project.id)) == 0


def test_a_double_submit_of_train_makes_one_run_and_says_the_repeat_was_ignored(app, engine, project_id):
    at = pick_model(open_page(app), "logistic_regression")
    at.text_input(key="exp.notes").set_value("first try")
    at.text_input(key="exp.tags").set_value("baseline, v1")
    launch_button(at, "exp.train").click()
    # What the browser sends for a double click: the same submit (same button, same form values) twice.
    submit = at._tree.get_widget_states()
    at._run(submit)
    at = at._run(submit)
    (run,) = all_runs(engine, project_id)
    assert f"Train was pressed again for Run {run.number}, which had already started; the repeat was ignored" \
        in texts(at.info)
    at = wait_for_runs(at, engine, project_id)
    assert not at.exception
    assert len(all_runs(engine, project_id)) == 1
    assert (run.notes, run.tags) == ("first try", ["baseline", "v1"])
    # The next run starts blank, and the Runs tab shows the run just started.
    assert at.text_input(key="exp.notes").value == "" and at.text_input(key="exp.tags").value == ""
    assert at.selectbox(key="exp.run").value == run.id
    at = train(at, engine, project_id, "knn")
    newest = all_runs(engine, project_id)[0]
    assert (newest.notes, newest.tags) == ("", [])
    assert at.selectbox(key="exp.run").value == newest.id


def test_a_launch_stopped_by_a_rerun_is_carried_out_once_by_the_next_run(app, engine, project_id):
    """The first script run of a double click is stopped mid-launch; the second carries the launch out."""
    at = pick_model(open_page(app), "logistic_regression")
    launch_button(at, "exp.train").click()
    submit = at._tree.get_widget_states()
    at.session_state["exp.launch"]["token"] = "from-the-first-click"  # as if the first click had claimed it
    at.session_state["exp.launch"]["pending"] = {"dataset_id": all_datasets(engine, project_id)[0].id,
                                                 "parent_run_id": None, "started": None}
    at = at._run(submit)
    assert "Train was pressed again for Run 1 while it was launching; the repeat was ignored" in texts(at.info)
    assert "Started Run 1: Logistic regression on " in texts(at.success)
    wait_for_runs(at, engine, project_id)
    assert len(all_runs(engine, project_id)) == 1


def test_the_estimate_before_a_launch_is_said_with_the_started_run(app, engine, project_id, monkeypatch):
    monkeypatch.setattr("pages.components.modeling.launch.ESTIMATE_ROWS", 100)  # the cancer split has 341 rows
    at = pick_model(open_page(app), "logistic_regression")
    at = launch_button(at, "exp.train").click().run()
    assert "Training should take" in texts(at.info)  # the estimate's verdict, above the started run
    wait_for_runs(at, engine, project_id)
    assert len(all_runs(engine, project_id)) == 1


def test_a_refused_launch_says_why_and_leaves_train_usable(app, engine, project_id):
    at = pick_model(open_page(app), "random_forest")
    at.number_input(key="exp.param.random_forest.n_estimators").set_value(5000)
    launch_button(at, "exp.train").click().run()
    assert "Number of trees must be between 10 and 1000" in texts(at.error)
    assert all_runs(engine, project_id) == []
    assert launch_button(at, "exp.train").label == "Train" and not launch_button(at, "exp.train").disabled
    at.number_input(key="exp.param.random_forest.n_estimators").set_value(20)
    at = wait_for_runs(launch_button(at, "exp.train").click().run(), engine, project_id)
    assert len(all_runs(engine, project_id)) == 1


def test_estimate_says_how_long_training_will_take(app, project_id):
    at = pick_model(open_page(app), "logistic_regression")
    at.button(key="exp.estimate").click().run()
    assert not at.exception
    assert "Training should take" in texts(at.info) and "estimated from fits on" in texts(at.info)


def test_a_running_job_shows_progress_and_can_be_cancelled(app, engine, project_id):
    at = pick_model(open_page(app), "random_forest")
    at.number_input(key="exp.param.random_forest.n_estimators").set_value(1000)
    at.number_input(key="exp.folds").set_value(5)
    launch_button(at, "exp.train").click().run()
    (run,) = all_runs(engine, project_id)
    assert run.status == "running"
    assert any(f"Run {run.number} · Random forest" in str(p.proto.text) for p in at.get("progress"))
    at.button(key=f"exp.cancel.{run.id}").click().run()
    at = wait_for_runs(at, engine, project_id)
    assert all_runs(engine, project_id)[0].status == "cancelled"
    assert "This run was cancelled before it finished." in texts(at.info)
    assert "cancelled training run" in set(read(engine, lambda s: projects.list_events(s, project_id))["what"])


def test_train_again_links_the_new_run_to_its_parent(app, engine, project_id):
    at = train(open_page(app), engine, project_id, "knn", n_neighbors=7)
    launch_button(at, "exp.retrain").click().run()
    at = wait_for_runs(at, engine, project_id)
    child, parent = all_runs(engine, project_id)
    assert (child.parent_run_id, child.trigger, child.config) == (parent.id, "re-run", parent.config)
    assert child.metrics["dev"]["accuracy"] == parent.metrics["dev"]["accuracy"]
    assert f"parent Run {parent.number}" in texts(at.markdown)


def test_per_slice_scores_show_their_dev_rows_and_flag_thin_slices(app, engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans")
        dataset = store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="a", n_rows=1000).dataset
        split_dataset(s, dataset)
        frame = datasets.load_frame(s, dataset.id)
        datasets.update_roles(s, dataset_id=dataset.id, roles={**dataset.roles, "sensitive": ["sex", "age_band", "age"]})
    at = train(open_page(app), engine, project.id, "logistic_regression")
    (run,) = all_runs(engine, project.id)
    slices = next(d.value for d in at.dataframe if "note" in d.value.columns and "sex=F" in d.value.index)
    dev = read(engine, lambda s: runs.load_predictions(s, run_id=run.id, split="dev")).index
    bands = frame.loc[dev, "age_band"].astype(str).value_counts()
    assert slices.loc["sex=F", "n_rows"] == (frame.loc[dev, "sex"] == "F").sum()
    assert all(slices.loc[f"age_band={band}", "n_rows"] == n for band, n in bands.items())
    thin = bands[bands < 30]
    assert len(thin) and all(slices.loc[f"age_band={b}", "note"] == f"too few rows ({n} < 30)" for b, n in thin.items())
    assert slices.loc["sex=F", "note"] == ""
    # A numeric sensitive column is sliced by quantile ranges, not by each of its 60-odd ages.
    ages = slice_values(frame["age"])
    shown = [name for name in slices.index if name.startswith("age=")]
    assert shown == [f"age={n}" for n in sorted(set(ages.loc[dev]), key=slice_order)] and len(shown) <= 5
    assert sum(slices.loc[name, "n_rows"] for name in shown) == len(dev)
    at = at.number_input(key=f"exp.min_rows.{run.id}").set_value(1).run()
    slices = next(d.value for d in at.dataframe if "note" in d.value.columns and "sex=F" in d.value.index)
    assert (slices["note"] == "").all()


def test_latency_shows_the_calls_behind_it_and_warns_when_the_machine_was_busy(app, engine, project_id, monkeypatch):
    import os

    at = train(open_page(app), engine, project_id, "logistic_regression")
    (run,) = all_runs(engine, project_id)
    assert run.timings["latency_calls"] >= 100 and run.metrics["dev"]["p95_latency_ms"] == run.timings["latency_p95_ms"]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Latency p95"] == f"{run.timings['latency_p95_ms']:.2f} ms"
    assert f"from {run.timings['latency_calls']:,} single-row calls after 5 warm-up calls" in texts(at.caption)
    # Eight processes wanting each core: the run says its latency was measured on a busy machine.
    monkeypatch.setattr(os, "getloadavg", lambda: (8.0 * (os.cpu_count() or 1), 1.0, 1.0))
    at = train(at, engine, project_id, "knn")
    busy = all_runs(engine, project_id)[0]
    assert busy.timings["latency_busy"] is True and busy.timings["latency_load_per_core"] == pytest.approx(8.0)
    assert "The machine was busy while latency was measured" in texts(at.warning)
    assert "a load of 8.0 processes per core" in texts(at.warning)


def leaky_project(engine):
    """600 rows whose `repaid` column is recorded after the outcome, with a case number and an honest feature."""
    from storage.baselines.records import compute_model_baselines

    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 600)
    frame = pd.DataFrame({"income": rng.normal(size=600) + 0.3 * y, "repaid": y * rng.uniform(1, 5, 600),
                          "case_number": [f"CASE-{i:05d}x" for i in range(600)], "y": y}).rename_axis("row_id")
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Leaky")
        dataset = store_frame(s, project_id=project.id, name="cases", frame=frame, source="test", actor="analyst",
                              roles=Roles(target="y")).dataset
        split_dataset(s, dataset)
        compute_model_baselines(s, dataset_id=dataset.id, names=["most_frequent", "stratified"])
        return project.id


def test_leaks_and_identifiers_are_warned_before_training_and_a_too_good_run_after(app, engine):
    project_id = leaky_project(engine)
    at = pick_model(open_page(app), "random_forest")
    at.button(key="exp.estimate").click().run()
    before = texts(at.warning)
    assert "“repaid” alone predicts the target almost perfectly" in before
    assert "“case_number” looks like an identifier (a different value on every row)" in before
    assert "Datasets page (Roles tab)" in before and "income" not in before
    at = train(at, engine, project_id, "random_forest", n_estimators=20)
    (run,) = all_runs(engine, project_id)
    assert len(run.details["data_checks"]["warnings"]) == 2 and run.details["data_checks"]["scores"]["repaid"] == 1.0
    after = texts(at.warning)
    assert "Before training: “repaid” alone predicts the target almost perfectly" in after
    assert "far above the best baseline (" in after and "learned from a leak" in after
    assert "no human-level performance is stored" in after and "on their own: “repaid”" in after


def test_a_strongly_regularised_model_below_the_bar_is_told_it_is_the_settings(app, engine, project_id):
    at = pick_model(open_page(app), "logistic_regression")
    at.number_input(key="exp.param.logistic_regression.C").set_value(0.0001)
    at.button(key="exp.sanity").click().run()
    assert not at.exception
    shown = texts(at.info)
    assert "with weak regularisation (C = 10000, max_iter = 10000)" in shown and "not a problem" in shown
    assert "problem before any tuning" not in texts(at.warning)
    events = read(engine, lambda s: projects.list_events(s, project_id))
    assert "held_back" in events[events["what"] == "ran sanity check"]["details"].iloc[0]


def test_a_runs_model_text_and_predictions_download_as_stored(app, engine, project_id, saved_files):
    at = train(open_page(app), engine, project_id, "logistic_regression")
    assert not at.get("download_button")  # nothing is built before it is asked for
    at = at.button(key="exp.download.prepare").click().run()
    assert not at.exception
    assert [b.key for b in at.get("download_button")] == [
        "exp.download.model", "exp.download.text", "exp.download.dev"]  # no test predictions before a look
    run = all_runs(engine, project_id)[0]
    stored = read(engine, lambda s: runs.load_predictions(s, run_id=run.id, split="dev"))
    frame = read(engine, lambda s: datasets.load_frame(s, run.dataset_id))
    data, name = download_of(at, "exp.download.model", saved_files)
    assert name.startswith("Cancer_breast_cancer-v1-run-1-model_") and name.endswith("Z.skops")
    model = sio.loads(data, trusted=list(TRUSTED_TYPES))
    assert list(model.predict(frame.loc[stored.index])) == list(stored["prediction"])
    text = download_of(at, "exp.download.text", saved_files)[0].decode()
    assert f'model = sio.load("{name}", trusted=TRUSTED)' in text
    assert "- mean_radius: numeric, read as a number" in text and "1. benign\n2. malignant" in text
    data, _ = download_of(at, "exp.download.dev", saved_files)
    downloaded = pd.read_csv(io.BytesIO(data), index_col="row_id")
    assert list(downloaded["prediction"]) == list(stored["prediction"])
    at.button(key="exp.test_look").click().run()
    at = at.button(key="exp.download.prepare").click().run()
    data, _ = download_of(at, "exp.download.test", saved_files)
    test_stored = read(engine, lambda s: runs.load_predictions(s, run_id=run.id, split="test"))
    assert list(pd.read_csv(io.BytesIO(data), index_col="row_id").index) == list(test_stored.index)
