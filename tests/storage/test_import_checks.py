"""Hostile project files: each is a real export edited with sqlite3, refused with words, writing nothing."""

import json

import pytest
from sqlmodel import SQLModel

from storage import transfer
from storage.db import session_scope
from storage.json_columns import JSON_SHAPES, json_columns
from storage.project import projects
from storage.transfer import ImportRefused
from tests.storage.import_factories import full_project_export, tampered


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return full_project_export(tmp_path_factory.mktemp("source"))


def project_names(engine):
    with session_scope(engine) as s:
        return [p.name for p in projects.list_projects(s)]


def refused(engine, data, *expected):
    """Assert the import is refused with a message holding every expected phrase, and writes nothing."""
    before = project_names(engine)
    with pytest.raises(ImportRefused) as raised:
        transfer.import_project(engine, data)
    message = str(raised.value)
    for phrase in expected:
        assert phrase in message
    assert "Traceback" not in message and "Error" not in message
    assert project_names(engine) == before
    return message


def test_every_json_column_of_every_table_has_a_shape():
    columns = {(t.name, c) for t in SQLModel.metadata.sorted_tables for c in json_columns(t)}
    assert columns - set(JSON_SHAPES) == set(), "add a shape to storage/json_columns.py"
    assert set(JSON_SHAPES) - columns == set(), "a shape names a column that is not JSON (any more)"


def test_the_full_export_has_a_row_in_every_table_with_a_json_column(export, tmp_path):
    import sqlite3
    path = tmp_path / "x.db"
    path.write_bytes(export)
    with sqlite3.connect(path) as connection:
        empty = [table for table, _ in JSON_SHAPES
                 if connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0]
    assert empty == []


def test_the_full_export_imports_whole(export, engine):
    project = transfer.import_project(engine, export)
    assert project.name == "Full"
    with session_scope(engine) as s:
        contents = projects.project_contents(s, project.id)
    assert {table for table, _ in JSON_SHAPES} <= set(contents)


# One value of the wrong shape for each JSON column: the kind of edit that used to import and
# then break every page reading it.
WRONG_SHAPES = {
    ("event", "details"): "[1, 2]",
    ("dataset", "column_kinds"): '{"x": "pixels"}',
    ("dataset", "roles"): "[1, 2, 3]",
    ("dataset_blob", "ground_truth"): '{"label_noise": {"flipped_row_ids": ["a"]}}',
    ("split", "fractions"): "[2.5]",
    ("split", "counts"): '{"train": "many"}',
    ("labeler", "simulated"): '{"accuracy": 7}',
    ("guideline", "classes"): "[[1]]",
    ("guideline", "created_from"): '"edited"',
    ("label_batch", "params"): '{"card": {"fields": "income"}}',
    ("baseline", "metrics"): '{"accuracy": "high"}',
    ("baseline", "overall"): '{"metrics": {"accuracy": [1]}}',
    ("baseline", "slices"): '{"sex": {"F": {"n": "x"}}}',
    ("run", "config"): '{"model": "logistic_regression", "cv_folds": "3"}',
    ("run", "metrics"): '{"dev": {"f1": "good"}}',
    ("run", "details"): '{"features": {"numeric": 1, "categorical": [], "excluded": {}}}',
    ("run", "timings"): '{"fit_seconds": "fast"}',
    ("run", "tags"): '"a, b"',
    ("test_look", "metrics"): "[0.5]",
    ("promotion", "checks"): '[{"condition": 1, "passed": true, "message": ""}]',
    ("label_error_scan", "settings"): '{"model": "logistic_regression"}',
    ("label_error_scan", "checked"): '["3"]',
    ("label_error_scan", "flagged"): '[{"row_id": 3, "label": "1", "suggested": "7", "self_confidence": 2}]',
    ("audit", "settings"): "[1]",
    ("audit", "results"): '"all fair"',
    ("audit", "parity"): "7",
    ("audit", "mitigation"): "[]",
    ("audit", "checklist"): '["confirmed"]',
    ("deployment", "stream"): '"test split"',
    ("deployment", "plan"): "[10, 25]",
    ("deployment", "automation"): "0.5",
    ("deployment", "summary"): "[]",
    ("deployment_event", "details"): '"rolled back"',
    ("deployment_window", "aggregates"): '{"index": 0, "n": 10, "start": "2025-06-01", "end": "2025-06-02", '
                                         '"throughput_rps": "fast"}',
    ("monitoring_setting", "methods"): '{"income": 3}',
    ("retrain_policy", "alert_kinds"): '["weather"]',
    ("slice_definition", "conditions"): '[{"column": "x1", "op": "is about", "value": 1}]',
}


def test_every_json_column_has_a_wrong_shape_case():
    assert set(WRONG_SHAPES) == set(JSON_SHAPES)


@pytest.mark.parametrize("table, column", sorted(WRONG_SHAPES))
def test_a_json_value_of_the_wrong_shape_is_refused(export, engine, tmp_path, table, column):
    bad = tampered(export, tmp_path, (f'UPDATE "{table}" SET "{column}" = ?', (WRONG_SHAPES[(table, column)],)))
    refused(engine, bad, f"table {table}", f"column {column}", "Nothing was imported")


@pytest.mark.parametrize("roles, expected", [
    ('{"target": 5}', "expected text, found a number"),
    ('{"sensitive": "group"}', "expected a list, found text"),
    ('{"colour": "x"}', "unexpected key 'colour'"),
    ("null", "expected an object, found null"),
])
def test_roles_of_the_wrong_shape_are_refused_with_the_place_named(export, engine, tmp_path, roles, expected):
    bad = tampered(export, tmp_path, ("UPDATE dataset SET roles = ?", (roles,)))
    refused(engine, bad, "table dataset", "column roles", expected)


def test_json_values_pass_the_shapes_the_app_writes(export, tmp_path):
    import sqlite3
    from storage.json_columns import json_problem
    path = tmp_path / "x.db"
    path.write_bytes(export)
    with sqlite3.connect(path) as connection:
        for table, column in JSON_SHAPES:
            for (value,) in connection.execute(f'SELECT "{column}" FROM "{table}"'):
                assert json_problem(table, column, json.loads(value)) is None, (table, column, value)


def test_a_human_level_baselines_labeler_table_passes_and_a_list_in_its_place_is_refused(engine):
    # The labelers' table of an HLP baseline was once checked as [items, accuracy] pairs, which
    # refused every export holding one; workshop packs hold one.
    from storage.baselines.human_level import add_hlp_baseline
    from storage.json_columns import json_problem
    from tests.storage.baseline_factories import digits_with_overlap_labels
    _, dataset_id, _ = digits_with_overlap_labels(engine, size=40)
    with session_scope(engine) as s:
        overall = json.loads(json.dumps(add_hlp_baseline(s, dataset_id=dataset_id).overall))
    assert len(overall["labelers"]) == 3
    assert json_problem("baseline", "overall", overall) is None
    name = next(iter(overall["labelers"]))
    wrong = {**overall, "labelers": {name: [12, 0.9]}}
    assert "expected an object" in json_problem("baseline", "overall", wrong)
