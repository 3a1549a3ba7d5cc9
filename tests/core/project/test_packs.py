import pytest

from core.data.scenarios import generate_scenario
from core.project.packs import (
    AUDITABLE_SCENARIOS,
    PACK_SCENARIOS,
    PACK_STARTS,
    pack_stages,
    plan_pack,
    scenario_steps,
)

LOAN_STEPS = ("scoping", "data", "labeling", "baselines", "experiments", "errors", "fairness", "deployment")


def test_each_pack_holds_the_steps_before_its_stage_and_none_of_its_own():
    assert scenario_steps("loan_approval") == LOAN_STEPS
    for position, stage in enumerate(pack_stages("loan_approval")):
        pack = plan_pack("loan_approval", stage)
        assert pack.steps == LOAN_STEPS[:position]
        assert stage not in pack.steps


def test_the_error_analysis_pack_has_a_champion_but_no_audit():
    steps = plan_pack("loan_approval", "errors").steps
    assert "experiments" in steps and "errors" not in steps and "fairness" not in steps


@pytest.mark.parametrize("scenario", PACK_SCENARIOS)
def test_only_scenarios_with_sensitive_columns_and_two_classes_take_a_fairness_step(scenario):
    generated = generate_scenario(scenario, **({"n_rows": 1_000} if scenario == "loan_approval" else {}))
    auditable = bool(generated.roles.sensitive) and generated.frame[generated.roles.target].nunique() == 2
    assert (scenario in AUDITABLE_SCENARIOS) == auditable
    assert ("fairness" in pack_stages(scenario)) == auditable


def test_a_scenario_without_fairness_skips_it_on_the_way_to_deployment():
    assert plan_pack("digits", "deployment").steps == tuple(s for s in LOAN_STEPS[:-1] if s != "fairness")
    with pytest.raises(ValueError, match="no sensitive columns"):
        plan_pack("digits", "fairness")


@pytest.mark.parametrize("scenario, stage, expected", [
    ("iris", "errors", "“iris” has no workshop packs; choose one of: loan_approval, digits, breast_cancer"),
    ("digits", "training", "“training” is not a stage a pack can start at"),
])
def test_an_unknown_scenario_or_stage_is_refused_with_the_choices(scenario, stage, expected):
    with pytest.raises(ValueError, match=expected):
        plan_pack(scenario, stage)


def test_the_summary_says_what_is_done_and_what_the_learner_does_next():
    summary = plan_pack("loan_approval", "errors").summary()
    assert summary.startswith("Done: scoping answered")
    assert "the legacy rule" in summary and "two models trained and the better one promoted to champion" in summary
    assert summary.endswith("Next, the learner will browse and tag the champion's errors, prioritise slices, iterate.")
    assert plan_pack("digits", "scoping").summary().startswith("Done: nothing yet beyond the generated data.")
    assert "legacy" not in plan_pack("digits", "errors").summary()


def test_every_stage_lands_on_a_named_page():
    assert [start.page for start in PACK_STARTS.values()] == [
        "Scoping", "Datasets", "Labeling", "Baselines", "Experiments", "Error analysis", "Fairness audit",
        "Deployment", "Monitoring"]
