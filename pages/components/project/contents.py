"""What a project's stored rows mean to a user, for the delete confirmation."""

# Table name -> how a user calls its rows; None for rows counted through another table.
CONTENT_NOUNS: dict[str, str | None] = {
    "dataset": "dataset versions", "dataset_blob": None, "split": "splits", "event": "timeline events",
    "scope_answer": "scoping answers", "scope_effort": "effort plans", "target": "targets",
    "positive_class": "positive-class choices",
    "labeler": "labelers", "guideline": "guideline versions", "label_batch": "labeling batches",
    "assignment": "labeling assignments", "label": "labels", "label_resolution": "resolved disagreements",
    "review": "label reviews", "class_name": "class display names",
    "label_error_scan": "label-error scans", "baseline": "baselines", "run": "experiment runs",
    "model_artifact": "stored models", "prediction": "stored prediction sets",
    "promotion": "promotion decisions", "registry_alias": "registry aliases", "test_look": "test-set looks",
    "audit": "fairness audits",
    "tag": "tags on errors", "slice_definition": "saved slices",
    "deployment": "deployment replays", "deployment_event": "deployment timeline events",
    "deployment_window": "prediction-log windows", "deployment_sample": None,
    "alert_rule": "alert rules", "alert": "monitoring alerts", "monitoring_setting": "monitoring settings",
    "retrain_policy": "retraining policies",
}


def describe_contents(counts: dict[str, int]) -> list[str]:
    """Return phrases like '3 dataset versions' for the tables that hold rows."""
    return [f"{n:,} {CONTENT_NOUNS.get(table) or table.replace('_', ' ') + ' rows'}"
            for table, n in counts.items() if CONTENT_NOUNS.get(table, table) is not None]
