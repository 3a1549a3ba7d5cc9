"""The shape every JSON column must have, one entry per (table, column), and the check of a row.

Pages read these columns without defending against every odd value (a dataset's roles are
read as an object on every page), so a value of the wrong shape must never reach the
database: an imported project is checked against this registry before anything is written.
A table that gains a JSON column needs an entry here; a test fails until it has one.
"""

from typing import Any

from sqlalchemy import JSON, Table

from core.data.roles import Roles
from core.data.schema import COLUMN_KINDS
from storage.json_shape import (
    Shape, accepted_by, all_of, any_json, between, boolean, integer, list_of, mapping, nullable, number,
    one_of, record, scalar, text,
)
from core.labeling.simulated_labelers import LabelerProfile
from core.modeling.training import TrainingConfig
from core.errors.slices import SlicePredicate
from storage.monitoring.settings import ALERT_KINDS

score = nullable(number)  # NaN scores are stored as null
scores = mapping(score)
column_list = list_of(text)

ROLES = all_of(
    record(optional={"target": nullable(text), "id": nullable(text), "time": nullable(text),
                     "sensitive": column_list, "ignored": column_list}),
    accepted_by(Roles.from_dict),
)
LABEL_NOISE = record(optional={"flipped_row_ids": list_of(integer), "original_labels": list_of(scalar)},
                     others=any_json)
GROUND_TRUTH = record(optional={"label_noise": LABEL_NOISE}, others=any_json)
PROFILE = all_of(
    record(optional={"accuracy": number, "confusions": list_of(list_of(scalar, length=2)),
                     "confusion_share": number, "unclear_rate": number, "seconds": number}),
    lambda value: None if not value else accepted_by(LabelerProfile.from_dict)(value),
)
TRAINING_CONFIG = all_of(
    record(required={"model": text},
           optional={"params": mapping(any_json), "balance_classes": boolean, "include_sensitive": column_list,
                     "cv_folds": integer, "learning_curve": boolean, "random_state": integer,
                     "min_frequency": number, "group_thresholds": mapping(any_json),
                     "positive_class": nullable(text)}),
    accepted_by(TrainingConfig.from_dict),
)
SCORES = record(optional={"n": score, "metrics": scores, "class_recall": scores, "class_n": scores,
                          "intervals": mapping(list_of(number, length=2))}, others=any_json)
EVALUATION = record(optional={
    "per_class": mapping(scores),
    "confusion": record(required={"labels": list_of(text), "matrix": list_of(list_of(number))}),
}, others=any_json)
RUN_DETAILS = record(optional={
    "features": record(required={"numeric": column_list, "categorical": column_list,
                                 "excluded": mapping(text)}),
    "classes": list_of(scalar), "train": EVALUATION, "dev": EVALUATION,
    "cv": list_of(mapping(nullable(scalar))), "learning_curve": list_of(mapping(nullable(scalar))),
    "cv_summary": mapping(record(required={"mean": score, "std": score})), "warnings": list_of(text),
}, others=any_json)
# A human-level baseline's labelers, as `storage.baselines.human_level` writes them.
LABELER_SCORE = record(required={"items": integer, "accuracy": score})
# A replay window's aggregates (core.deployment.log); the software metrics monitoring reads have exact
# shapes, and windows stored before throughput and memory were recorded lack them.
WINDOW_AGGREGATES = record(
    required={"index": integer, "n": integer, "start": text, "end": text},
    optional={"n_failed": integer, "n_to_human": integer, "mean_confidence": number,
              "class_mix": mapping(integer), "latency_ms": mapping(number), "seconds": number,
              "throughput_rps": nullable(number), "peak_rss_mb": nullable(number)},
    others=any_json)
GATE_CHECK = record(required={"condition": text, "passed": boolean, "message": text})

# (table, column) -> shape. Free-form notes that are only shown (event details, most batch
# parameters) accept any JSON value; everything a page interprets (a batch's card) has its exact shape.
JSON_SHAPES: dict[tuple[str, str], Shape] = {
    ("event", "details"): mapping(any_json),
    ("dataset", "column_kinds"): mapping(one_of(COLUMN_KINDS)),
    ("dataset", "roles"): ROLES,
    ("dataset_blob", "ground_truth"): GROUND_TRUTH,
    ("split", "fractions"): list_of(between(0, 1)),
    ("split", "counts"): mapping(integer),
    ("labeler", "simulated"): PROFILE,
    ("guideline", "classes"): list_of(scalar),
    ("guideline", "created_from"): mapping(any_json),
    ("label_batch", "params"): record(optional={"card": record(optional={"fields": column_list, "blind": boolean})},
                                      others=any_json),
    ("label_error_scan", "settings"): record(
        required={"model": text, "predictions": text, "folds": integer, "seed": integer, "split": text},
        others=any_json),
    ("label_error_scan", "checked"): list_of(integer),
    ("label_error_scan", "flagged"): list_of(record(required={
        "row_id": integer, "label": text, "suggested": text, "self_confidence": between(0, 1),
        "suggested_confidence": between(0, 1)})),
    ("baseline", "metrics"): scores,
    ("baseline", "overall"): all_of(SCORES, record(optional={"labelers": mapping(LABELER_SCORE)}, others=any_json)),
    ("baseline", "slices"): mapping(mapping(SCORES)),
    ("run", "config"): TRAINING_CONFIG,
    ("run", "metrics"): mapping(scores),
    ("run", "details"): RUN_DETAILS,
    ("run", "timings"): record(optional={"latency_busy": boolean, "latency_calls": integer}, others=score),
    ("run", "tags"): list_of(text),
    ("test_look", "metrics"): scores,
    ("promotion", "checks"): list_of(GATE_CHECK),
    # A saved audit is a record to show and sign, read back as saved; its parts are objects.
    ("audit", "settings"): mapping(any_json),
    ("audit", "results"): mapping(any_json),
    ("audit", "parity"): mapping(any_json),
    ("audit", "mitigation"): mapping(any_json),
    ("audit", "checklist"): list_of(mapping(any_json)),
    # A deployment's settings and log are read back as the replay stored them.
    ("deployment", "stream"): mapping(any_json),
    ("deployment", "plan"): mapping(any_json),
    ("deployment", "automation"): mapping(any_json),
    ("deployment", "summary"): mapping(any_json),
    ("deployment_event", "details"): mapping(any_json),
    ("deployment_window", "aggregates"): WINDOW_AGGREGATES,
    ("monitoring_setting", "methods"): mapping(text),
    ("retrain_policy", "alert_kinds"): list_of(one_of(ALERT_KINDS)),
    ("slice_definition", "conditions"): all_of(
        list_of(record(required={"column": text, "op": text, "value": any_json})),
        accepted_by(SlicePredicate.from_json)),
}


def json_columns(table: Table) -> list[str]:
    """Return the names of a table's JSON columns."""
    return [column.name for column in table.c if isinstance(column.type, JSON)]


def json_problem(table: str, column: str, value: Any) -> str | None:
    """Return what is wrong with a JSON column's value, in words, or None when it fits."""
    return JSON_SHAPES[(table, column)](value)
