"""A loan_approval project with a champion and a finished shadow replay, for the monitoring tests."""

import numpy as np
import pandas as pd

from core.data.roles import Roles
from core.deployment.plans import RolloutSettings
from core.modeling.training import TrainingConfig
from core.scoping.targets import parse_target
from storage.data import datasets
from storage.db import session_scope
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.registry import promote
from storage.deployment import deployments, sides
from storage.project import projects
from storage.scoping.records import add_target
from tests.storage.deployment_factories import loan_project, make_champion, train


def add_targets(engine, project_id: int, *texts: str) -> None:
    with session_scope(engine) as s:
        for text in texts:
            add_target(s, project_id=project_id, target=parse_target(text))


def replayed_project(engine, *, n_requests=3_000, name="Loans"):
    """Return (project id, dataset id, champion run id, deployment id) after a shadow replay of a second run."""
    project_id, dataset_id = loan_project(engine, name=name)
    champion = train(engine, dataset_id)
    make_champion(engine, project_id, champion)
    return project_id, dataset_id, champion, shadow_replay(engine, project_id, dataset_id, champion, n_requests)


def shadow_replay(engine, project_id, dataset_id, champion, n_requests=3_000) -> int:
    """Return the id of a finished shadow replay of a small forest beside the champion, on the scenario's stream."""
    candidate = train(engine, dataset_id, "random_forest", params={"n_estimators": 20})
    settings = RolloutSettings(mode="shadow", step_requests=500, batch_size=250, min_labels=30)
    with session_scope(engine) as s:
        prepared = deployments.prepare_deployment(
            s, project_id=project_id, case="replacing", champion_choice=f"run:{champion}", candidate_run_id=candidate,
            stream_choice=sides.StreamChoice("scenario", n_requests=n_requests, start_month=6), settings=settings)
        row = deployments.start_deployment(s, prepared=prepared)
    assert deployments.execute_deployment(engine, deployment_id=row.id, prepared=prepared) == "completed"
    return row.id


def empty_project(engine, name="Empty"):
    with session_scope(engine) as s:
        return projects.create_project(s, name=name).id


def gappy_project(engine):
    """Return (project id, deployment id): a shadow replay of held-out rows with a month without rows and a
    column the held-out rows never fill."""
    rng = np.random.default_rng(0)
    n = 600
    months = np.r_[np.full(400, 0), np.repeat([0, 1, 3], [70, 70, 60])]  # held-out rows: January, February, April
    starts = pd.to_datetime([f"2025-{m + 1:02d}-01" for m in months])
    frame = pd.DataFrame({"t": starts + pd.to_timedelta(rng.integers(0, 28, n), "D"),
                          "x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    frame["y"] = np.where(frame["x1"] + frame["x2"] > 0, "yes", "no")
    frame.loc[400:, "x2"] = np.nan
    frame.index.name = "row_id"
    assignment = pd.Series(np.r_[np.where(np.arange(400) % 4 == 0, "dev", "train"), np.full(200, "test")],
                           index=frame.index, name="split")
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Gappy")
        dataset = datasets.add_dataset_version(s, project_id=project.id, name="rows", frame=frame, source="test",
                                               roles=Roles(target="y", time="t").to_dict())
        datasets.save_split(s, dataset_id=dataset.id, assignment=assignment, strategy="by hand", seed=0,
                            fractions=(0.5, 0.17, 0.33))
        project_id, dataset_id = project.id, dataset.id
    runs = []
    for model in ("logistic_regression", "knn"):
        with session_scope(engine) as s:
            prepared = prepare_run(s, dataset_id=dataset_id, config=TrainingConfig(model))
            run = launch_run(s, prepared=prepared)
        assert execute_run(engine, run_id=run.id, prepared=prepared) == "finished"
        runs.append(run.id)
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=runs[0], override_reason="the first model")
        prepared = deployments.prepare_deployment(
            s, project_id=project_id, case="replacing", champion_choice=f"run:{runs[0]}", candidate_run_id=runs[1],
            stream_choice=sides.StreamChoice("test_split"),
            settings=RolloutSettings(mode="shadow", step_requests=50, batch_size=25, min_labels=10))
        row = deployments.start_deployment(s, prepared=prepared)
    assert deployments.execute_deployment(engine, deployment_id=row.id, prepared=prepared) == "completed"
    return project_id, row.id
