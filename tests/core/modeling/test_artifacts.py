import hashlib
import os

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from core.modeling.artifacts import Artifact, ArtifactRefused, dump_model, load_model
from core.modeling.catalog import MODELS
from core.modeling.training import TrainingConfig, fit_pipeline
from tests.core.modeling.training_factories import training_data


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("model", list(MODELS))
def test_every_catalog_model_round_trips_through_the_trusted_list(model, n_classes):
    _, plan, data = training_data(n_classes=n_classes)
    config = TrainingConfig(model, params={"n_estimators": 20} if model == "random_forest" else {},
                            balance_classes=model != "knn")
    fitted = fit_pipeline(plan, config, data.train_X, data.train_y)
    artifact = dump_model(fitted)
    assert artifact.sha256 == hashlib.sha256(artifact.data).hexdigest() and artifact.format == "skops"
    loaded = load_model(artifact)
    assert np.array_equal(loaded.predict_proba(data.dev_X), fitted.predict_proba(data.dev_X))


def test_an_artifact_holding_an_untrusted_type_is_refused_unloaded():
    # A pipeline step calling os.system: skops would rebuild that call, so it must never be trusted.
    hostile = make_pipeline(FunctionTransformer(os.system))
    data = sio.dumps(hostile)
    with pytest.raises(ArtifactRefused, match=r"types the app does not trust \(.*system"):
        load_model(Artifact(data, hashlib.sha256(data).hexdigest()))


def test_damaged_foreign_and_unreadable_artifacts_are_refused():
    artifact = dump_model(make_pipeline(FunctionTransformer()))
    with pytest.raises(ArtifactRefused, match="checksum does not match"):
        load_model(Artifact(artifact.data + b"x", artifact.sha256))
    with pytest.raises(ArtifactRefused, match="format “pickle”"):
        load_model(Artifact(artifact.data, artifact.sha256, "pickle"))
    junk = b"not a zip file"
    with pytest.raises(ArtifactRefused, match="cannot be read"):
        load_model(Artifact(junk, hashlib.sha256(junk).hexdigest()))
