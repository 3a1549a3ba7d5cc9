import numpy as np
import pandas as pd
import pytest

from core.baselines.literature import literature_value
from core.baselines.prediction_file import PredictionFileError
from storage.baselines import records as baselines, old_models
from storage.data import datasets
from storage.project import projects
from storage.db import session_scope
from storage.baselines.tables import Baseline
from tests.storage.factories import small_frame

KINDS = {"x": "numeric", "colour": "categorical", "y": "categorical"}


def make_dataset(engine, *, with_split=True, source="upload"):
    frame = small_frame(200)
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Study")
        dataset = datasets.add_dataset_version(s, project_id=project.id, name="d", frame=frame, source=source,
                                               column_kinds=KINDS, roles={"target": "y"})
        if with_split:
            assignment = pd.Series(np.where(frame.index % 4 == 0, "dev", "train"), index=frame.index)
            datasets.save_split(s, dataset_id=dataset.id, assignment=assignment, strategy="random", seed=0,
                                fractions=(0.75, 0.25, 0.0))
        return project.id, dataset.id, frame


def rows(engine, project_id):
    with session_scope(engine) as s:
        return baselines.list_baselines(s, project_id)


def test_model_baselines_are_stored_with_metrics_classes_and_slices(engine):
    project_id, dataset_id, frame = make_dataset(engine)
    with session_scope(engine) as s:
        baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["most_frequent", "logistic_regression"])
    stored = rows(engine, project_id)
    assert [(b.kind, b.name) for b in stored] == [("dummy", "Most frequent class"), ("simple_model", "Logistic regression")]
    dev = frame[frame.index % 4 == 0]
    majority = frame.loc[frame.index % 4 != 0, "y"].mode()[0]
    assert stored[0].metrics["accuracy"] == pytest.approx((dev["y"] == majority).mean())
    assert stored[0].n_items == len(dev)
    scores = baselines.baseline_scores(stored[1])
    assert set(scores.slices["colour"]) == set(dev["colour"])
    assert sum(s.n for s in scores.slices["colour"].values()) == len(dev)


def test_computing_again_replaces_and_keeps_the_primary_mark(engine):
    project_id, dataset_id, _ = make_dataset(engine)
    with session_scope(engine) as s:
        first = baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["stratified"], random_state=1)[0]
        baselines.mark_primary(s, project_id=project_id, baseline_id=first.id)
    with session_scope(engine) as s:
        baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["stratified"], random_state=2)
    stored = rows(engine, project_id)
    assert len(stored) == 1 and stored[0].is_primary and "seed 2" in stored[0].source_note


def test_primary_is_the_marked_one_else_the_newest_human_level(engine):
    project_id, dataset_id, _ = make_dataset(engine)
    with session_scope(engine) as s:
        dummy, model = baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["prior", "logistic_regression"])
        assert baselines.primary_baseline(s, project_id) is None
        s.add(Baseline(project_id=project_id, dataset_id=dataset_id, kind="hlp", name="Human-level"))
        s.flush()
        assert baselines.primary_baseline(s, project_id).kind == "hlp"
        baselines.mark_primary(s, project_id=project_id, baseline_id=dummy.id)
        baselines.mark_primary(s, project_id=project_id, baseline_id=model.id)
        assert baselines.primary_baseline(s, project_id).id == model.id
    assert [b.is_primary for b in rows(engine, project_id)] == [False, True, False]


def test_no_split_is_refused_and_stores_nothing(engine):
    project_id, dataset_id, _ = make_dataset(engine, with_split=False)
    with pytest.raises(baselines.BaselineError, match="no train/dev/test split"):
        with session_scope(engine) as s:
            baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["prior"])
    assert rows(engine, project_id) == []


def perfect_predictions(frame) -> str:
    """A predictions file that gets every dev row of `make_dataset` right."""
    dev = frame[frame.index % 4 == 0]
    return "row_id,prediction\n" + "".join(f"{i},{y}\n" for i, y in dev["y"].items())


def test_a_predictions_file_is_stored_and_a_bad_one_is_not(engine):
    project_id, dataset_id, frame = make_dataset(engine)
    good = perfect_predictions(frame)
    with session_scope(engine) as s:
        old_models.add_predictions_file_baseline(s, dataset_id=dataset_id, name="Vendor model", data=good.encode(),
                                                filename="vendor.csv")
    bad = good + "9999,1\n"
    with pytest.raises(PredictionFileError, match="not in this dataset version"):
        with session_scope(engine) as s:
            old_models.add_predictions_file_baseline(s, dataset_id=dataset_id, name="Broken", data=bad.encode(),
                                                    filename="broken.csv")
    stored = rows(engine, project_id)
    assert [(b.kind, b.name, b.metrics["accuracy"]) for b in stored] == [("old_model", "Vendor model", 1.0)]


def test_legacy_rule_needs_a_scenario_that_has_one(engine):
    _, dataset_id, _ = make_dataset(engine, source="scenario:digits")
    with pytest.raises(old_models.BaselineError, match="no scenario with a legacy model"):
        with session_scope(engine) as s:
            old_models.add_legacy_baseline(s, dataset_id=dataset_id)


def test_literature_values_are_kept_per_project_and_not_repeated(engine):
    project_id, dataset_id, _ = make_dataset(engine)
    entry = literature_value(metric="accuracy", value="0.93", citation="LeCun et al. 1998", note="MNIST, not ours")
    with session_scope(engine) as s:
        baselines.add_literature_baseline(s, project_id=project_id, entry=entry)
    with pytest.raises(baselines.BaselineError, match="already a literature baseline"):
        with session_scope(engine) as s:
            baselines.add_literature_baseline(s, project_id=project_id, entry=entry)
    with session_scope(engine) as s:
        listed = baselines.list_baselines(s, project_id, dataset_id=dataset_id)
    assert [(b.kind, b.metrics, b.citation, b.dataset_id) for b in listed] == [
        ("literature", {"accuracy": 0.93}, "LeCun et al. 1998", None)]


def test_delete_and_project_delete_remove_baselines_and_log_events(engine):
    project_id, dataset_id, _ = make_dataset(engine)
    with session_scope(engine) as s:
        first, second = baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["prior", "stratified"])
        assert baselines.delete_baseline(s, project_id=project_id, baseline_id=first.id) == "Class prior"
    with pytest.raises(baselines.BaselineError, match="already deleted"):
        with session_scope(engine) as s:
            baselines.delete_baseline(s, project_id=project_id, baseline_id=first.id)
    with session_scope(engine) as s:
        actions = set(projects.list_events(s, project_id)["what"])
        assert {"computed baseline", "deleted baseline"} <= actions
        projects.delete_project(s, project_id=project_id)
    with session_scope(engine) as s:
        assert s.get(Baseline, second.id) is None


def test_an_earlier_run_scores_as_its_own_dev_metrics(engine):
    from core.modeling.training import TrainingConfig
    from storage.modeling.execution import execute_run, launch_run, prepare_run
    from storage.modeling.runs import get_run

    project_id, dataset_id, _ = make_dataset(engine)
    with session_scope(engine) as s:
        assert old_models.comparable_runs(s, dataset_id=dataset_id) == []
        prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig(model="logistic_regression"))
        run_id = launch_run(s, prepared=prepared).id
    assert execute_run(engine, run_id=run_id, prepared=prepared) == "finished"
    with session_scope(engine) as s:
        assert [r.id for r in old_models.comparable_runs(s, dataset_id=dataset_id)] == [run_id]
        row = old_models.add_run_baseline(s, dataset_id=dataset_id, run_id=run_id)
        run = get_run(s, run_id)
    assert row.name == "Run 1 · logistic_regression" and row.kind == "old_model"
    for metric in ("accuracy", "balanced_accuracy", "f1", "roc_auc"):  # the Experiments evaluation agrees
        assert row.metrics[metric] == pytest.approx(run.metrics["dev"][metric])


def test_a_run_on_an_older_split_is_refused(engine):
    from core.modeling.training import TrainingConfig
    from storage.modeling.execution import execute_run, launch_run, prepare_run

    project_id, dataset_id, frame = make_dataset(engine)
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig(model="logistic_regression"))
        run_id = launch_run(s, prepared=prepared).id
    execute_run(engine, run_id=run_id, prepared=prepared)
    with session_scope(engine) as s:
        assignment = pd.Series(np.where(frame.index % 3 == 0, "dev", "train"), index=frame.index)
        datasets.save_split(s, dataset_id=dataset_id, assignment=assignment, strategy="random", seed=1,
                            fractions=(0.67, 0.33, 0.0))
    with pytest.raises(old_models.BaselineError, match="not trained and scored on the current split"):
        with session_scope(engine) as s:
            old_models.add_run_baseline(s, dataset_id=dataset_id, run_id=run_id)
    assert rows(engine, project_id) == []


def test_a_predictions_file_without_a_name_is_named_after_the_file(engine):
    _, dataset_id, frame = make_dataset(engine)
    with session_scope(engine) as s:
        row = old_models.add_predictions_file_baseline(s, dataset_id=dataset_id, name="  ",
                                                       data=perfect_predictions(frame).encode(), filename="vendor.csv")
    assert row.name == "vendor.csv"


def test_export_and_import_carry_baselines_with_their_dataset_and_split(engine):
    from storage import transfer

    project_id, dataset_id, _ = make_dataset(engine)
    with session_scope(engine) as s:
        (stored,) = baselines.compute_model_baselines(s, dataset_id=dataset_id, names=["prior"])
        baselines.mark_primary(s, project_id=project_id, baseline_id=stored.id)
    imported = transfer.import_project(engine, transfer.export_project(engine, project_id))
    with session_scope(engine) as s:
        (copy,) = baselines.list_baselines(s, imported.id)
        (dataset,) = datasets.list_datasets(s, imported.id)
        split = datasets.latest_split(s, dataset.id)
    assert (copy.dataset_id, copy.split_id, copy.is_primary) == (dataset.id, split.id, True)
    assert copy.metrics == stored.metrics and copy.slices == stored.slices
