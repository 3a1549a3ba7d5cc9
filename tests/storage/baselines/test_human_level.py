"""HLP from the app's own labels: the demo team on digits lands where its simulated skills say."""

import itertools

import numpy as np
import pytest

from core.baselines.hlp import NO_OVERLAP
from storage.baselines import records as baselines, human_level
from storage.labeling import batches as label_batches
from storage.project import projects
from storage.db import session_scope
from tests.storage.baseline_factories import digits_with_overlap_labels


def measure(engine, dataset_id, reference):
    with session_scope(engine) as s:
        return human_level.add_hlp_baseline(s, dataset_id=dataset_id, reference=reference)


def test_against_the_truth_hlp_is_the_team_s_mean_skill(engine):
    project_id, dataset_id, skills = digits_with_overlap_labels(engine)
    row = measure(engine, dataset_id, "truth")
    accuracy, (low, high) = row.metrics["accuracy"], row.overall["intervals"]["accuracy"]
    mean_skill = np.mean(list(skills.values()))
    # Each labeler labels about two thirds of 400 items: their accuracies are binomial shares.
    spread = np.sqrt(sum(p * (1 - p) / 266 for p in skills.values())) / len(skills)
    assert abs(accuracy - mean_skill) < 3 * spread
    assert low < mean_skill < high
    table = human_level.labeler_table(row).set_index("labeler")["accuracy"]
    assert table["Sim · Ada (careful)"] > table["Sim · Cy (hurried)"]
    assert row.kind == "hlp" and "against the scenario's true labels" in row.source_note


def test_against_the_other_labeler_hlp_lies_between_the_skill_products_and_their_ceiling(engine):
    _, dataset_id, skills = digits_with_overlap_labels(engine)
    row = measure(engine, dataset_id, "others")
    # Two labelers agree when both are right (p·q) and, at most, whenever both are wrong too.
    pairs = {name: [(skills[name], skills[other]) for other in skills if other != name] for name in skills}
    floor = np.mean([np.mean([p * q for p, q in partners]) for partners in pairs.values()])
    ceiling = np.mean([np.mean([p * q + (1 - p) * (1 - q) for p, q in partners]) for partners in pairs.values()])
    low, high = row.overall["intervals"]["accuracy"]
    assert low < ceiling and high > floor
    assert floor - 0.05 < row.metrics["accuracy"] < ceiling + 0.05
    assert row.n_items == pytest.approx(row.overall["n"])


def test_hlp_becomes_the_primary_baseline_by_default_and_is_replaced_when_measured_again(engine):
    project_id, dataset_id, _ = digits_with_overlap_labels(engine, size=120)
    first = measure(engine, dataset_id, "others")
    again = measure(engine, dataset_id, "others")
    with session_scope(engine) as s:
        assert [b.id for b in baselines.list_baselines(s, project_id)] == [again.id] != [first.id]
        assert baselines.primary_baseline(s, project_id).id == again.id


def test_without_overlap_nothing_is_stored_and_the_message_says_how_to_get_it(engine):
    project_id, dataset_id, _ = digits_with_overlap_labels(engine, size=60, overlap=0.0)
    with session_scope(engine) as s:
        facts = human_level.label_facts(s, dataset_id)
    assert (facts.n_labels, facts.n_overlap_items, facts.has_truth) == (60, 0, True)
    with pytest.raises(ValueError) as error:
        measure(engine, dataset_id, "others")
    assert str(error.value) == NO_OVERLAP
    with session_scope(engine) as s:
        assert baselines.list_baselines(s, project_id) == []


def test_slices_of_a_loan_project_follow_its_categorical_columns(engine):
    from core.labeling.simulated_labelers import LabelerProfile, simulate_labels
    from pages.components.data.intake import store_scenario
    from storage.labeling import labels
    from storage.data.datasets import load_frame

    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans")
        dataset = store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="t", n_rows=1000).dataset
        frame = load_frame(s, dataset.id)
        names = ["ann", "bob", "cid"]
        for name in names:
            label_batches.add_labeler(s, project_id=project.id, name=name, profile=LabelerProfile(accuracy=0.9))
        batch = label_batches.plan_batch(s, dataset_id=dataset.id, pool=frame.index, size=200, strategy="random",
                                         labelers=names, overlap=1.0)
        for seed, (name, labeler_id) in enumerate(labels.labeler_ids(s, project.id).items()):
            rows = [a.row_id for a in labels.open_assignments(s, batch_id=batch.id, labeler_id=labeler_id)]
            simulated = simulate_labels(frame.loc[rows, "approved"], [0, 1], LabelerProfile(accuracy=0.9), random_state=seed)
            labels.store_simulated_labels(s, batch_id=batch.id, labeler_id=labeler_id, labels=simulated)
    row = measure(engine, dataset.id, "others")
    assert {"sex", "region", "age_band"} <= set(row.slices)
    assert sum(v["n"] for v in row.slices["sex"].values()) == row.n_items
    assert not set(itertools.chain(row.slices)) & {"approved", "applicant_id"}
