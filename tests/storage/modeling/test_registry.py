import pytest

from core.scoping.targets import parse_target
from storage.modeling import registry
from storage.project import projects
from storage.scoping import records as scoping
from storage.scoping.tables import Target
from storage.db import session_scope
from tests.storage.experiment_factories import project_with_data, trained_run


@pytest.fixture
def two_runs(engine):
    project_id, dataset_id = project_with_data(engine)
    weak, _ = trained_run(engine, dataset_id, "logistic_regression", params={"C": 1e-4})
    strong, _ = trained_run(engine, dataset_id, "logistic_regression")
    return project_id, weak, strong


def promote(engine, project_id, run_id, **options):
    with session_scope(engine) as s:
        return registry.promote(s, project_id=project_id, run_id=run_id, **options)


def held(engine, project_id):
    with session_scope(engine) as s:
        return {alias: run.id for alias, run in registry.aliases(s, project_id).items()}


def test_champion_through_the_gate_then_a_weaker_run_is_refused_naming_the_condition(engine, two_runs):
    project_id, weak, strong = two_runs
    assert promote(engine, project_id, strong, metric="f1", margin=0.01).gate == "passed"
    with pytest.raises(registry.PromotionRefused, match="does not beat the champion on f1 by the margin"):
        promote(engine, project_id, weak, metric="f1", margin=0.01)
    assert held(engine, project_id) == {"champion": strong}
    with pytest.raises(registry.PromotionRefused, match="already the champion"):
        promote(engine, project_id, strong)


def test_unmet_target_blocks_and_an_override_with_a_reason_is_logged(engine, two_runs):
    project_id, weak, _ = two_runs
    with session_scope(engine) as s:
        scoping.add_target(s, project_id=project_id, target=parse_target("accuracy >= 0.99"))
    with pytest.raises(registry.PromotionRefused, match="Target accuracy >= 0.99 is not met"):
        promote(engine, project_id, weak)
    with pytest.raises(registry.PromotionRefused, match="with a reason"):
        promote(engine, project_id, weak, override_reason="short")
    decision = promote(engine, project_id, weak, override_reason="Pilot needs a model this week")
    assert decision.gate == "overridden" and decision.override_reason == "Pilot needs a model this week"
    with session_scope(engine) as s:
        history = registry.promotions_frame(s, project_id)
        details = projects.list_events(s, project_id).loc[0, "details"]
    assert history.loc[0, "gate"] == "failed 1 of 2 checks, overridden"
    assert history.loc[0, "reason"] == "Pilot needs a model this week"
    assert "gate: failed 1 of 2 checks, overridden" in details and "reason: Pilot needs a model this week" in details


def test_a_challenger_failing_the_gate_is_recorded_as_not_gated_never_as_passed(engine, two_runs):
    project_id, weak, _ = two_runs
    with session_scope(engine) as s:
        for text in ("accuracy >= 0.99", "f1 >= 0.99"):
            scoping.add_target(s, project_id=project_id, target=parse_target(text))
    row = promote(engine, project_id, weak, alias="challenger")
    assert row.gate == "not gated" and row.override_reason == ""
    assert [c["passed"] for c in row.checks] == [False, False, True]  # the gate's view, kept but not applied
    with session_scope(engine) as s:
        history = registry.promotions_frame(s, project_id)
        events = projects.list_events(s, project_id)
    words = "not gated: a challenger needs only a dev evaluation (the gate would fail 2 of 3 checks)"
    assert history.loc[0, "gate"] == words
    event = events[events["what"] == "promoted run to challenger"].iloc[0]
    assert f"gate: {words}" in event["details"] and "passed" not in event["details"]


def test_gate_words_never_claim_a_failed_check():
    passed, failed = {"passed": True}, {"passed": False}
    assert registry.gate_words("passed", [passed, passed]) == "passed (2 of 2 checks)"
    assert registry.gate_words("not gated", [passed]).endswith("(the gate would pass 1 of 1 check)")
    for gate in ("overridden", "not gated"):
        assert "passed" not in registry.gate_words(gate, [passed, failed])


def test_challenger_then_champion_moves_the_alias(engine, two_runs):
    project_id, weak, strong = two_runs
    promote(engine, project_id, weak)
    promote(engine, project_id, strong, alias="challenger")
    assert held(engine, project_id) == {"champion": weak, "challenger": strong}
    promoted = promote(engine, project_id, strong, metric="f1", margin=0.0)
    assert promoted.previous_run_id == weak and held(engine, project_id) == {"champion": strong}


def test_failed_runs_cannot_be_promoted_even_with_a_reason(engine):
    project_id, dataset_id = project_with_data(engine)
    failed, status = trained_run(engine, dataset_id, "knn", params={"n_neighbors": 400})
    assert status == "failed"
    for alias in ("champion", "challenger"):
        with pytest.raises(registry.PromotionRefused, match="has no dev evaluation"):
            promote(engine, project_id, failed, alias=alias, override_reason="I insist on this one")
    assert held(engine, project_id) == {}


def test_bad_alias_metric_or_margin_is_refused(engine, two_runs):
    project_id, _, strong = two_runs
    with pytest.raises(registry.PromotionRefused, match="“prod” is not an alias"):
        promote(engine, project_id, strong, alias="prod")
    with pytest.raises(ValueError, match="margin must be between 0 and 1"):
        promote(engine, project_id, strong, margin=2.0)


def test_progress_counts_a_champion_not_a_challenger(engine, two_runs):
    from storage.progress import progress_facts
    project_id, weak, strong = two_runs
    promote(engine, project_id, strong, alias="challenger")
    with session_scope(engine) as s:
        assert progress_facts(s, project_id)["champion"] == 0
    promote(engine, project_id, strong, override_reason="Strong enough for the pilot")
    with session_scope(engine) as s:
        assert progress_facts(s, project_id)["champion"] == 1


def gate_messages(engine, project_id, run_id):
    with session_scope(engine) as s:
        return [c.message for c in registry.gate_for(s, project_id=project_id, run_id=run_id, metric="f1",
                                                     margin=0.0).failures]


def test_the_gate_says_why_a_slice_target_cannot_be_measured(engine, two_runs):
    project_id, _, strong = two_runs
    with session_scope(engine) as s:
        scoping.add_target(s, project_id=project_id, target=parse_target("recall[colour=red] >= 0.1"))
        # A target set before slice targets were checked (or before the data changed): group holds a and b.
        s.add(Target(project_id=project_id, kind="ml", metric="recall", slice="group=A", comparator=">=", value=0.1))
    messages = gate_messages(engine, project_id, strong)
    assert messages == [
        "Target recall[colour=red] >= 0.1 cannot be measured for this run: " + registry.SLICE_NOT_SCORED.format(
            column="colour"),
        "Target recall[group=A] >= 0.1 cannot be measured for this run: Column “group” has no value “A” "
        "(did you mean “a”?). Its values are: a, b. Change the target on the Scoping page.",
    ]


def test_a_slice_column_scored_without_the_value_on_dev_says_dev_has_no_such_rows():
    dev = {"f1": 0.8, "recall[colour=red]": 0.7}
    assert registry.not_scored_reason("colour=violet", dev) == registry.SLICE_NO_DEV_ROWS.format(slice="colour=violet")
    assert registry.not_scored_reason("group=a", dev) == registry.SLICE_NOT_SCORED.format(column="group")
