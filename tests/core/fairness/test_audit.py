"""A whole audit over several attributes: settings checks, the stored form, and the planted bias found."""

import json

import pytest

from core.fairness.audit import AuditSettings, audit_to_dict, run_audit
from tests.core.fairness.fairness_factories import loan_decisions


def test_audit_of_the_loan_scenario_flags_women_and_stores_as_json():
    frame = loan_decisions()
    settings = AuditSettings(attributes=(("sex",), ("sex", "age_band"), ("age",)), n_resamples=50,
                             named_references={"sex": "M"})
    audits = run_audit(frame, frame[["sex", "age_band", "age"]], classes=[0, 1], settings=settings)
    by_name = {a.name: a for a in audits}
    assert set(by_name) == {"sex", "sex × age_band", "age"}
    assert by_name["sex"].reference == "M" and by_name["sex"].flagged == ("F",)
    assert by_name["sex × age_band"].reference == by_name["sex × age_band"].metrics.values["count"].idxmax()
    assert len(by_name["age"].metrics.values) == 4           # age binned into four ranges
    stored = json.loads(json.dumps(audit_to_dict(audits)))
    assert stored["sex"]["flagged"] == ["F"]
    assert stored["sex"]["values"]["F"]["selection_rate"] == pytest.approx(
        frame.loc[frame["sex"] == "F", "prediction"].mean())


def test_sensitive_values_are_matched_by_row_id_not_position():
    frame = loan_decisions(n_rows=2000)
    shuffled_sensitive = frame[["sex"]].sample(frac=1, random_state=0)
    settings = AuditSettings(attributes=(("sex",),), n_resamples=0)
    ours = run_audit(frame, shuffled_sensitive, classes=[0, 1], settings=settings)[0]
    assert ours.metrics.values.loc["F", "count"] == (frame["sex"] == "F").sum()


@pytest.mark.parametrize("settings, message", [
    (AuditSettings(attributes=()), "at least one sensitive attribute"),
    (AuditSettings(attributes=(("sex",),), min_rows=0), "minimum group size"),
    (AuditSettings(attributes=(("sex",),), seed=-1), "seed must be"),
    (AuditSettings(attributes=(("sex",),), n_resamples=10**6), "whole number from 0 to 5000"),
    (AuditSettings(attributes=(("sex",),), metric="f1"), "not a group metric"),
])
def test_bad_settings_are_refused(settings, message):
    frame = loan_decisions(n_rows=1000)
    with pytest.raises(ValueError, match=message):
        run_audit(frame, frame[["sex"]], classes=[0, 1], settings=settings)


def test_more_than_two_classes_and_500_groups_are_refused():
    frame = loan_decisions(n_rows=1000)
    with pytest.raises(ValueError, match="predicts 3 classes"):
        run_audit(frame, frame[["sex"]], classes=[0, 1, 2], settings=AuditSettings(attributes=(("sex",),)))
    many = frame[["sex"]].assign(applicant=[f"id{i % 500}" for i in range(len(frame))])
    with pytest.raises(ValueError, match="500 groups"):
        run_audit(frame, many, classes=[0, 1], settings=AuditSettings(attributes=(("applicant",),)))
    one = frame[["sex"]].assign(country="NL")
    with pytest.raises(ValueError, match="single group"):
        run_audit(frame, one, classes=[0, 1], settings=AuditSettings(attributes=(("country",),)))


def test_progress_counts_resamples_over_every_attribute():
    frame = loan_decisions(n_rows=1000)
    seen = []
    run_audit(frame, frame[["sex", "region"]], classes=[0, 1], progress=lambda done, total: seen.append((done, total)),
              settings=AuditSettings(attributes=(("sex",), ("region",)), n_resamples=50))
    assert seen == [(25, 100), (50, 100), (75, 100), (100, 100)]


def test_references_picked_after_the_run_are_recorded_as_named():
    from core.fairness.audit import settings_as_shown, with_reference

    frame = loan_decisions(n_rows=1000)
    settings = AuditSettings(attributes=(("sex",), ("region",)), n_resamples=0)
    computed = run_audit(frame, frame[["sex", "region"]], classes=[0, 1], settings=settings)
    shown = [with_reference(computed[0], "F", metric="selection_rate"), computed[1]]
    assert settings_as_shown(settings, computed, shown).named_references == {"sex": "F"}
    assert settings_as_shown(settings, computed, computed) == settings
