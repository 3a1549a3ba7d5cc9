"""Deployments on stored runs: checks before start, a replay recorded in full, promotion, rollback, restart."""

import pytest
from sqlmodel import select

from core.deployment.plans import RolloutSettings
from storage.db import session_scope
from storage.deployment import deployments, log, sides
from storage.deployment.tables import Deployment, DeploymentEvent, DeploymentSample, DeploymentWindow
from storage.modeling.registry import aliases
from storage.modeling.tables import ModelArtifact
from storage.project.projects import list_events
from tests.storage.deployment_factories import loan_project, make_champion, train

FAST = dict(step_requests=500, batch_size=250, min_labels=30)


@pytest.fixture
def loans(engine):
    project_id, dataset_id = loan_project(engine)
    champion = train(engine, dataset_id)
    make_champion(engine, project_id, champion)
    candidate = train(engine, dataset_id, "random_forest", params={"n_estimators": 20})
    return project_id, dataset_id, champion, candidate


def prepare(engine, project_id, champion, candidate, **overrides):
    options = dict(case="replacing", champion_choice=f"run:{champion}", candidate_run_id=candidate,
                   stream_choice=sides.StreamChoice("scenario", n_requests=3_000, start_month=6),
                   settings=RolloutSettings(mode="canary", margin=0.1, **FAST))
    options.update(overrides)
    with session_scope(engine) as s:
        return deployments.prepare_deployment(s, project_id=project_id, **options)


def run_deployment(engine, project_id, prepared):
    with session_scope(engine) as s:
        row = deployments.start_deployment(s, prepared=prepared)
    return row.id, deployments.execute_deployment(engine, deployment_id=row.id, prepared=prepared)


def count(engine, table, deployment_id):
    with session_scope(engine) as s:
        return len(s.exec(select(table).where(table.deployment_id == deployment_id)).all())


def test_a_canary_replay_is_recorded_with_its_timeline_windows_and_sample(engine, loans):
    project_id, _, champion, candidate = loans
    # A wide margin: this test is about what a completed replay records, not about which model is
    # better (the loan scenario's noisy self-employed records make the small forest's first step noisy).
    wide = RolloutSettings(mode="canary", margin=0.25, **FAST)
    deployment_id, status = run_deployment(engine, project_id, prepare(engine, project_id, champion, candidate,
                                                                       settings=wide))
    with session_scope(engine) as s:
        row = s.get(Deployment, deployment_id)
        events = log.events_frame(s, deployment_id)
        windows = log.list_windows(s, deployment_id)
        sample = log.load_sample(s, deployment_id)
        timeline = list_events(s, project_id)
    assert status == row.status == "completed" and row.share == 100.0
    assert list(events["event"])[:3] == ["started", "step started", "step passed"]
    assert row.summary["requests"] == sum(w["n"] for w in windows) == 2_000
    assert len(sample) <= row.summary["windows"] * 2 * 200 and {"label", "prediction", "latency_ms"} <= set(sample)
    assert "deployment replay completed" in set(timeline["what"])
    # The gate of the registry decided the promotion, and the timeline says what it decided.
    assert events["event"].iloc[-1] in ("promoted", "promotion blocked by the gate")


def test_the_legacy_rule_can_be_the_running_side(engine, loans):
    project_id, _, _, candidate = loans
    prepared = prepare(engine, project_id, "unused", candidate, champion_choice="legacy_rule",
                       settings=RolloutSettings(mode="shadow", **FAST))
    deployment_id, status = run_deployment(engine, project_id, prepared)
    with session_scope(engine) as s:
        windows = log.list_windows(s, deployment_id)
    assert status == "completed" and prepared.champion.name == "Legacy rule"
    assert sum(w["shadow"]["compared"] for w in windows) == 3_000


@pytest.mark.parametrize("overrides, message", [
    (dict(settings=RolloutSettings(mode="canary", ramp=(10, 50, 40, 100))), "50% is followed by 40%"),
    (dict(settings=RolloutSettings(mode="canary", ramp=(10, 50, 150))), "150% is not"),
    (dict(champion_choice="human"), "No human-level performance"),
    (dict(stream_choice=sides.StreamChoice("dataset:999")), "does not exist"),
])
def test_bad_choices_are_refused_before_anything_is_written(engine, loans, overrides, message):
    project_id, _, champion, candidate = loans
    with pytest.raises(ValueError, match=message):
        prepare(engine, project_id, champion, candidate, **overrides)
    with session_scope(engine) as s:
        assert s.exec(select(Deployment)).all() == []


def test_a_model_whose_checksum_fails_is_refused(engine, loans):
    project_id, _, champion, candidate = loans
    with session_scope(engine) as s:
        artifact = s.exec(select(ModelArtifact).where(ModelArtifact.run_id == candidate)).one()
        artifact.data = artifact.data[:-1] + bytes([artifact.data[-1] ^ 1])
    with pytest.raises(ValueError, match="checksum does not match"):
        prepare(engine, project_id, champion, candidate)


def test_a_stream_of_another_schema_names_its_columns(engine, loans):
    project_id, dataset_id, champion, candidate = loans
    from storage.data import datasets
    with session_scope(engine) as s:
        frame = datasets.load_frame(s, dataset_id).drop(columns=["savings"]).assign(channel="web")
        other = datasets.add_dataset_version(s, project_id=project_id, name="later", frame=frame, source="upload",
                                             column_kinds={**{c: k for c, k in datasets.get_dataset(s, dataset_id)
                                                              .column_kinds.items() if c != "savings"},
                                                           "channel": "categorical"})
    with pytest.raises(ValueError, match="lacks the columns savings"):
        prepare(engine, project_id, champion, candidate, stream_choice=sides.StreamChoice(f"dataset:{other.id}"))


def test_no_champion_is_named(engine):
    project_id, _ = loan_project(engine, n_rows=1_000)
    with session_scope(engine) as s, pytest.raises(ValueError, match="no champion model yet"):
        sides.champion_run(s, project_id)


def test_a_paused_deployment_is_promoted_or_rolled_back_by_hand(engine, loans):
    project_id, _, champion, candidate = loans
    # Labels arriving after a year never reach an analysis: the canary pauses and waits for a person.
    prepared = prepare(engine, project_id, champion, candidate,
                       settings=RolloutSettings(mode="canary", label_delay_hours=8_000, **FAST))
    deployment_id, status = run_deployment(engine, project_id, prepared)
    assert status == "paused"
    with session_scope(engine) as s, pytest.raises(ValueError, match="did not pass the gate"):
        deployments.promote_by_hand(s, project_id=project_id, deployment_id=deployment_id, reason="")
    with session_scope(engine) as s:
        deployments.promote_by_hand(s, project_id=project_id, deployment_id=deployment_id,
                                    reason="Canary looked fine in the first weeks")
    with session_scope(engine) as s:
        assert aliases(s, project_id)["champion"].id == candidate
        assert log.events_frame(s, deployment_id)["event"].iloc[-1] == "promoted by hand"
    with session_scope(engine) as s:  # rolling the promotion back makes the running run champion again
        deployments.roll_back_by_hand(s, project_id=project_id, deployment_id=deployment_id)
    with session_scope(engine) as s:
        assert aliases(s, project_id)["champion"].id == champion
        with pytest.raises(ValueError, match="only a paused or completed one"):
            deployments.roll_back_by_hand(s, project_id=project_id, deployment_id=deployment_id)


def test_an_unfinished_replay_is_marked_interrupted_on_restart(engine, loans):
    project_id, _, champion, candidate = loans
    with session_scope(engine) as s:
        row = deployments.start_deployment(s, prepared=prepare(engine, project_id, champion, candidate))
    with session_scope(engine) as s:
        assert deployments.mark_interrupted_deployments(s) == 1
    with session_scope(engine) as s:
        assert s.get(Deployment, row.id).status == "interrupted"


def test_deleting_the_project_removes_its_deployments(engine, loans):
    project_id, _, champion, candidate = loans
    deployment_id, _ = run_deployment(engine, project_id, prepare(engine, project_id, champion, candidate))
    from storage.project.projects import delete_project
    with session_scope(engine) as s:
        delete_project(s, project_id=project_id)
    for table in (DeploymentEvent, DeploymentWindow, DeploymentSample):
        assert count(engine, table, deployment_id) == 0


def test_a_stored_deployment_marks_the_deploy_stage_as_begun(engine, loans):
    from core.project.progress import stage_progress
    from storage.progress import progress_facts

    project_id, _, champion, candidate = loans
    with session_scope(engine) as s:
        before = {x.stage: x.status for x in stage_progress(progress_facts(s, project_id))}["Deploy"]
    run_deployment(engine, project_id, prepare(engine, project_id, champion, candidate,
                                               settings=RolloutSettings(mode="shadow", **FAST)))
    with session_scope(engine) as s:
        after = {x.stage: x.status for x in stage_progress(progress_facts(s, project_id))}["Deploy"]
    assert (before, after) == ("not started", "partly")


def test_digits_replays_a_degraded_stream_against_a_simulated_person(engine):
    from core.data.splits import make_splits
    from pages.components.data.intake import store_scenario
    from storage.baselines.tables import Baseline
    from storage.data import datasets
    from storage.project import projects

    with session_scope(engine) as s:
        project = projects.create_project(s, name="Digits", source="digits")
        dataset = store_scenario(s, project_id=project.id, scenario_name="digits", actor="analyst").dataset
        frame = datasets.load_frame(s, dataset.id)
        datasets.save_split(s, dataset_id=dataset.id, strategy="stratified", seed=0, fractions=(0.6, 0.2, 0.2),
                            assignment=make_splits(frame, strategy="stratified", target="digit",
                                                   fractions=(0.6, 0.2, 0.2), random_state=0))
        s.add(Baseline(project_id=project.id, dataset_id=dataset.id, kind="hlp", name="Human-level",
                       metrics={"accuracy": 0.95}))
    run_id = train(engine, dataset.id)
    make_champion(engine, project.id, run_id)
    with session_scope(engine) as s:
        assert "degraded" in sides.stream_options(s, datasets.get_dataset(s, dataset.id))
    prepared = prepare(engine, project.id, "unused", run_id, case="assisting", champion_choice="human",
                       stream_choice=sides.StreamChoice("degraded", n_requests=2_000),
                       settings=RolloutSettings(mode="shadow", **FAST))
    deployment_id, status = run_deployment(engine, project.id, prepared)
    with session_scope(engine) as s:
        windows = log.list_windows(s, deployment_id)
    assert status == "completed" and prepared.champion.name.startswith("Person (accuracy 0.950)")
    person_errors = sum(w["errors_by_arm"]["champion"]["errors"] for w in windows)
    assert person_errors / 2_000 == pytest.approx(0.05, abs=0.02)
    first, last = windows[0]["shadow"], windows[-1]["shadow"]  # the model agrees with the person less and less
    assert first["agree"] / first["compared"] > last["agree"] / last["compared"] + 0.1
