"""Audits and deployments are numbered within their project, as runs are, and keep their numbers through import."""

import threading
import time

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from core.deployment.plans import RolloutSettings
from storage import transfer
from storage.db import session_scope
from storage.deployment import deployments, sides
from storage.deployment.tables import Deployment, deployment_label
from storage.fairness import audits
from storage.fairness.tables import Audit, audit_label
from storage.modeling.registry import promote
from storage.project import projects
from tests.storage.experiment_factories import project_with_data, trained_run
from tests.storage.import_factories import save_an_audit


def project_with_runs(engine, name):
    """Return (project id, champion run id, candidate run id) of a small project with two finished runs."""
    project_id, dataset_id = project_with_data(engine, name=name)
    champion, _ = trained_run(engine, dataset_id)
    candidate, _ = trained_run(engine, dataset_id, "knn")
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=champion, override_reason="the first model")
    return project_id, champion, candidate


def start_shadow(engine, project_id, champion, candidate) -> int:
    """Record a shadow deployment (not replayed) and return its id."""
    with session_scope(engine) as s:
        prepared = deployments.prepare_deployment(
            s, project_id=project_id, case="replacing", champion_choice=f"run:{champion}",
            candidate_run_id=candidate, stream_choice=sides.StreamChoice("test_split", n_requests=40),
            settings=RolloutSettings(mode="shadow", step_requests=20, batch_size=10, min_labels=10))
        return deployments.start_deployment(s, prepared=prepared).id


def audit(engine, project_id, run_id) -> int:
    with session_scope(engine) as s:
        save_an_audit(s, project_id, run_id)
        return audits.list_audits(s, project_id)[0].id


def numbers(engine, table, project_id):
    with session_scope(engine) as s:
        rows = s.exec(select(table).where(table.project_id == project_id).order_by(table.id)).all()
        return [(row.id, row.number) for row in rows]


@pytest.fixture
def two_projects(engine):
    """A first project with two audits and two deployments, then a second with one of each."""
    first = project_with_runs(engine, "First")
    for _ in range(2):
        audit(engine, first[0], first[1])
        start_shadow(engine, *first)
    second = project_with_runs(engine, "Second")
    audit_id = audit(engine, second[0], second[1])
    deployment_id = start_shadow(engine, *second)
    return first[0], second[0], audit_id, deployment_id


def test_a_second_project_numbers_its_audits_and_deployments_from_1(engine, two_projects):
    first, second, audit_id, deployment_id = two_projects
    assert [n for _, n in numbers(engine, Audit, first)] == [1, 2]
    assert [n for _, n in numbers(engine, Deployment, first)] == [1, 2]
    assert numbers(engine, Audit, second) == [(audit_id, 1)] and audit_id > 2
    assert numbers(engine, Deployment, second) == [(deployment_id, 1)] and deployment_id > 2
    with session_scope(engine) as s:
        details = list(projects.list_events(s, second)["details"])
        shown = (audit_label(s.get(Audit, audit_id)), deployment_label(s.get(Deployment, deployment_id)))
    assert shown == ("Audit 1", "Deployment 1")
    assert any(d.startswith("audit: Audit 1, run: Run 1, split: dev") for d in details)
    assert any(d.startswith("deployment: Deployment 1, mode: shadow") for d in details)


def test_messages_name_the_audit_and_the_deployment_by_number(engine, two_projects):
    _, second, audit_id, deployment_id = two_projects
    with session_scope(engine) as s:
        audits.sign_audit(s, project_id=second, audit_id=audit_id, reviewer="Pat", decision="approve",
                          confirmed=("ethics.concerns", "ethics.failure_modes"))
    with pytest.raises(audits.AuditLocked, match=r"^Audit 1 was already signed by Pat"), session_scope(engine) as s:
        audits.sign_audit(s, project_id=second, audit_id=audit_id, reviewer="Sam", decision="reject")
    with pytest.raises(ValueError, match=r"^Deployment 1 is running; only a paused"), session_scope(engine) as s:
        deployments.roll_back_by_hand(s, project_id=second, deployment_id=deployment_id)
    with pytest.raises(ValueError, match=r"^The chosen deployment does not exist in this project"):
        with session_scope(engine) as s:
            deployments.get_deployment(s, 1, project_id=second)  # the first project's Deployment 1


def test_an_imported_project_keeps_its_numbers_and_counts_on_from_them(engine, two_projects):
    _, second, _, _ = two_projects
    imported = transfer.import_project(engine, transfer.export_project(engine, second)).id
    audits_in, deployments_in = numbers(engine, Audit, imported), numbers(engine, Deployment, imported)
    assert [n for _, n in audits_in] == [1] and [n for _, n in deployments_in] == [1]
    assert audits_in[0][0] > 3 and deployments_in[0][0] > 3  # fresh ids, the same numbers
    with session_scope(engine) as s:
        run_id = s.exec(select(Audit.run_id).where(Audit.project_id == imported)).one()
        champion, candidate = (d for d in s.exec(select(Deployment.champion_run_id, Deployment.challenger_run_id)
                                                 .where(Deployment.project_id == imported)).one())
    audit(engine, imported, run_id)
    start_shadow(engine, imported, champion, candidate)
    assert [n for _, n in numbers(engine, Audit, imported)] == [1, 2]
    assert [n for _, n in numbers(engine, Deployment, imported)] == [1, 2]


def add_deployment(session, project_id, number) -> None:
    session.add(Deployment(project_id=project_id, number=number, case="replacing", mode="canary",
                           champion="legacy_rule"))
    session.flush()


def test_two_deployments_of_one_project_cannot_share_a_number(engine):
    project_id, _ = project_with_data(engine)
    with session_scope(engine) as s:
        add_deployment(s, project_id, 1)
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        add_deployment(s, project_id, 1)


@pytest.mark.parametrize("table", [Audit, Deployment])
def test_records_started_at_once_from_several_sessions_take_different_numbers(engine, table):
    project_id, _ = project_with_data(engine)
    taken, errors = [], []

    def insert():
        try:
            with session_scope(engine) as s:
                number = projects.take_number(s, table, project_id)
                time.sleep(0.05)  # another session reading the highest number now must wait for this one
                s.add(_row(table, project_id, number))
                taken.append(number)
        except Exception as error:  # noqa: BLE001 — collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=insert) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(taken) == [1, 2, 3, 4, 5, 6]
    assert sorted(n for _, n in numbers(engine, table, project_id)) == [1, 2, 3, 4, 5, 6]


def _row(table, project_id, number):
    if table is Deployment:
        return Deployment(project_id=project_id, number=number, case="replacing", mode="canary", champion="legacy_rule")
    return Audit(project_id=project_id, number=number, dataset_hash="h", labels_hash="h", split="dev")
