"""A project with a split dataset, and runs trained on it, for the run and registry tests."""

from core.data.roles import Roles
from core.modeling.training import TrainingConfig
from storage.data import datasets
from storage.project import projects
from storage.db import session_scope
from storage.modeling.execution import execute_run, launch_run, prepare_run
from tests.core.modeling.training_factories import KINDS, assignment_for, labelled_frame


def project_with_data(engine, *, n_rows=300, name="Study"):
    """Return (project id, dataset id) of a project holding a labelled frame and its split."""
    frame = labelled_frame(n_rows)
    with session_scope(engine) as s:
        project = projects.create_project(s, name=name)
        dataset = datasets.add_dataset_version(s, project_id=project.id, name="rows", frame=frame, source="test",
                                               column_kinds=KINDS,
                                               roles=Roles(target="y", sensitive=("group",)).to_dict())
        datasets.save_split(s, dataset_id=dataset.id, assignment=assignment_for(frame), strategy="stratified",
                            seed=0, fractions=(0.6, 0.2, 0.2))
        return project.id, dataset.id


def trained_run(engine, dataset_id, model="logistic_regression", **options):
    """Return (run id, final status) of a run trained to its end."""
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig(model, **options))
        run = launch_run(s, prepared=prepared)
    return run.id, execute_run(engine, run_id=run.id, prepared=prepared)
