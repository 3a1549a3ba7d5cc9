"""A loan-approval project taken through several stages by storage calls, for the report's tests.

Scoping answers and targets, label fixes with a known answer (5 planted flips set right, 2 good
labels changed), a champion with baselines and a test look, tagged rows of the planted hard
slice, a signed audit of sex, and user text carrying HTML and Markdown payloads where a user types it.
"""

from core.fairness.audit import AuditSettings, audit_to_dict, run_audit
from core.fairness.guidance import recommend_parity
from core.scoping.targets import parse_target
from core.errors.slices import SlicePredicate, slice_mask
from storage.baselines.records import compute_model_baselines
from storage.data import datasets
from storage.db import session_scope
from storage.errors.tags import tag_rows
from storage.fairness import audits
from storage.labeling.labels import record_decision
from storage.modeling.execution import evaluate_on_test
from storage.project import projects
from storage.scoping.records import add_target, save_answer
from storage.monitoring.watch import check_deployment, watch_deployment
from tests.storage.deployment_factories import loan_project, make_champion, train
from tests.storage.monitoring_factories import shadow_replay

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>![x](http://e/x.png)"  # 73 characters
FIXED_FLIPS, CHANGED_GOOD = 5, 2
TAG = "thin credit file"
TAGGED_ROWS = 30
CONFIRM = ("ethics.concerns", "ethics.failure_modes")


def reported_project(engine, *, n_rows=2_000) -> dict:
    """Return the ids and the planted truth of a loan project with several stages done."""
    project_id, dataset_id = loan_project(engine, n_rows=n_rows, name=f"Loans {PAYLOAD}")
    with session_scope(engine) as s:
        _scoping(s, project_id)
        truth = datasets.load_ground_truth(s, dataset_id)
        _label_fixes(s, dataset_id, truth)
        compute_model_baselines(s, dataset_id=dataset_id, names=["most_frequent", "logistic_regression"])
        tagged = _tag_hard_slice(s, dataset_id, truth)
    run_id = train(engine, dataset_id)
    make_champion(engine, project_id, run_id)
    with session_scope(engine) as s:
        evaluate_on_test(s, project_id=project_id, run_id=run_id)
        audit_id = _signed_audit(s, project_id, run_id)
    return {"project_id": project_id, "dataset_id": dataset_id, "run_id": run_id, "audit_id": audit_id,
            "truth": truth, "tagged": tagged}


def _scoping(session, project_id):
    for key, value in (("problem.statement", f"Loan officers take days per file {PAYLOAD}"),
                       ("problem.owner", "Head of lending"), ("ethics.concerns", "Bias against women"),
                       ("ethics.failure_modes", "Wrongly refused applicants")):
        save_answer(session, project_id=project_id, item_key=key, value=value, status="done")
    for text in ("accuracy >= 0.6", "f1 >= 0.99", "recall[sex=F] >= 0.5", "p95_latency_ms <= 5000"):
        add_target(session, project_id=project_id, target=parse_target(text))


def _label_fixes(session, dataset_id, truth):
    """Set the first planted flips back to their true label, and change two labels that were never flipped."""
    noise = truth["label_noise"]
    for row, original in list(zip(noise["flipped_row_ids"], noise["original_labels"]))[:FIXED_FLIPS]:
        record_decision(session, dataset_id=dataset_id, row_id=int(row), value=str(original), source="label_issue")
    given = datasets.load_columns(session, dataset_id, ["approved"])["approved"]
    good = [r for r in given.index if r not in set(noise["flipped_row_ids"])][:CHANGED_GOOD]
    for row in good:
        record_decision(session, dataset_id=dataset_id, row_id=int(row), value=str(1 - int(given[row])),
                        source="review")


def _tag_hard_slice(session, dataset_id, truth):
    predicate = SlicePredicate.from_json(truth["hard_slice"]["conditions"])
    frame = datasets.load_columns(session, dataset_id, predicate.columns())
    rows = list(frame.index[slice_mask(frame, predicate)][:TAGGED_ROWS])
    tag_rows(session, dataset_id=dataset_id, row_ids=rows, tag=TAG, known_rows=frame.index)
    return rows


def _signed_audit(session, project_id, run_id):
    settings = AuditSettings(attributes=(("sex",),), n_resamples=20)
    data = audits.load_audit_data(session, project_id=project_id, run_id=run_id)
    results = audit_to_dict(run_audit(data.predictions, data.sensitive, classes=data.classes, settings=settings))
    audit = audits.save_audit(session, data=data, settings=settings, results=results,
                              parity=recommend_parity("representation").to_dict())
    audits.sign_audit(session, project_id=project_id, audit_id=audit.id, reviewer="Pat Owner",
                      decision="approve with conditions", comments=f"Re-audit monthly {PAYLOAD}", confirmed=CONFIRM)
    return audit.id


def monitored_project(engine) -> dict:
    """Return the reported project's ids after a shadow replay from month 6 that monitoring checked once."""
    ids = reported_project(engine)
    deployment_id = shadow_replay(engine, ids["project_id"], ids["dataset_id"], ids["run_id"])
    with session_scope(engine) as s:
        check_deployment(s, monitoring=watch_deployment(s, project_id=ids["project_id"], deployment_id=deployment_id))
    return {**ids, "deployment_id": deployment_id}


def empty_project(engine, name=f"Empty {PAYLOAD}") -> int:
    with session_scope(engine) as s:
        return projects.create_project(s, name=name).id
