from core.project.progress import next_step, stage_progress


def statuses(facts):
    return {s.stage: s.status for s in stage_progress(facts)}


def test_an_empty_project_has_started_nothing():
    assert set(statuses({}).values()) == {"not started"}
    assert [s.stage for s in stage_progress({})] == ["Scope", "Data", "Model", "Deploy", "Review"]


def test_data_stage_moves_from_partly_to_done():
    assert statuses({"dataset": 1})["Data"] == "partly"
    assert statuses({"dataset": 1, "dataset_with_target": 1})["Data"] == "partly"
    assert statuses({"dataset": 1, "dataset_with_target": 1, "split": 1})["Data"] == "done"


def test_other_stages_follow_their_tables():
    assert statuses({"target": 2, "scope_answer": 5})["Scope"] == "partly"
    facts = {"target": 2, "scope_answer": 5, "scope_ready": 1, "run": 1, "deployment": 1, "audit": 1}
    assert statuses(facts) == {"Scope": "done", "Data": "not started", "Model": "partly",
                               "Deploy": "partly", "Review": "partly"}
    assert statuses({"champion": 1, "registry_alias": 1, "monitor_window": 3, "signed_audit": 1})["Review"] == "done"
    assert statuses({"registry_alias": 1})["Model"] == "partly"  # a challenger alone is no champion
    assert statuses({"champion": 1, "registry_alias": 1})["Model"] == "done"


def test_next_step_skips_done_stages_and_stages_without_pages():
    stages = stage_progress({"dataset": 1, "dataset_with_target": 1, "split": 1})
    assert next_step(stages, available={"Data"}) is None
    assert next_step(stages, available={"Data", "Model"}).stage == "Model"
    assert next_step(stage_progress({}), available={"Data", "Model"}).stage == "Data"


def test_marks_differ_by_status():
    marks = {s.status: s.mark for s in stage_progress({"dataset": 1, "scope_ready": 1})}
    assert len(set(marks.values())) == len(marks) == 3


def test_model_stage_says_whether_errors_are_analysed():
    runs_only = dict((s.stage, s) for s in stage_progress({"run": 2}))["Model"]
    assert runs_only.status == "partly" and "analyse their errors" in runs_only.detail
    tagged = dict((s.stage, s) for s in stage_progress({"run": 2, "tag": 5}))["Model"]
    assert tagged.status == "partly" and "Errors are being analysed" in tagged.detail


def test_a_done_model_stage_still_points_at_error_analysis_then_the_fairness_audit():
    pages = {"Scope", "Data", "Model", "Deploy"}
    done = {"scope_ready": 1, "dataset": 1, "dataset_with_target": 1, "split": 1, "run": 2, "registry_alias": 1,
            "champion": 1}
    step = next_step(stage_progress(done), available=pages, facts=done)
    assert (step.stage, step.pages) == ("Model", ("Error analysis",))
    analysed = {**done, "tag": 4}
    step = next_step(stage_progress(analysed), available=pages, facts=analysed)
    assert (step.stage, step.pages) == ("Model", ("Fairness audit",))
    audited = {**analysed, "audit": 1, "signed_audit": 1}
    step = next_step(stage_progress(audited), available=pages, facts=audited)
    assert (step.stage, step.pages) == ("Deploy", ())  # then the next stage, all its pages
    assert next_step(stage_progress(done), available=pages).pages == ("Error analysis",)  # no facts: nothing done
