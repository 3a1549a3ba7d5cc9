"""AppTest of the positive class: chosen on the Experiments page for a two-class target with string classes,
used by new runs, the baselines and the gate; the default (the last class) keeps earlier numbers."""

import pytest
from sklearn.metrics import f1_score, precision_score, recall_score

from storage.baselines.records import compute_model_baselines
from storage.db import session_scope
from storage.labeling.class_names import save_class_names
from storage.modeling import runs
from storage.project import projects
from storage.scoping.positive import chosen_positive
from tests.pages.conftest import read, texts
from tests.pages.test_experiments import (  # noqa: F401 (project_id is a fixture)
    all_datasets,
    all_runs,
    open_page,
    project_id,
    promote,
    train,
)

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

RADIO = "exp.positive.{project}.diagnosis"


def stored_headline(engine, run, positive):
    """Precision, recall and F1 of the stored dev predictions, by scikit-learn with pos_label."""
    frame = read(engine, lambda s: runs.load_predictions(s, run_id=run.id, split="dev"))
    return [m(frame["label"], frame["prediction"], pos_label=positive) for m in (precision_score, recall_score, f1_score)]


def test_a_chosen_positive_class_scores_new_runs_and_baselines_and_the_gate_refuses_old_ones(app, engine, project_id):
    at = open_page(app)
    radio = at.radio(key=RADIO.format(project=project_id))
    assert radio.options == ["benign", "malignant"] and radio.value == "malignant"  # the default: the last class
    at = train(at, engine, project_id, "logistic_regression")
    (before,) = all_runs(engine, project_id)
    assert [before.metrics["dev"][k] for k in ("precision", "recall", "f1")] == pytest.approx(
        stored_headline(engine, before, "malignant"))

    at.radio(key=RADIO.format(project=project_id)).set_value("benign").run()
    assert "“benign” is now the positive class of diagnosis" in texts(at.success)
    assert read(engine, lambda s: chosen_positive(s, project_id=project_id, target="diagnosis")) == "benign"
    assert "chose the positive class" in set(read(engine, lambda s: projects.list_events(s, project_id))["what"])
    at = train(at, engine, project_id, "logistic_regression")
    after = all_runs(engine, project_id)[0]
    assert after.config["positive_class"] == "benign" and after.details["classes"] == ["malignant", "benign"]
    assert [after.metrics["dev"][k] for k in ("precision", "recall", "f1")] == pytest.approx(
        stored_headline(engine, after, "benign"))
    # The same model and data: accuracy does not depend on the positive class, F1 does.
    assert after.metrics["dev"]["accuracy"] == pytest.approx(before.metrics["dev"]["accuracy"])
    assert after.metrics["dev"]["f1"] != pytest.approx(before.metrics["dev"]["f1"])

    dataset_id = all_datasets(engine, project_id)[0].id
    with session_scope(engine) as s:
        (dummy,) = compute_model_baselines(s, dataset_id=dataset_id, names=["stratified"])
        assert dummy.metrics["f1"] == pytest.approx(dummy.overall["metrics"]["f1"])
    assert dummy.metrics["recall"] == pytest.approx(dummy.overall["class_recall"]["benign"])

    # The run scored with "malignant" no longer means what the project's targets mean.
    at = promote(at, before.id, metric="accuracy", margin=0.0)
    assert "the project's positive class is now “benign”" in texts(at.error)
    at = promote(at, after.id, metric="accuracy", margin=0.0)
    assert f"Run {after.number} is now the champion, through the gate." in texts(at.success)


def test_the_positive_class_picker_shows_the_class_display_names(app, engine, project_id):
    with session_scope(engine) as s:
        save_class_names(s, project_id=project_id, names={"benign": "Harmless", "malignant": "Cancer"},
                         actor="tester")
    at = open_page(app)
    radio = at.radio(key=RADIO.format(project=project_id))
    assert radio.options == ["Harmless", "Cancer"] and radio.value == "malignant"  # stored values never change
    at.radio(key=RADIO.format(project=project_id)).set_value("benign").run()
    assert "“Harmless” is now the positive class of diagnosis" in texts(at.success)
    assert read(engine, lambda s: chosen_positive(s, project_id=project_id, target="diagnosis")) == "benign"
