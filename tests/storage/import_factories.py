"""A project with a row in every table that has a JSON column, exported, and ways to tamper with it.

Hostile project files are made the way an attacker would: export a real project, then edit the
SQLite file with the sqlite3 module.
"""

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from core.baselines.literature import LiteratureValue
from core.deployment.plans import RolloutSettings
from core.errors.slices import Condition, SlicePredicate
from core.fairness.audit import AuditSettings, audit_to_dict, run_audit
from core.fairness.guidance import recommend_parity
from storage import transfer
from storage.baselines.records import add_literature_baseline, compute_model_baselines
from storage.data import datasets
from storage.db import make_engine, session_scope
from storage.deployment import deployments, sides
from storage.errors.slices import save_slice
from storage.fairness import audits
from storage.labeling import batches, class_names, labels
from storage.modeling.execution import evaluate_on_test
from storage.modeling.registry import promote
from storage.monitoring.settings import WindowSettings, save_retrain_policy, save_window_settings
from tests.storage.experiment_factories import project_with_data, trained_run
from tests.storage.labeling.scan_factories import store_a_scan


def full_project_export(folder: Path) -> bytes:
    """Return the export of a project holding rows in every table with a JSON column."""
    engine = make_engine(f"sqlite:///{folder / 'source.db'}")
    try:
        project_id, dataset_id = project_with_data(engine, n_rows=120, name="Full")
        run_id, status = trained_run(engine, dataset_id)
        assert status == "finished"
        with session_scope(engine) as s:
            team = batches.add_demo_labelers(s, dataset_id=dataset_id)
            frame = datasets.load_frame(s, dataset_id)
            batch = batches.plan_batch(s, dataset_id=dataset_id, pool=frame.index, size=6, strategy="random",
                                       labelers=[l.name for l in team], overlap=0.5, random_state=0,
                                       card={"fields": ["colour"], "blind": True})
            assignment = labels.open_assignments(s, batch_id=batch.id, labeler_id=team[0].id)[0]
            labels.record_label(s, assignment_id=assignment.id, value=str(frame.loc[assignment.row_id, "y"]),
                                seconds=2.0)
            store_a_scan(s, dataset_id)
            compute_model_baselines(s, dataset_id=dataset_id, names=["most_frequent"])
            add_literature_baseline(s, project_id=project_id, entry=LiteratureValue(
                metric="accuracy", value=0.8, citation="Doe 2020", note="table 2"))
            evaluate_on_test(s, project_id=project_id, run_id=run_id)
            promote(s, project_id=project_id, run_id=run_id, alias="challenger")
            save_an_audit(s, project_id, run_id)
            classes = class_names.project_classes(s, project_id)
            class_names.save_class_names(s, project_id=project_id, names={c: f"class {c}" for c in classes})
            save_slice(s, project_id=project_id, name="colour red",
                       predicate=SlicePredicate((Condition("colour", "==", "red"),)), dataset_id=dataset_id)
        replay_a_shadow(engine, project_id, dataset_id, run_id)
        return transfer.export_project(engine, project_id)
    finally:
        engine.dispose()


def replay_a_shadow(engine, project_id: int, dataset_id: int, champion_id: int) -> None:
    """Store a short shadow replay of a second run beside the first, promoted champion by override."""
    candidate_id, status = trained_run(engine, dataset_id, "random_forest", params={"n_estimators": 10})
    assert status == "finished"
    with session_scope(engine) as s:
        promote(s, project_id=project_id, run_id=champion_id, override_reason="the only model so far")
        prepared = deployments.prepare_deployment(
            s, project_id=project_id, case="replacing", champion_choice=f"run:{champion_id}",
            candidate_run_id=candidate_id, stream_choice=sides.StreamChoice("test_split", n_requests=40),
            settings=RolloutSettings(mode="shadow", step_requests=20, batch_size=10, min_labels=10))
        row = deployments.start_deployment(s, prepared=prepared)
    deployments.execute_deployment(engine, deployment_id=row.id, prepared=prepared)
    with session_scope(engine) as s:
        save_window_settings(s, project_id=project_id, deployment_id=row.id,
                             settings=WindowSettings(by="chunks", n_chunks=4, methods={"x1": "psi"}))
        save_retrain_policy(s, project_id=project_id, enabled=True, alert_kinds=["data drift"], max_runs=1,
                            period_days=7)


def save_an_audit(session, project_id: int, run_id: int) -> None:
    """Store a fairness audit of the run on its sensitive column, with a few resamples."""
    settings = AuditSettings(attributes=(("group",),), n_resamples=20)
    data = audits.load_audit_data(session, project_id=project_id, run_id=run_id, split="dev")
    results = audit_to_dict(run_audit(data.predictions, data.sensitive, classes=data.classes, settings=settings))
    audits.save_audit(session, data=data, settings=settings, results=results,
                      parity=recommend_parity("representation").to_dict(), actor="ana")


def tampered(data: bytes, folder: Path, *statements: str | tuple | Callable) -> bytes:
    """Return the export with SQL statements, (statement, parameters) pairs or edits run on it."""
    path = folder / "tampered.workbench"
    path.write_bytes(data)
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            if callable(statement):
                statement(connection)
            else:
                connection.execute(*((statement,) if isinstance(statement, str) else statement))
        connection.commit()
    finally:
        connection.close()
    return path.read_bytes()


def rebuilt_without(table: str, *clauses: str) -> Callable:
    """Return an edit that rebuilds a table, keeping its rows, with the schema clauses matching
    the patterns removed (a link, a unique constraint, a NOT NULL): what a hand-edited file may hold."""
    def edit(connection: sqlite3.Connection) -> None:
        (sql,) = connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        for clause in clauses:
            sql, found = re.subn(clause, "", sql)
            assert found, clause
        connection.execute(sql.replace(f"CREATE TABLE {table} (", "CREATE TABLE loose (", 1))
        connection.execute(f"INSERT INTO loose SELECT * FROM {table}")
        connection.execute(f"DROP TABLE {table}")
        connection.execute(f"ALTER TABLE loose RENAME TO {table}")
    return edit
