"""Run downloads: the skops file loads with the listed trusted types and predicts as stored; the text's
loading code runs as written; predictions read back equal the stored ones."""

import io
import os
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sqlmodel import select

from core.modeling.artifacts import TRUSTED_TYPES, ArtifactRefused
from storage.data.datasets import load_frame
from storage.db import session_scope
from storage.modeling.export import model_download, predictions_download
from storage.modeling.runs import RunError, get_run, load_predictions
from storage.modeling.tables import ModelArtifact
from tests.storage.experiment_factories import project_with_data, trained_run

AT = datetime(2026, 7, 8, 9, 10, 11, tzinfo=UTC)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('runs') / 'runs.db'}")
    project_id, dataset_id = project_with_data(engine, name="Study: α/β")
    run_id, status = trained_run(engine, dataset_id, model="random_forest")
    assert status == "finished"
    with session_scope(engine) as s:
        model_file, text = model_download(s, run_id, project_id=project_id, at=AT)
        frame, stored = load_frame(s, dataset_id), load_predictions(s, run_id=run_id, split="dev")
        features = get_run(s, run_id).details["features"]
    yield engine, project_id, run_id, model_file, text.data.decode("utf-8"), frame, stored, features
    engine.dispose()


def test_the_model_file_loads_with_the_trusted_types_and_predicts_as_stored(trained):
    _, _, _, model_file, _, frame, stored, features = trained
    model = sio.loads(model_file.data, trusted=list(TRUSTED_TYPES))
    rows = frame.loc[stored.index, [*features["numeric"], *features["categorical"]]]
    assert list(model.predict(rows)) == list(stored["prediction"])
    assert model_file.file_name == "Study_rows-v1-run-1-model_20260708-091011Z.skops"


def test_the_texts_loading_code_runs_as_written_and_names_inputs_and_classes(trained, tmp_path):
    _, _, _, model_file, text, frame, stored, features = trained
    (tmp_path / model_file.file_name).write_bytes(model_file.data)
    lines = text.splitlines()
    code = "\n".join(lines[lines.index("import pandas as pd"):lines.index(next(
        line for line in lines if line.startswith("model = sio.load")))+1])
    namespace, here = {}, os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(code, namespace)  # the snippet exactly as the user reads it
    finally:
        os.chdir(here)
    model = namespace["model"]
    inputs = [line[2:].split(":")[0] for line in lines if line.startswith("- ")]
    assert inputs == [*features["numeric"], *features["categorical"]] == ["x1", "x2", "colour"]
    assert "- x1: numeric, read as a number" in lines and "- colour: categorical, read as a category" in lines
    assert [line.split(". ", 1)[1] for line in lines if line[:1].isdigit()] == list(map(str, model.classes_))
    assert list(model.predict(frame.loc[stored.index, inputs])) == list(stored["prediction"])


def test_columns_beyond_the_inputs_are_ignored_as_the_text_says(trained):
    _, _, _, model_file, _, frame, stored, _ = trained
    model = sio.loads(model_file.data, trusted=list(TRUSTED_TYPES))
    assert list(model.predict(frame.loc[stored.index])) == list(stored["prediction"])


def test_dev_predictions_read_back_equal_the_stored_ones(trained):
    engine, project_id, run_id, *_, stored, _ = trained
    with session_scope(engine) as s:
        file = predictions_download(s, run_id, project_id=project_id, split="dev", at=AT)
    read = pd.read_csv(io.BytesIO(file.data), index_col="row_id")
    assert list(read.columns) == list(stored.columns)
    assert list(read.index) == list(stored.index)
    assert list(read["prediction"]) == list(stored["prediction"])
    np.testing.assert_allclose(read.filter(like="proba_").to_numpy(), stored.filter(like="proba_").to_numpy())
    assert file.file_name == "Study_rows-v1-run-1-dev-predictions_20260708-091011Z.csv"


def test_test_predictions_before_a_test_look_are_refused_with_the_reason(trained):
    engine, project_id, run_id, *_ = trained
    with session_scope(engine) as s, pytest.raises(RunError, match="Run 1"):
        predictions_download(s, run_id, project_id=project_id, split="test")


def test_a_damaged_model_is_not_offered(tmp_path):
    from storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'damaged.db'}")
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        artifact = s.exec(select(ModelArtifact).where(ModelArtifact.run_id == run_id)).one()
        artifact.data = bytes(artifact.data[:-1]) + bytes([artifact.data[-1] ^ 0xFF])
    with session_scope(engine) as s, pytest.raises(ArtifactRefused, match="damaged"):
        model_download(s, run_id, project_id=project_id)
    engine.dispose()
