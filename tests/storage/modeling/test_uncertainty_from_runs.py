"""Uncertainty sampling reads the newest finished run trained on the dataset version."""

import numpy as np

from core.labeling.issues import model_probabilities
from core.labeling.sampling import SamplingInputs, sample_batch
from storage.data import datasets
from storage.modeling import runs as model_runs
from storage.db import session_scope
from tests.storage.experiment_factories import project_with_data, trained_run


def test_the_newest_finished_run_scores_the_pool_for_uncertainty_sampling(engine):
    project_id, dataset_id = project_with_data(engine)
    with session_scope(engine) as s:
        assert model_runs.latest_model_run(s, project_id=project_id, dataset_id=dataset_id) is None
    older, _ = trained_run(engine, dataset_id, "logistic_regression")
    newer, status = trained_run(engine, dataset_id, "random_forest")
    assert status == "finished"
    with session_scope(engine) as s:
        run, model = model_runs.latest_model_run(s, project_id=project_id, dataset_id=dataset_id)
        frame = datasets.load_frame(s, dataset_id)
    assert run.id == newer and run.id != older
    pool = frame.index[:40]
    probabilities = model_probabilities(model, frame.loc[pool])
    assert list(probabilities.index) == list(pool)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(probabilities.to_numpy(), model.predict_proba(frame.loc[pool]))
    chosen = sample_batch(pool, size=5, strategy="uncertainty",
                          inputs=SamplingInputs(probabilities=probabilities, measure="least_confidence"),
                          random_state=0)
    confidence = probabilities.max(axis=1)
    assert len(chosen) == 5
    assert confidence[chosen].max() <= confidence.nsmallest(5).max()  # the least sure items (ties either way)
