"""Teaching mode's reveal scored against hand-made known answers."""

import pandas as pd

from core.report.reveal import (
    NOT_MONITORED, biased_group_item, drift_item, flipped_labels_item, hard_slice_item, matches, policy_item,
)

# 25 rows flipped; their true labels alternate 0/1.
NOISE = {"rate": 0.05, "flipped_row_ids": list(range(100, 125)), "original_labels": [i % 2 for i in range(25)]}
BIAS = {"column": "sex", "group": "F", "n_overturned": 136}
HARD = {"name": "self-employed applicants", "n_rows": 40,
        "conditions": [{"column": "employment", "op": "==", "value": "self-employed"}]}


def test_eighteen_of_twenty_five_flips_found_one_set_wrong_and_three_false_fixes():
    # 17 flips set back to their true label, 1 flip changed to a third class, 3 rows that were never flipped.
    changed = {100 + i: str(i % 2) for i in range(17)} | {117: "2"} | {1: "0", 2: "1", 3: "0"}
    item = flipped_labels_item(NOISE, changed)
    assert item.score == ("18 of 25 flipped labels found (17 set back to the true label); "
                          "3 changed labels were not flipped")
    assert item.planted == "25 labels flipped (5% of the rows)"
    assert item.found == "21 labels changed by decisions, reviews or relabeling; no label-error scan yet"


def test_the_latest_scan_is_scored_on_the_flips_among_the_rows_it_checked():
    # It checked rows 0-119 (20 of the flips) and flagged 14 of them and 6 other rows.
    flagged, checked = pd.Index(list(range(100, 114)) + list(range(6))), pd.Index(range(120))
    item = flipped_labels_item(NOISE, {}, (flagged, checked))
    assert item.found == ("no label changed yet; the latest label-error scan flagged 14 of the 20 flipped labels "
                          "among the 120 rows it checked (20 rows flagged)")


def test_no_fix_scores_zero():
    assert flipped_labels_item(NOISE, {}).score.startswith("0 of 25 flipped labels found")


def test_biased_group_found_only_when_flagged_on_the_biased_column():
    assert biased_group_item(BIAS, []).score == "not found (no audit yet)"
    assert biased_group_item(BIAS, [{"age_band": {"flagged": ["F"]}}]).score == "not found"
    audited = biased_group_item(BIAS, [{"sex": {"flagged": []}}])
    assert (audited.found, audited.score) == ("sex audited; flagged: none", "not found")
    # An older audit that flagged the group counts: the learner named it once.
    found = biased_group_item(BIAS, [{"sex": {"flagged": []}}, {"sex": {"flagged": ["F"]}}])
    assert (found.found, found.score) == ("sex audited; flagged: F", "found: the group is flagged")


def test_hard_slice_found_by_a_slice_naming_it_or_by_a_tag_mostly_inside_it():
    hard_rows = pd.Index(range(40))
    other = {"income >= 5": [{"column": "income", "op": ">=", "value": 5}]}
    assert hard_slice_item(HARD, other, {}, hard_rows).score == "not found"
    named = {**other, "self": [{"column": "employment", "op": "in", "value": ["self-employed", "retired"]}]}
    assert hard_slice_item(HARD, named, {}, hard_rows).score == "found: slice “self”"
    tags = {"thin file": pd.Index([1, 2, 3, 99]), "noise": pd.Index([1, 98, 99, 97])}  # 3 of 4 and 1 of 4 inside
    assert hard_slice_item(HARD, other, tags, hard_rows).score == "found: tag “thin file”"


def test_a_slice_must_pin_every_planted_condition():
    truth = [{"column": "a", "op": "==", "value": 1}, {"column": "b", "op": "==", "value": "x"}]
    assert not matches([{"column": "a", "op": "==", "value": 1}], truth)
    assert matches([{"column": "b", "op": "==", "value": "x"}, {"column": "a", "op": "==", "value": "1"}], truth)
    assert not matches([{"column": "a", "op": "==", "value": 1}], [])


def test_drift_and_policy_change_are_not_monitored_until_monitoring_reports():
    drift = {"columns": ["income", "credit_score"], "start": "2024-09-01"}
    assert drift_item(drift, None).score == NOT_MONITORED
    item = drift_item(drift, ["income", "credit_score", "age"], "2024-09")
    assert item.score == "drift found in 2 of 2 shifted columns, 1 false alarms; first flagged 2024-09"
    concept = {"start": "2024-10-01", "change": "a stricter policy"}
    assert policy_item(concept, None).score == NOT_MONITORED
    assert policy_item(concept, "2024-10").score == "found in the right month"
    assert policy_item(concept, "2024-07").score == "not found"
