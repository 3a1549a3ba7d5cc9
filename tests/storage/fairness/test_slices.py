"""Saved slices in a fairness audit: offered as two groups, equal to MetricFrame on the same mask, recorded."""

import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame

from core.errors.slices import Condition, SlicePredicate, slice_mask, tag_predicate
from core.fairness.audit import AuditSettings, audit_to_dict, run_audit
from core.fairness.guidance import recommend_parity
from core.fairness.metrics import METRICS
from core.fairness.presentation import slices_text
from storage.data import datasets
from storage.db import session_scope
from storage.errors.slices import save_slice
from storage.fairness import audits
from storage.fairness.slices import with_saved_slices
from storage.report.review import latest_audit
from tests.core.fairness.test_metrics import FAIRLEARN
from tests.storage.experiment_factories import project_with_data, trained_run

RED_HIGH = SlicePredicate((Condition("colour", "==", "red"), Condition("x2", ">", 0.0)))
ATTRIBUTE = "slice: red, high x2"


@pytest.fixture
def audited(engine):
    project_id, dataset_id = project_with_data(engine)
    run_id, _ = trained_run(engine, dataset_id)
    with session_scope(engine) as s:
        save_slice(s, project_id=project_id, name="red, high x2", predicate=RED_HIGH)
        save_slice(s, project_id=project_id, name="old column", predicate=SlicePredicate(
            (Condition("employment", "==", "self_employed"),)))
        save_slice(s, project_id=project_id, name="tagged", predicate=tag_predicate("blurry"))
    return project_id, dataset_id, run_id


def offered(engine, project_id, run_id):
    with session_scope(engine) as s:
        return with_saved_slices(s, audits.load_audit_data(s, project_id=project_id, run_id=run_id))


def test_a_slice_is_two_groups_on_the_audited_rows_and_others_are_refused_by_name(engine, audited):
    project_id, dataset_id, run_id = audited
    result = offered(engine, project_id, run_id)
    with session_scope(engine) as s:
        frame = datasets.load_frame(s, dataset_id).loc[result.data.predictions.index]
    mask = slice_mask(frame, RED_HIGH)
    assert result.texts == {ATTRIBUTE: 'colour == "red" and x2 > 0'}
    assert (result.data.sensitive[ATTRIBUTE] == "in slice: red, high x2").tolist() == mask.tolist()
    assert set(result.data.sensitive[ATTRIBUTE]) == {"in slice: red, high x2", "outside"}
    assert result.data.sensitive["group"].equals(frame["group"].rename("group"))
    assert any("“employment”" in p and "old column" in p for p in result.refused)
    assert any("tagged" in p and "error tags" in p for p in result.refused)


def test_group_metrics_on_a_slice_equal_metricframe_on_a_boolean_column_of_the_same_mask(engine, audited):
    project_id, dataset_id, run_id = audited
    data = offered(engine, project_id, run_id).data
    settings = AuditSettings(attributes=((ATTRIBUTE,),), n_resamples=0)
    [audit] = run_audit(data.predictions, data.sensitive, classes=data.classes, settings=settings)
    with session_scope(engine) as s:
        frame = datasets.load_frame(s, dataset_id).loc[data.predictions.index]
    inside = pd.Series((frame["colour"] == "red").to_numpy() & (frame["x2"] > 0).to_numpy(), index=frame.index)
    theirs = MetricFrame(metrics=FAIRLEARN, y_true=data.predictions["label"], y_pred=data.predictions["prediction"],
                         sensitive_features=inside).by_group[list(METRICS)].astype(float)
    theirs.index = theirs.index.map({True: "in slice: red, high x2", False: "outside"})
    ours = audit.metrics.values.loc[theirs.index]
    pd.testing.assert_frame_equal(ours, theirs.mask(ours.isna()), check_names=False, atol=1e-12)
    assert int(inside.sum()) == ours.loc["in slice: red, high x2", "count"] > 0


def test_a_saved_audit_names_its_slice_and_the_report_says_so(engine, audited):
    project_id, _, run_id = audited
    result = offered(engine, project_id, run_id)
    settings = AuditSettings(attributes=(("group",), (ATTRIBUTE,)), n_resamples=0,
                             slices={ATTRIBUTE: result.texts[ATTRIBUTE]})
    found = run_audit(result.data.predictions, result.data.sensitive, classes=result.data.classes, settings=settings)
    with session_scope(engine) as s:
        audit = audits.save_audit(s, data=result.data, settings=settings, results=audit_to_dict(found),
                                  parity=recommend_parity("representation").to_dict())
        report = latest_audit(s, project_id)
    assert audit.settings["slices"] == {ATTRIBUTE: 'colour == "red" and x2 > 0'}
    assert set(audit.results) == {"group", ATTRIBUTE}
    assert report.slices == slices_text(audit.settings) == 'slice: red, high x2 (colour == "red" and x2 > 0)'
