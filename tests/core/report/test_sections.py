"""The report's sections: targets read as the other stages read them, and what each says when not done."""

import pandas as pd
import pytest

from core.report.early import (
    NO_CHAMPION_YET, ScopingInputs, champion_measures, data_section, labels_section, scoping_section, target_results,
    targets_frame,
)
from core.report.later import AuditInputs, ChampionInputs, champion_section, comparison_frame, config_text, fairness_section, slices_section
from core.report.operations import MonitoringInputs, deployment_section, monitoring_section, timeline_section
from core.scoping.report import scoping_readiness
from core.scoping.targets import evaluate_targets, parse_target
from tests.core.report.report_factories import WHEN, hand_made_report

TARGETS = [parse_target(t) for t in ("f1 >= 0.8", "recall[sex=F] >= 0.7", "p95_latency_ms <= 50",
                                     "throughput_rps >= 100", "reviews per day <= 40 reviews")]


def test_targets_are_read_as_the_gate_reads_them_with_the_measured_latency():
    dev = {"f1": 0.8, "recall[sex=F]": 0.65}
    measures = champion_measures(dev, {"latency_p95_ms": 12.5})
    results = target_results(TARGETS, measures)
    assert [r.status for r in results] == ["met", "not met", "met", "not measured", "not measured"]
    assert [r.status for r in results[:2]] == [r.status for r in evaluate_targets(dev, TARGETS[:2])]
    frame = targets_frame(results)
    assert list(frame["kind"]) == ["ML", "ML", "Software", "Software", "Business"]
    assert frame["measured"].tolist()[:3] == [0.8, 0.65, 12.5]


def test_without_a_champion_every_target_is_not_measured():
    results = target_results(TARGETS, None)
    section = scoping_section(ScopingInputs(scoping_readiness({}, TARGETS), results, ""))
    assert {r.status for r in results} == {"not measured"}
    assert section.status == "partly" and ("Measured on", NO_CHAMPION_YET) in [(f.label, f.value) for f in section.facts]


@pytest.mark.parametrize("section, words", [
    (scoping_section(ScopingInputs(None, (), "")), "Scoping has not been started"),
    (data_section(pd.DataFrame(columns=["split"])), "No dataset yet"),
    (labels_section(None), "No label has been made in the app yet"),
    (champion_section(None), "No champion is registered yet"),
    (slices_section(None), "Error analysis needs a champion"),
    (fairness_section(None), "No fairness audit is saved yet"),
    (deployment_section(pd.DataFrame(columns=["status"])), "No rollout has been replayed yet"),
    (monitoring_section(MonitoringInputs(False, "Nothing is deployed yet.", pd.DataFrame())), "Nothing is deployed"),
    (timeline_section(pd.DataFrame(), total=0), "Nothing has happened"),
])
def test_a_stage_not_done_says_so_and_what_to_do(section, words):
    assert section.status == "not done" and section.missing.startswith(words)
    assert not section.facts and not section.tables and section.page


def test_the_champion_leads_each_baseline_by_the_difference_in_accuracy():
    report = hand_made_report(with_payloads=False)
    table = report.section("model").tables[0].frame
    assert table["model or baseline"].tolist() == ["Run 2 (champion)", "Most frequent class"]
    assert table["champion lead (accuracy)"].tolist() == pytest.approx([0.0, 0.3])


def test_config_is_one_line_with_the_model_settings_first():
    assert config_text({"model": "rf", "params": {"n_estimators": 20}, "cv_folds": 5}) == "n_estimators=20; cv_folds=5"
    assert config_text({"model": "lr"}) == "defaults"


def test_fairness_marks_the_flagged_group_and_a_stale_audit():
    report = hand_made_report(with_payloads=False)
    groups = report.section("fairness").tables[0].frame
    assert groups.set_index("group")["outside four-fifths"].to_dict() == {"M": "", "F": "yes"}
    assert groups.set_index("group")["reference"].to_dict() == {"M": "yes", "F": ""}
    facts = dict((f.label, f.value) for f in report.section("fairness").facts)
    assert facts["Decision"] == "approve with conditions" and facts["Stale"] == "no"
    audit = AuditInputs("Audit 1 of Run 2", "dev", WHEN, {}, "", "approve", "Pat", "", WHEN,
                        ("Run 2 is no longer the champion",))
    stale = fairness_section(audit)
    assert stale.status == "partly" and ("Stale", "yes: Run 2 is no longer the champion") in \
        [(f.label, f.value) for f in stale.facts]
    assert any("This audit is stale" in note for note in stale.notes)
    unsigned = fairness_section(AuditInputs("Audit 2 of Run 3", "dev", WHEN, {}, "", None, "", "", None, ()))
    assert unsigned.status == "partly" and ("Decision", "not signed off") in [(f.label, f.value) for f in unsigned.facts]


def test_comparison_frame_keeps_missing_metrics_empty():
    frame = comparison_frame(ChampionInputs("Run 1", "m", "d", "h", "l", {}, {"accuracy": 0.7}, [], []))
    assert frame.loc[0, "accuracy"] == 0.7 and pd.isna(frame.loc[0, "f1"])
