"""The Experiments page sends chosen runs to MLflow, and says how to install MLflow when it is missing."""

import pytest

from core.modeling.training import TrainingConfig
from pages.components.modeling import mlflow as mlflow_widget
from storage.data.datasets import list_datasets
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.runs import get_run
from storage.db import session_scope
from tests.pages.conftest import read, texts
from tests.pages.test_experiments import open_page, project_id  # noqa: F401 (a fixture)

mlflow = pytest.importorskip("mlflow")


@pytest.fixture
def trained(engine, project_id):
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=list_datasets(s, project_id)[0].id,
                               config=TrainingConfig("logistic_regression"))
        run_id = launch_run(s, prepared=prepared, notes="first try").id
    assert execute_run(engine, run_id=run_id, prepared=prepared) == "finished"
    return run_id


def test_chosen_runs_are_sent_to_a_folder_and_read_back_equal(app, engine, project_id, trained, tmp_path):
    at = open_page(app)
    at.multiselect(key="exp.mlflow.runs").select(trained)
    at.text_input(key="exp.mlflow.where").input(str(tmp_path / "store"))
    at = at.button(key="exp.mlflow.send").click().run()
    assert not at.exception and not at.error
    uri = (tmp_path / "store").resolve().as_uri()
    assert f"Sent Run 1 to the experiment “Cancer” at {uri}." in texts(at.success)
    assert f"mlflow ui --backend-store-uri {uri}" in at.code[-1].value
    client = mlflow.MlflowClient(tracking_uri=uri)
    [found] = client.search_runs([client.get_experiment_by_name("Cancer").experiment_id])
    stored = read(engine, lambda s: get_run(s, trained))
    assert found.info.run_name == "Run 1" and found.data.tags["mlflow.note.content"] == "first try"
    assert found.data.metrics["dev/accuracy"] == stored.metrics["dev"]["accuracy"]
    assert found.data.params["model"] == "logistic_regression"


def test_without_a_place_or_a_run_the_page_says_what_is_missing(app, engine, project_id, trained, tmp_path):
    at = open_page(app).button(key="exp.mlflow.send").click().run()
    assert "Choose at least one finished run to send to MLflow." in texts(at.error)
    at.multiselect(key="exp.mlflow.runs").select(trained)
    at = at.button(key="exp.mlflow.send").click().run()
    assert "Type where to send the runs" in texts(at.error)
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("test.db")]  # only the database: no store


def test_without_mlflow_installed_the_page_explains_the_install_instead_of_the_button(app, engine, project_id,
                                                                                       trained, monkeypatch):
    monkeypatch.setattr(mlflow_widget, "mlflow_available", lambda: False)
    at = open_page(app)
    assert not at.exception
    assert "MLflow's client, which is optional and not installed here" in texts(at.info)
    assert "pip install -r requirements-mlflow.txt" in [c.value for c in at.code]
    assert not [b for b in at.button if b.key == "exp.mlflow.send"]
