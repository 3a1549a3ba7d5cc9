"""MLflow names for a run's numbers: keys MLflow accepts, one per number, mapped back to the app's names."""

import re
from pathlib import Path

import pytest

from core.modeling.mlflow_record import metric_names, run_params, tracking_uri

MLFLOW_KEY = re.compile(r"^[/\w.\- ]*$")  # mlflow/utils/validation.py, without the colon Windows refuses


def test_slice_values_of_user_text_become_keys_mlflow_accepts_and_stay_distinct():
    metrics = {"dev": {"accuracy": 0.9, "recall[region=North/East]": 0.5, "recall[region=North East]": 0.6,
                       "recall[region=North_East]": 0.7, "recall[age=18–30]": 0.8, "recall[name=..]": 0.1,
                       "log_loss": None, "n_rows": 10.0}}
    names = metric_names(metrics, {"fit_seconds": 1.5, "latency_busy": True})
    assert names == {
        "dev/accuracy": "dev: accuracy", "dev/slice/region_North_East/recall": "dev: recall[region=North/East]",
        "dev/slice/region_North East/recall": "dev: recall[region=North East]",
        "dev/slice/region_North_East/recall.2": "dev: recall[region=North_East]",
        "dev/slice/age_18_30/recall": "dev: recall[age=18–30]", "dev/slice/name___/recall": "dev: recall[name=..]",
        "dev/n_rows": "dev: n_rows", "timing/fit_seconds": "timing: fit_seconds", "model_size_bytes": "model_size"}
    for key in names:  # no `..`, no leading or doubled slash: MLflow's path check
        assert MLFLOW_KEY.match(key) and "//" not in key and ".." not in key.split("/")


def test_the_config_is_flattened_into_text_parameters():
    config = {"model": "mlp", "params": {"alpha": 0.001, "hidden": [10, 5]}, "include_sensitive": ["sex"],
              "cv_folds": 0}
    assert run_params(config) == {"model": "mlp", "include_sensitive": '["sex"]', "cv_folds": "0",
                                  "params.alpha": "0.001", "params.hidden": "[10, 5]"}


def test_a_folder_becomes_an_absolute_file_uri_and_an_address_stays_as_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert tracking_uri(" runs ") == (tmp_path / "runs").resolve().as_uri()
    assert tracking_uri("~/mlruns") == (Path.home() / "mlruns").as_uri()
    for typed in ("http://localhost:5000", "https://mlflow.example.org", "sqlite:///x/mlflow.db", "file:///tmp/m"):
        assert tracking_uri(typed) == typed
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        tracking_uri("f.txt")
    with pytest.raises(ValueError, match="Type where to send the runs"):
        tracking_uri("")
