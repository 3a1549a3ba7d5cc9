"""A loan_approval project with a champion and a finished shadow replay, for the monitoring tests."""

from core.deployment.plans import RolloutSettings
from core.scoping.targets import parse_target
from storage.db import session_scope
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
    candidate = train(engine, dataset_id, "random_forest", params={"n_estimators": 20})
    settings = RolloutSettings(mode="shadow", step_requests=500, batch_size=250, min_labels=30)
    with session_scope(engine) as s:
        prepared = deployments.prepare_deployment(
            s, project_id=project_id, case="replacing", champion_choice=f"run:{champion}", candidate_run_id=candidate,
            stream_choice=sides.StreamChoice("scenario", n_requests=n_requests, start_month=6), settings=settings)
        row = deployments.start_deployment(s, prepared=prepared)
    assert deployments.execute_deployment(engine, deployment_id=row.id, prepared=prepared) == "completed"
    return project_id, dataset_id, champion, row.id


def empty_project(engine, name="Empty"):
    with session_scope(engine) as s:
        return projects.create_project(s, name=name).id
