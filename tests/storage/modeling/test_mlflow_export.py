"""Runs sent to a real local MLflow store and read back with MLflow's own client: every parameter and
metric equal to the stored run, tags and dataset inputs as said, and the model artifact predicting as stored."""

import json
from pathlib import Path

import pytest
import skops.io as sio

from core.modeling.artifacts import TRUSTED_TYPES
from core.modeling.training import TrainingConfig
from storage.data.datasets import load_frame
from storage.db import make_engine, session_scope
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.mlflow_export import MlflowExportError, send_runs_to_mlflow
from storage.modeling.runs import get_run, load_predictions
from storage.project.projects import list_events
from tests.storage.experiment_factories import project_with_data

mlflow = pytest.importorskip("mlflow")  # requirements-dev.txt installs it; the app runs without it
NOTES = "Baseline forest; *not* Markdown"


def _run(engine, dataset_id, config, **launch):
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=config)
        run = launch_run(s, prepared=prepared, **launch)
    assert execute_run(engine, run_id=run.id, prepared=prepared) == "finished"
    return run.id


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """Two runs of a project whose name needs escaping, sent to a folder given as a plain path."""
    folder = tmp_path_factory.mktemp("mlflow") / "store"
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'runs.db'}")
    project_id, dataset_id = project_with_data(engine, name="Study: α/β")
    forest = _run(engine, dataset_id, TrainingConfig("random_forest", params={"n_estimators": 30}, cv_folds=3),
                  notes=NOTES, tags=["baseline", "x=1"])
    linear = _run(engine, dataset_id, TrainingConfig("logistic_regression", balance_classes=True))
    with session_scope(engine) as s:
        result = send_runs_to_mlflow(s, [forest, linear], project_id=project_id, where=str(folder), actor="ann")
    yield engine, project_id, dataset_id, {"Run 1": forest, "Run 2": linear}, result, folder
    engine.dispose()


def _client(result):
    return mlflow.MlflowClient(tracking_uri=result.uri)


def _stored(engine, run_id):
    with session_scope(engine) as s:
        return get_run(s, run_id)


def test_the_runs_land_in_the_project_experiment_of_the_folder_store(sent):
    engine, _, _, runs, result, folder = sent
    assert result.uri == folder.resolve().as_uri() and folder.is_dir()
    experiment = _client(result).get_experiment_by_name("Study: α/β")
    assert experiment is not None and result.experiment == "Study: α/β"
    found = _client(result).search_runs([experiment.experiment_id])
    assert sorted(r.info.run_name for r in found) == ["Run 1", "Run 2"]
    assert {r.info.status for r in found} == {"FINISHED"}
    with session_scope(engine) as s:
        events = list_events(s, sent[1])
    assert "sent runs to MLflow" in set(events["what"])


def _expected_params(config):
    # The documented flattening: config keys as they are, hyperparameters under params., values as text.
    plain = {k: json.dumps(v) if isinstance(v, list) else str(v) for k, v in config.items() if k != "params"}
    return plain | {f"params.{k}": str(v) for k, v in config["params"].items()}


@pytest.mark.parametrize("label", ["Run 1", "Run 2"])
def test_every_parameter_equals_the_runs_config(sent, label):
    engine, _, _, runs, result, _ = sent
    stored = _stored(engine, runs[label])
    run = _client(result).get_run(dict(result.runs)[label])
    assert run.data.params == _expected_params(stored.config)
    assert run.data.params["params.n_estimators" if label == "Run 1" else "balance_classes"] == \
        ("30" if label == "Run 1" else "True")


@pytest.mark.parametrize("label", ["Run 1", "Run 2"])
def test_every_metric_equals_the_stored_one_under_the_names_the_map_gives(sent, label, tmp_path):
    engine, _, _, runs, result, _ = sent
    stored, client = _stored(engine, runs[label]), _client(result)
    mlflow_run_id = dict(result.runs)[label]
    names = json.loads(Path(client.download_artifacts(mlflow_run_id, "workbench/metric_names.json", tmp_path))
                       .read_text(encoding="utf-8"))
    logged = client.get_run(mlflow_run_id).data.metrics
    expected = {f"{split}: {name}": value for split, scores in stored.metrics.items() for name, value in scores.items()
                if isinstance(value, (int, float)) and not isinstance(value, bool)}
    expected |= {f"timing: {name}": value for name, value in stored.timings.items()
                 if isinstance(value, (int, float)) and not isinstance(value, bool)}
    expected["model_size"] = stored.model_size
    assert set(logged) == set(names)
    assert {names[key]: value for key, value in logged.items()} == pytest.approx(expected, rel=1e-12)
    assert logged["dev/accuracy"] == stored.metrics["dev"]["accuracy"]
    assert logged["dev/slice/group_a/recall"] == stored.metrics["dev"]["recall[group=a]"]  # per slice too


def test_tags_carry_the_project_run_notes_tags_and_full_hashes(sent):
    engine, _, _, runs, result, _ = sent
    stored = _stored(engine, runs["Run 1"])
    tags = _client(result).get_run(dict(result.runs)["Run 1"]).data.tags
    assert tags["workbench.project"] == "Study: α/β" and tags["workbench.run"] == "Run 1"
    assert tags["mlflow.note.content"] == NOTES and json.loads(tags["workbench.tags"]) == ["baseline", "x=1"]
    assert (tags["workbench.dataset_hash"], tags["workbench.labels_hash"]) == (stored.dataset_hash, stored.labels_hash)
    assert tags["workbench.dataset"] == "rows v1" and tags["workbench.model"] == "Random forest"


def test_the_dataset_and_label_snapshot_are_dataset_inputs(sent):
    engine, _, _, runs, result, _ = sent
    stored = _stored(engine, runs["Run 2"])
    inputs = _client(result).get_run(dict(result.runs)["Run 2"]).inputs.dataset_inputs
    found = {i.tags[0].value: i.dataset for i in inputs}
    assert set(found) == {"training", "labels"}
    assert (found["training"].name, found["training"].digest) == ("rows v1", stored.dataset_hash[:16])
    assert (found["labels"].name, found["labels"].digest) == ("rows v1 labels", stored.labels_hash[:16])
    assert json.loads(found["training"].source)["label_snapshot_hash"] == stored.labels_hash


def test_the_model_artifact_loads_with_the_trusted_types_and_predicts_as_stored(sent, tmp_path):
    engine, _, dataset_id, runs, result, _ = sent
    client = _client(result)
    mlflow_run_id = dict(result.runs)["Run 1"]
    [skops_file] = [a.path for a in client.list_artifacts(mlflow_run_id, "model") if a.path.endswith(".skops")]
    assert skops_file == f"model/{Path(skops_file).name}" and Path(skops_file).name.startswith("Study_rows-v1-run-1-model_")
    model = sio.load(client.download_artifacts(mlflow_run_id, skops_file, tmp_path), trusted=list(TRUSTED_TYPES))
    with session_scope(engine) as s:
        frame, stored = load_frame(s, dataset_id), load_predictions(s, run_id=runs["Run 1"], split="dev")
        features = get_run(s, runs["Run 1"]).details["features"]
    rows = frame.loc[stored.index, [*features["numeric"], *features["categorical"]]]
    assert list(model.predict(rows)) == list(stored["prediction"])


def test_bad_requests_are_refused_before_anything_is_sent(sent, tmp_path):
    engine, project_id, _, runs, _, _ = sent
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    cases = [([], "x", "Choose at least one finished run"), ([runs["Run 1"]], "  ", "Type where to send the runs"),
             ([runs["Run 1"]], str(a_file), "is a file, not a folder"),
             ([runs["Run 1"]], "http://127.0.0.1:9", "MLflow at http://127.0.0.1:9 did not take the experiment")]
    for run_ids, where, expected in cases:
        with session_scope(engine) as s, pytest.raises(ValueError) as refused:
            send_runs_to_mlflow(s, run_ids, project_id=project_id, where=where)
        assert expected in str(refused.value)
    assert not list(tmp_path.glob("*/meta.yaml"))  # the refused file path became no store


def test_a_run_that_did_not_finish_is_refused(sent):
    engine, project_id, dataset_id, _, _, _ = sent
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig("logistic_regression"))
        running = launch_run(s, prepared=prepared).id
    with session_scope(engine) as s, pytest.raises(MlflowExportError, match="Run 3 is running: only a finished run"):
        send_runs_to_mlflow(s, [running], project_id=project_id, where="ignored")
