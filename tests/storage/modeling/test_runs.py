import hashlib
import sqlite3

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from core.modeling.artifacts import ArtifactRefused
from core.modeling.training import TrainingConfig
from storage.data import datasets
from storage.project import projects
from storage.modeling import execution as run_execution, runs
from storage import transfer
from storage.db import session_scope
from storage.labeling.labels import current_labels
from storage.modeling.tables import Run
from storage.progress import progress_facts
from storage.modeling.comparison import load_experiments, per_class_frame
from tests.storage.experiment_factories import project_with_data, trained_run


def stored_run(engine, run_id) -> Run:
    with session_scope(engine) as s:
        return runs.get_run(s, run_id)


def test_a_finished_run_records_data_labels_config_metrics_model_and_predictions(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, status = trained_run(engine, dataset_id, "random_forest", params={"n_estimators": 20}, cv_folds=3)
    assert status == "finished"
    run = stored_run(engine, run_id)
    with session_scope(engine) as s:
        dataset = datasets.get_dataset(s, dataset_id)
        frame = datasets.load_frame(s, dataset_id)
        predictions = runs.load_predictions(s, run_id=run_id, split="dev")
        model = runs.load_run_model(s, run_id)
        snapshot = current_labels(s, dataset_id)
    assert (run.dataset_hash, run.labels_hash) == (dataset.content_hash, snapshot.snapshot_hash)
    assert run.config["params"] == {"n_estimators": 20, "max_depth": 0, "min_samples_leaf": 1}
    assert run.code_version.startswith(runs.APP_VERSION) and run.finished_at is not None
    assert len(run.details["cv"]) == 3 and run.details["features"]["categorical"] == ["colour"]
    assert run.timings["fit_seconds"] > 0 and run.timings["latency_p95_ms"] >= run.timings["latency_p50_ms"]
    assert run.timings["latency_calls"] >= 100 and isinstance(run.timings["latency_busy"], bool)
    # Metrics equal scikit-learn's on the stored predictions, and the stored model reproduces them.
    y, p = predictions["label"], predictions["prediction"]
    dev = run.metrics["dev"]
    assert dev["accuracy"] == pytest.approx(accuracy_score(y, p)) and dev["f1"] == pytest.approx(f1_score(y, p))
    assert dev["roc_auc"] == pytest.approx(roc_auc_score(y, predictions["proba_1"]))
    assert dev["log_loss"] == pytest.approx(log_loss(y, predictions[["proba_0", "proba_1"]]))
    assert run.details["dev"]["confusion"]["matrix"] == confusion_matrix(y, p).tolist()
    features = frame.loc[predictions.index, ["x1", "x2", "colour"]]
    assert np.allclose(model.predict_proba(features)[:, 1], predictions["proba_1"])


def test_same_config_and_seed_give_the_same_metrics_and_predictions(engine):
    _, dataset_id = project_with_data(engine)
    first, _ = trained_run(engine, dataset_id, "mlp", random_state=4, params={"max_iter": 50})
    second, _ = trained_run(engine, dataset_id, "mlp", random_state=4, params={"max_iter": 50})
    with session_scope(engine) as s:
        a, b = (runs.load_predictions(s, run_id=i) for i in (first, second))
    pd.testing.assert_frame_equal(a, b)
    drop = lambda m: {k: v for k, v in m.items() if k != "p95_latency_ms"}  # noqa: E731 — timing differs
    assert drop(stored_run(engine, first).metrics["dev"]) == drop(stored_run(engine, second).metrics["dev"])


def test_a_failing_fit_is_recorded_as_failed_with_its_error_and_nothing_else(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, status = trained_run(engine, dataset_id, "knn", params={"n_neighbors": 400})
    run = stored_run(engine, run_id)
    assert status == run.status == "failed" and "n_neighbors" in run.error and run.metrics == {}
    with session_scope(engine) as s:
        assert not runs.has_predictions(s, run_id=run_id, split="dev")
        with pytest.raises(runs.RunError, match="has no stored model: it is failed"):
            runs.load_run_model(s, run_id)
        assert "training run failed" in set(projects.list_events(s, project_id)["what"])


def test_a_cancelled_run_is_recorded_as_cancelled(engine):
    _, dataset_id = project_with_data(engine)
    with session_scope(engine) as s:
        prepared = run_execution.prepare_run(s, dataset_id=dataset_id, config=TrainingConfig("knn"))
        run = run_execution.launch_run(s, prepared=prepared)
        assert run.status == "running"
    assert run_execution.execute_run(engine, run_id=run.id, prepared=prepared, should_stop=lambda: True) == "cancelled"
    assert stored_run(engine, run.id).status == "cancelled"


def test_runs_left_running_by_a_stopped_server_are_marked_failed(engine):
    _, dataset_id = project_with_data(engine)
    with session_scope(engine) as s:
        prepared = run_execution.prepare_run(s, dataset_id=dataset_id, config=TrainingConfig("knn"))
        run = run_execution.launch_run(s, prepared=prepared)
    with session_scope(engine) as s:
        assert runs.mark_interrupted_runs(s) == 1
    assert stored_run(engine, run.id).error == runs.INTERRUPTED


def test_bad_inputs_write_nothing(engine):
    project_id, dataset_id = project_with_data(engine)
    with session_scope(engine) as s:
        datasets.update_roles(s, dataset_id=dataset_id, roles={"target": None})
    for config in (TrainingConfig("knn"), TrainingConfig("random_forest", params={"n_estimators": 1})):
        with pytest.raises(ValueError):
            with session_scope(engine) as s:
                run_execution.prepare_run(s, dataset_id=dataset_id, config=config)
    with session_scope(engine) as s:
        assert runs.count_runs(s, project_id) == 0


def test_test_split_looks_are_counted_and_equal_scikit_learn(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        run_execution.evaluate_on_test(s, project_id=project_id, run_id=run_id)
        look = run_execution.evaluate_on_test(s, project_id=project_id, run_id=run_id)
        predictions = runs.load_predictions(s, run_id=run_id, split="test")
        assert run_execution.count_test_looks(s, project_id) == 2
        split = datasets.load_split(datasets.latest_split(s, dataset_id))
    assert set(predictions.index) == set(split.index[split == "test"])
    assert look.metrics["accuracy"] == pytest.approx(accuracy_score(predictions["label"], predictions["prediction"]))


def test_notes_tags_tables_and_model_stage_facts(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        runs.update_run_notes(s, run_id=run_id, project_id=project_id, notes=" first try ", tags=["base", " base", ""])
        with pytest.raises(runs.RunError, match="longer than 2000"):
            runs.update_run_notes(s, run_id=run_id, project_id=project_id, notes="x" * 2001, tags=[])
    with session_scope(engine) as s:
        sheet = load_experiments(s, project_id)
        facts = progress_facts(s, project_id)
    assert sheet.runs[run_id].notes == "first try" and sheet.runs[run_id].tags == ["base"]
    assert sheet.table.loc[run_id, "f1"] == pytest.approx(sheet.runs[run_id].metrics["dev"]["f1"])
    assert set(per_class_frame(list(sheet.runs.values()))["class"]) == {"0", "1"}
    assert facts["run"] == 1 and facts["model_artifact"] == 1 and facts["prediction"] == 1


def test_export_import_keeps_runs_and_the_loaded_model_goes_through_skops(engine, tmp_path):
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    exported = transfer.export_project(engine, project_id)
    copy = transfer.import_project(engine, exported)
    with session_scope(engine) as s:
        (imported_run,) = runs.list_runs(s, copy.id)
        assert runs.load_run_model(s, imported_run.id) is not None
    # An export whose artifact was replaced by one holding an untrusted type imports as data only:
    # loading that model is refused.
    path = tmp_path / "tampered.workbench"
    path.write_bytes(exported)
    hostile = sio.dumps(make_pipeline(FunctionTransformer(np.save)))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE model_artifact SET data = ?, sha256 = ?",
                           (hostile, hashlib.sha256(hostile).hexdigest()))
    tampered = transfer.import_project(engine, path.read_bytes())
    with session_scope(engine) as s:
        (bad_run,) = runs.list_runs(s, tampered.id)
        with pytest.raises(ArtifactRefused, match="types the app does not trust"):
            runs.load_run_model(s, bad_run.id)
        with pytest.raises(ArtifactRefused):
            run_execution.evaluate_on_test(s, project_id=tampered.id, run_id=bad_run.id)


def test_runs_train_on_the_current_labels_and_record_their_snapshot(engine):
    from storage.labeling.labels import record_decision

    _, dataset_id = project_with_data(engine)
    before, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        split = datasets.load_split(datasets.latest_split(s, dataset_id))
        row = int(split.index[split == "dev"][0])
        given = int(datasets.load_frame(s, dataset_id).loc[row, "y"])
        record_decision(s, dataset_id=dataset_id, row_id=row, value=str(1 - given), source="review")
    after, _ = trained_run(engine, dataset_id)
    assert stored_run(engine, before).labels_hash != stored_run(engine, after).labels_hash
    with session_scope(engine) as s:
        assert runs.load_predictions(s, run_id=before).loc[row, "label"] == given
        assert runs.load_predictions(s, run_id=after).loc[row, "label"] == 1 - given


def test_dev_metrics_per_slice_serve_slice_targets(engine):
    from sklearn.metrics import recall_score

    from core.scoping.targets import parse_target
    from storage.modeling import registry
    from storage.scoping import records as scoping

    project_id, dataset_id = project_with_data(engine)
    with session_scope(engine) as s:
        scoping.add_target(s, project_id=project_id, target=parse_target("recall[colour=red] >= 0.01"))
    run_id, _ = trained_run(engine, dataset_id)
    run = stored_run(engine, run_id)
    with session_scope(engine) as s:
        predictions = runs.load_predictions(s, run_id=run_id)
        frame = datasets.load_frame(s, dataset_id).loc[predictions.index]
        decision = registry.gate_for(s, project_id=project_id, run_id=run_id, metric="f1", margin=0.0)
    red = frame["colour"] == "red"
    assert run.metrics["dev"]["recall[colour=red]"] == pytest.approx(
        recall_score(predictions["label"][red], predictions["prediction"][red]))
    assert "f1[group=a]" in run.metrics["dev"]  # sensitive columns are always scored per value
    assert decision.passed and "recall[colour=red]" in decision.checks[0].condition


def test_a_run_whose_split_is_gone_cannot_look_at_the_test_split(engine):
    from storage.data.tables import Split

    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        s.delete(s.get(Split, stored_run(engine, run_id).split_id))
    with session_scope(engine) as s:
        with pytest.raises(ValueError, match="no longer exists"):
            run_execution.evaluate_on_test(s, project_id=project_id, run_id=run_id)
        assert run_execution.count_test_looks(s, project_id) == 0
