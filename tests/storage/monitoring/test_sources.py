"""What monitoring compares: the champion's training rows and the replay's stream, rebuilt and scored."""

import numpy as np
import pytest

from core.data.splits import make_splits
from storage.data.datasets import latest_split, load_frame, load_split, save_split
from storage.db import make_engine, session_scope
from storage.deployment.log import load_sample
from storage.deployment.tables import Deployment
from storage.modeling.runs import run_label
from storage.modeling.tables import Run
from storage.monitoring.sources import monitored_data
from storage.monitoring.watch import reference_notes, watch_deployment
from tests.storage.deployment_factories import train
from tests.storage.monitoring_factories import replayed_project


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sources') / 'test.db'}")
    yield engine, *replayed_project(engine)
    engine.dispose()


def test_the_reference_is_the_champion_s_train_split(replayed):
    engine, _, dataset_id, champion, deployment_id = replayed
    with session_scope(engine) as s:
        data = monitored_data(s, s.get(Deployment, deployment_id))
        frame = load_frame(s, dataset_id)
        train = load_split(latest_split(s, dataset_id)).reindex(frame.index).eq("train")
    assert data.run.id == champion  # a shadow: the running side served every request
    assert list(data.reference.index) == list(frame.index[train.to_numpy()])
    assert list(data.reference.columns) == data.features and "approved" not in data.features


def test_the_rebuilt_stream_s_scores_equal_the_log_s_sampled_requests(replayed):
    engine, _, _, _, deployment_id = replayed
    with session_scope(engine) as s:
        data = monitored_data(s, s.get(Deployment, deployment_id))
        sample = load_sample(s, deployment_id)
    served = sample[sample["arm"] == "champion"]
    positions = served["position"].to_numpy()
    assert len(data.stream) == 3_000 and len(served) > 100
    assert np.allclose(data.proba.max(axis=1)[positions], served["confidence"].to_numpy())
    assert list(data.predictions[positions].astype(str)) == list(served["prediction"].astype(str))
    assert data.stream.iloc[positions].equals(served[data.features].set_axis(data.stream.index[positions]))


def test_labels_count_only_once_arrived_by_the_end_of_the_replay(replayed):
    engine, _, _, _, deployment_id = replayed
    with session_scope(engine) as s:
        data = monitored_data(s, s.get(Deployment, deployment_id))
    arrives = data.times + np.timedelta64(24, "h")  # the plan's label delay
    assert data.labels.notna().to_numpy().tolist() == (arrives <= data.times.max()).to_numpy().tolist()
    assert 0 < data.labels.isna().sum() < len(data.labels)


def test_a_deployment_without_a_log_says_so(replayed):
    engine, project_id, _, champion, deployment_id = replayed
    with session_scope(engine) as s:
        row = s.get(Deployment, deployment_id)
        running = Deployment(project_id=project_id, number=row.number + 1, case="replacing", mode="shadow", champion=f"run:{champion}",
                             champion_run_id=champion, challenger_run_id=row.challenger_run_id, stream=row.stream)
        s.add(running)
        s.flush()
        with pytest.raises(ValueError, match="has no prediction log yet"):
            monitored_data(s, running)


def test_a_reference_split_across_time_is_said_and_one_split_by_time_is_not(replayed):
    engine, project_id, dataset_id, champion, deployment_id = replayed
    with session_scope(engine) as s:
        notes = watch_deployment(s, project_id=project_id, deployment_id=deployment_id).notes
        label = run_label(s.get(Run, champion))
    assert [n for n in notes if n.startswith(f"{label} was trained on a stratified split")]
    assert "the time column “month”" in " ".join(notes)
    with session_scope(engine) as s:  # a run trained on the earliest months: its reference is the past
        frame = load_frame(s, dataset_id)
        assignment = make_splits(frame, strategy="time", time_column="month", fractions=(0.6, 0.2, 0.2))
        save_split(s, dataset_id=dataset_id, assignment=assignment, strategy="time", seed=0,
                   fractions=(0.6, 0.2, 0.2))
    by_time = train(engine, dataset_id)
    with session_scope(engine) as s:
        assert reference_notes(s, s.get(Run, by_time)) == ()
