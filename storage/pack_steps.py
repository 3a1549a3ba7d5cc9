"""The steps of a workshop pack, one function each, calling the storage functions the pages call.

Each step reads what the earlier ones stored (the dataset, its split, the champion) from the
database rather than from the step before, so a step does exactly what a user would do next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from core.baselines.computed import LEGACY_RULES, MODEL_LABELS
from core.data.roles import Roles
from core.data.splits import make_splits, suggest_split_strategy
from core.deployment.plans import RolloutSettings
from core.errors.data import PREDICTED_CLASS, TRUE_CLASS
from core.errors.errors import error_rows
from core.errors.report import SliceOptions, slice_report
from core.fairness.audit import AuditSettings, audit_to_dict, run_audit
from core.fairness.guidance import recommend_parity
from core.labeling.simulated_labelers import clean_labels
from core.modeling.training import TrainingConfig
from storage.baselines.human_level import add_hlp_baseline
from storage.baselines.old_models import add_legacy_baseline
from storage.baselines.records import compute_model_baselines
from storage.data.datasets import get_dataset, load_frame, load_ground_truth, save_split
from storage.db import session_scope
from storage.deployment import deployments, sides
from storage.errors.analysis import load_run_analysis
from storage.errors.slices import save_slice
from storage.errors.tags import tag_rows
from storage.fairness import audits
from storage.labeling import batches, quality
from storage.modeling.execution import execute_run, launch_run, prepare_run
from storage.modeling.registry import gate_for, promote
from storage.modeling.runs import get_run, run_label
from storage.scoping.records import apply_worked_example

SPLIT_FRACTIONS = (0.70, 0.15, 0.15)  # the Datasets page's defaults
BATCH_SIZE, BATCH_OVERLAP = 100, 0.5
# Two kinds of model a class can compare: a linear one and a forest.
PACK_MODELS = (TrainingConfig("logistic_regression"), TrainingConfig("random_forest", {"n_estimators": 100}))
GATE_METRIC = "f1"
TOP_SLICES, TAGGED_MISTAKES, MISTAKE_TAG = 2, 10, "confident mistake"
OVERRIDE = ("Workshop pack: {run} is the better of the pack's two runs on dev {metric} ({value:.3f}), promoted so "
            "the class starts from a champion although the gate failed {failed} of {checks} checks.")
TRAINING_FAILED = "{run} did not train ({status}: {error}), so the pack cannot be built. Try again."
REPLAY_FAILED = "The pack's shadow replay ended {status}, so the pack cannot be built. Try again."
# The questions of the fairness tree, answered for lending: a granted loan assists, and the people
# most hurt by an error are creditworthy applicants who are refused.
PARITY_ANSWERS = {"loan_approval": ("errors", "assistive", "in_need")}


@dataclass(frozen=True)
class PackContext:
    """What every step needs: where to write, the project, its scenario dataset and who acts."""

    engine: Engine
    project_id: int
    dataset_id: int
    scenario: str
    actor: str


def answer_scoping(context: PackContext) -> None:
    with session_scope(context.engine) as session:
        apply_worked_example(session, project_id=context.project_id, scenario=context.scenario, actor=context.actor)


def split_data(context: PackContext) -> None:
    with session_scope(context.engine) as session:
        frame = load_frame(session, context.dataset_id)
        roles = Roles.from_dict(get_dataset(session, context.dataset_id).roles)
        strategy, _ = suggest_split_strategy(n_rows=len(frame), has_target=roles.target is not None,
                                             has_time=roles.time is not None)
        assignment = make_splits(frame, strategy=strategy, target=roles.target, time_column=roles.time,
                                 fractions=SPLIT_FRACTIONS, random_state=0)
        save_split(session, dataset_id=context.dataset_id, assignment=assignment, strategy=strategy, seed=0,
                   fractions=SPLIT_FRACTIONS, actor=context.actor)


def label_a_batch(context: PackContext) -> None:
    with session_scope(context.engine) as session:
        team = batches.add_demo_labelers(session, dataset_id=context.dataset_id, actor=context.actor)
        frame = load_frame(session, context.dataset_id)
        target = get_dataset(session, context.dataset_id).roles["target"]
        pool = quality.unlabeled_pool(session, dataset_id=context.dataset_id, row_ids=frame.index,
                                      given=frame[target])
        batch = batches.plan_batch(session, dataset_id=context.dataset_id, pool=pool, size=BATCH_SIZE,
                                   strategy="random", labelers=[labeler.name for labeler in team],
                                   overlap=BATCH_OVERLAP, random_state=0, actor=context.actor)
        # As the Labeling page does: simulated people label the truth, not the scenario's flipped labels.
        truth = clean_labels(frame[target], load_ground_truth(session, context.dataset_id))
        quality.simulate_batch(session, batch_id=batch.id, truth=truth, actor=context.actor)


def compute_baselines(context: PackContext) -> None:
    with session_scope(context.engine) as session:
        frame = load_frame(session, context.dataset_id)
        compute_model_baselines(session, dataset_id=context.dataset_id, names=list(MODEL_LABELS), frame=frame,
                                actor=context.actor)
        add_hlp_baseline(session, dataset_id=context.dataset_id, frame=frame, actor=context.actor)
        if context.scenario in LEGACY_RULES:
            add_legacy_baseline(session, dataset_id=context.dataset_id, frame=frame, actor=context.actor)


def train_and_promote(context: PackContext) -> None:
    run_ids = [_train(context, config) for config in PACK_MODELS]
    with session_scope(context.engine) as session:
        decisions = {run_id: gate_for(session, project_id=context.project_id, run_id=run_id, metric=GATE_METRIC,
                                      margin=0.0) for run_id in run_ids}
        runs = {run_id: get_run(session, run_id) for run_id in run_ids}
        best = max(run_ids, key=lambda i: (decisions[i].passed, runs[i].metrics["dev"][GATE_METRIC]))
        decision = decisions[best]
        reason = "" if decision.passed else OVERRIDE.format(
            run=run_label(runs[best]), metric=GATE_METRIC, value=runs[best].metrics["dev"][GATE_METRIC],
            failed=len(decision.failures), checks=len(decision.checks))
        promote(session, project_id=context.project_id, run_id=best, metric=GATE_METRIC, override_reason=reason,
                actor=context.actor)


def _train(context: PackContext, config: TrainingConfig) -> int:
    with session_scope(context.engine) as session:
        prepared = prepare_run(session, dataset_id=context.dataset_id, config=config)
        run = launch_run(session, prepared=prepared, actor=context.actor, notes="Trained for a workshop pack.")
        label = run_label(run)
    status = execute_run(context.engine, run_id=run.id, prepared=prepared)
    if status != "finished":
        with session_scope(context.engine) as session:
            error = get_run(session, run.id).error
        raise ValueError(TRAINING_FAILED.format(run=label, status=status, error=error))
    return run.id


def analyse_errors(context: PackContext) -> None:
    with session_scope(context.engine) as session:
        champion = sides.champion_run(session, context.project_id)
        analysis = load_run_analysis(session, project_id=context.project_id, run_id=champion.id)
        report = slice_report(analysis.data, options=SliceOptions(), baseline=analysis.baseline,
                              unstructured=analysis.unstructured)
        for rank, name in enumerate(_data_slices(report)[:TOP_SLICES], start=1):
            scored = report.slices[name]
            save_slice(session, project_id=context.project_id, name=f"Priority {rank}: {name}"[:120],
                       predicate=scored.predicate, source=scored.source, known_columns=analysis.frame.columns,
                       dataset_id=context.dataset_id, run_id=champion.id, actor=context.actor)
        mistakes = error_rows(analysis.data)["row_id"].head(TAGGED_MISTAKES)
        tag_rows(session, dataset_id=context.dataset_id, row_ids=mistakes, tag=MISTAKE_TAG,
                 known_rows=analysis.data.frame.index, actor=context.actor)


def _data_slices(report) -> list[str]:
    """Return the slice table's names, highest priority first, of slices on the data's own columns.

    A slice of the true or predicted class ranks high whenever a model errs one way, but fairness
    and monitoring cannot reuse it: they see the data, not this run's analysis columns.
    """
    analysis_only = {TRUE_CLASS, PREDICTED_CLASS}
    return [name for name in report.table["slice"]
            if not {condition.column for condition in report.slices[name].predicate.conditions} & analysis_only]


def audit_fairness(context: PackContext) -> None:
    parity = recommend_parity(*PARITY_ANSWERS[context.scenario])
    with session_scope(context.engine) as session:
        champion = sides.champion_run(session, context.project_id)
        data = audits.load_audit_data(session, project_id=context.project_id, run_id=champion.id, split="dev")
        settings = AuditSettings(attributes=tuple((column,) for column in data.sensitive.columns),
                                 metric=parity.metric)
        results = audit_to_dict(run_audit(data.predictions, data.sensitive, classes=data.classes, settings=settings))
        audits.save_audit(session, data=data, settings=settings, results=results, parity=parity.to_dict(),
                          actor=context.actor)


def replay_shadow(context: PackContext) -> None:
    legacy = context.scenario in LEGACY_RULES
    # The loan scenario replaces its legacy rule on later months; the others assist the person doing the task.
    running, case = (sides.LEGACY, "replacing") if legacy else (sides.HUMAN, "assisting")
    stream = sides.StreamChoice("scenario", n_requests=3_000) if legacy else sides.StreamChoice("test_split")
    with session_scope(context.engine) as session:
        champion = sides.champion_run(session, context.project_id)
        prepared = deployments.prepare_deployment(
            session, project_id=context.project_id, case=case, champion_choice=running,
            candidate_run_id=champion.id, stream_choice=stream,
            settings=RolloutSettings(mode="shadow", step_requests=500, batch_size=100))
        row = deployments.start_deployment(session, prepared=prepared, actor=context.actor)
    status = deployments.execute_deployment(context.engine, deployment_id=row.id, prepared=prepared)
    if status not in ("completed", "finished"):
        raise ValueError(REPLAY_FAILED.format(status=status))


STEP_BUILDERS: dict[str, Callable[[PackContext], None]] = {
    "scoping": answer_scoping, "data": split_data, "labeling": label_a_batch, "baselines": compute_baselines,
    "experiments": train_and_promote, "errors": analyse_errors, "fairness": audit_fairness,
    "deployment": replay_shadow,
}
