"""A loan-approval project with a split, a champion and a candidate run, for the deployment tests."""

from core.data.splits import make_splits
from core.modeling.training import TrainingConfig
from pages.components.data.intake import store_scenario
from storage.data import datasets
from storage.db import session_scope
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.registry import promote
from storage.project import projects


def loan_project(engine, *, n_rows=3_000, name="Loans"):
    """Return (project id, dataset id) of a loan_approval project with a stratified split."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name=name, source="loan_approval")
        dataset = store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="analyst",
                                 n_rows=n_rows).dataset
        frame = datasets.load_frame(s, dataset.id)
        assignment = make_splits(frame, strategy="stratified", target="approved", fractions=(0.6, 0.2, 0.2),
                                 random_state=0)
        datasets.save_split(s, dataset_id=dataset.id, assignment=assignment, strategy="stratified", seed=0,
                            fractions=(0.6, 0.2, 0.2))
        return project.id, dataset.id


def train(engine, dataset_id, model="logistic_regression", **options) -> int:
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig(model, **options))
        run = launch_run(s, prepared=prepared)
    assert execute_run(engine, run_id=run.id, prepared=prepared) == "finished"
    return run.id


def make_champion(engine, project_id, run_id):
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=run_id, override_reason="first model for the deployment tests")
