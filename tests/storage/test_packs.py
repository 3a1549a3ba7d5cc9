"""Workshop packs built for real: each holds exactly the records of the steps before its stage."""

import pandas as pd
import pytest

from core.project.packs import pack_stages, scenario_steps
from storage import pack_steps, transfer
from storage.db import make_engine, session_scope
from storage.fairness.audits import latest_signed_audit, list_audits
from storage.modeling.registry import aliases, promotions_frame
from storage.packs import ACTOR, BUILT, build_pack, pack_stage
from storage.project import projects
from storage.project.projects import ProjectError
from tests.storage.test_transfer import snapshot

LOAN_ROWS = 1_000  # the scenario's smallest size keeps nine builds quick
# The tables each step adds rows to (the project row itself is not counted among its contents).
STEP_TABLES = {
    "project": {"event", "dataset", "dataset_blob"},
    "scoping": {"scope_answer", "target", "scope_effort"},
    "data": {"split"},
    "labeling": {"labeler", "guideline", "label_batch", "assignment", "label"},
    "baselines": {"baseline"},
    "experiments": {"run", "model_artifact", "prediction", "promotion", "registry_alias"},
    "errors": {"tag", "slice_definition"},
    "fairness": {"audit"},
    "deployment": {"deployment", "deployment_event", "deployment_window", "deployment_sample"},
}


class LoanPacks(dict):
    """stage -> the loan_approval pack starting there, built into one database the first time it is asked for."""

    def __init__(self, engine):
        super().__init__()
        self.engine = engine

    def __missing__(self, stage):
        self[stage] = build_pack(self.engine, name=f"Loans from {stage}", scenario="loan_approval", stage=stage,
                                 n_rows=LOAN_ROWS)
        return self[stage]


@pytest.fixture(scope="module")
def loan_packs(tmp_path_factory):
    """The engine and the loan_approval packs, each built once for the whole module."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('packs') / 'packs.db'}")
    yield engine, LoanPacks(engine)
    engine.dispose()


def contents(engine, project_id):
    with session_scope(engine) as s:
        return projects.project_contents(s, project_id)


@pytest.mark.parametrize("stage", pack_stages("loan_approval"))
def test_each_pack_holds_exactly_the_records_of_the_steps_before_it(loan_packs, stage):
    engine, built = loan_packs
    steps = scenario_steps("loan_approval")
    done = steps[: list(pack_stages("loan_approval")).index(stage)]
    expected = set().union(*(STEP_TABLES[step] for step in ("project", *done)))
    assert set(contents(engine, built[stage].project_id)) == expected
    assert built[stage].pack.steps == done


def test_the_error_analysis_pack_has_a_champion_and_no_tags_slices_or_audit(loan_packs):
    engine, built = loan_packs
    project_id = built["errors"].project_id
    with session_scope(engine) as s:
        assert "champion" in aliases(s, project_id)
        assert list_audits(s, project_id) == []
    held = contents(engine, project_id)
    assert held["run"] == 2 and "tag" not in held and "slice_definition" not in held


def test_a_promotion_that_fails_the_gate_says_so_and_why(loan_packs):
    engine, built = loan_packs
    with session_scope(engine) as s:
        promotion = promotions_frame(s, built["errors"].project_id).iloc[0]
    gate = promotion["gate"]
    assert gate.startswith("passed") or ("overridden" in gate and "better of the pack's two runs" in promotion["reason"])


def test_the_saved_audit_waits_for_the_learners_sign_off(loan_packs):
    engine, built = loan_packs
    with session_scope(engine) as s:
        [audit] = list_audits(s, built["deployment"].project_id)
        assert audit.signed_at is None and audit.reviewer == ""
        assert latest_signed_audit(s, built["deployment"].project_id) is None
        assert audit.parity["metric"] == "fnr"


@pytest.mark.parametrize("stage", ["scoping", "errors", "monitoring"])
def test_every_timeline_entry_is_the_workshop_packs_and_the_last_names_the_stage(loan_packs, stage):
    engine, built = loan_packs
    with session_scope(engine) as s:
        events = projects.list_events(s, built[stage].project_id)
        assert set(events["who"]) == {ACTOR}
        assert events["what"].iloc[0] == BUILT and f"stage: {stage}" in events["details"].iloc[0]
        assert events["what"].iloc[-1] == "created project"
        assert pack_stage(s, built[stage].project_id) == stage


def test_the_timeline_names_every_step_of_the_full_pack_in_order(loan_packs):
    engine, built = loan_packs
    with session_scope(engine) as s:
        actions = list(projects.list_events(s, built["monitoring"].project_id)["what"])[::-1]
    firsts = ["created project", "filled in worked-example scoping", "made splits", "planned label batch",
              "simulated labels", "computed baseline", "started training run", "promoted run to champion",
              "saved slice", "tagged errors", "saved fairness audit", "started deployment replay",
              "deployment replay completed", BUILT]
    assert [actions.index(action) for action in firsts] == sorted(actions.index(action) for action in firsts)
    assert actions.count("computed baseline") == 6 and actions.count("finished training run") == 2


def test_a_pack_exported_and_imported_is_equal_and_starts_at_the_same_stage(loan_packs, tmp_path):
    engine, built = loan_packs
    project_id = built["monitoring"].project_id
    other = make_engine(f"sqlite:///{tmp_path / 'class.db'}")
    imported = transfer.import_project(other, transfer.export_project(engine, project_id))
    original, copy = snapshot(engine, project_id), snapshot(other, imported.id)
    assert copy["events"][0] == "imported project"
    copy["events"] = copy["events"][1:]
    for key in ("project", "versions", "splits", "events"):
        assert copy[key] == original[key]
    for left, right in zip(copy["frames"], original["frames"]):
        pd.testing.assert_frame_equal(left, right)
    assert contents(other, imported.id) == {**contents(engine, project_id), "event": len(original["events"]) + 1}
    with session_scope(other) as s:
        assert pack_stage(s, imported.id) == "monitoring"
    other.dispose()


def test_a_project_that_is_not_a_pack_starts_nowhere(engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Own work")
        assert pack_stage(s, project.id) is None


def test_a_scenario_without_fairness_builds_every_other_step(engine):
    built = build_pack(engine, name="Biopsies", scenario="breast_cancer", stage="monitoring")
    assert "fairness" not in built.pack.steps
    held = contents(engine, built.project_id)
    assert "audit" not in held and held["deployment"] == 1 and held["run"] == 2


@pytest.mark.parametrize("name, scenario, stage, expected", [
    ("  ", "digits", "errors", "The project name is empty"),
    ("Class", "digits", "fairness", "no sensitive columns"),
    ("Class", "iris", "errors", "no workshop packs"),
])
def test_a_bad_choice_is_refused_before_anything_is_written(engine, name, scenario, stage, expected):
    with pytest.raises(ValueError, match=expected):
        build_pack(engine, name=name, scenario=scenario, stage=stage)
    with session_scope(engine) as s:
        assert projects.list_projects(s) == []


def test_a_taken_name_is_refused_and_the_existing_project_kept(engine):
    with session_scope(engine) as s:
        projects.create_project(s, name="Class A")
    with pytest.raises(ProjectError, match="already exists"):
        build_pack(engine, name="class a", scenario="digits", stage="labeling")
    with session_scope(engine) as s:
        [kept] = projects.list_projects(s)
        assert contents(engine, kept.id) == {"event": 1}


def test_a_step_that_fails_leaves_no_half_built_project(engine, monkeypatch):
    def broken(context):
        raise RuntimeError("the disk is full")
    monkeypatch.setitem(pack_steps.STEP_BUILDERS, "labeling", broken)
    with pytest.raises(RuntimeError, match="the disk is full"):
        build_pack(engine, name="Class", scenario="digits", stage="baselines")
    with session_scope(engine) as s:
        assert projects.list_projects(s) == []


def test_a_build_stopped_between_steps_leaves_no_project(engine):
    # Streamlit stops a script run (the page left, another widget used) by raising from its next
    # call, which for a build is the progress report between two steps.
    class Stopped(BaseException):
        pass

    def progress(done, total, text):
        if done == 2:
            raise Stopped()
    with pytest.raises(Stopped):
        build_pack(engine, name="Class", scenario="digits", stage="baselines", progress=progress)
    with session_scope(engine) as s:
        assert projects.list_projects(s) == []


def test_progress_is_reported_step_by_step(engine):
    seen = []
    build_pack(engine, name="Class", scenario="digits", stage="labeling",
               progress=lambda done, total, text: seen.append((done, total, text)))
    assert [(done, total) for done, total, _ in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert seen[1][2] == "Answering the scoping checklist and setting targets" and seen[-1][2] == "Ready"


def test_the_saved_slices_name_the_datas_own_columns_and_the_tagged_rows_are_mistakes(loan_packs):
    from storage.errors.analysis import load_run_analysis
    from storage.errors.slices import list_slices, slice_predicate
    from storage.errors.tags import row_tags
    engine, built = loan_packs
    project_id = built["fairness"].project_id
    with session_scope(engine) as s:
        saved = list_slices(s, project_id)
        champion = aliases(s, project_id)["champion"]
        analysis = load_run_analysis(s, project_id=project_id, run_id=champion.id)
        tagged = row_tags(s, analysis.dataset.id)
    assert [row.name.split(":")[0] for row in saved] == ["Priority 1", "Priority 2"]
    for row in saved:
        assert {c.column for c in slice_predicate(row).conditions} <= set(analysis.frame.columns)
    assert len(tagged) == 10 and all(tags == ["confident mistake"] for tags in tagged.values())
    wrong = analysis.data.frame.index[analysis.data.true != analysis.data.pred]
    assert set(tagged) <= set(wrong)
