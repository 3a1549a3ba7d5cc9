"""Label-error scans: stored when made (checked against cleanlab), read back, fixes counted, exported, deleted."""

import numpy as np
import pandas as pd
import pytest
from sqlmodel import select
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues

from storage import transfer
from storage.db import session_scope
from storage.labeling import labels, scans
from storage.labeling.tables import LabelErrorScan
from storage.project.projects import delete_project, list_events, project_contents
from tests.storage.experiment_factories import project_with_data
from tests.storage.labeling.scan_factories import scan_inputs, store_a_scan

FLIPS = 12  # training labels flipped by a decision before the scan, so it has rows to flag


@pytest.fixture
def noisy(engine):
    """(project id, dataset id) of a labelled version whose first training labels were flipped."""
    project_id, dataset_id = project_with_data(engine, n_rows=300, name="Scans")
    with session_scope(engine) as s:
        _, given, _, _, _ = scan_inputs(s, dataset_id)
        classes = sorted(given.unique())
        flips = {int(r): next(c for c in classes if c != v) for r, v in given.head(FLIPS).items()}
        labels.record_decisions(s, dataset_id=dataset_id, values=flips, source="resolution", actor="ana")
    return project_id, dataset_id


def cleanlab_rows(given: pd.Series, probs: pd.DataFrame) -> set[int]:
    codes = pd.Categorical(given.loc[probs.index], categories=list(probs.columns)).codes
    return set(probs.index[cleanlab_find_label_issues(codes, probs.to_numpy())])


def test_a_scan_is_stored_with_cleanlabs_rows_and_a_timeline_entry(engine, noisy):
    project_id, dataset_id = noisy
    with session_scope(engine) as s:
        scan, probs, given = store_a_scan(s, dataset_id)
    with session_scope(engine) as s:
        stored = scans.stored_scan(s, dataset_id)
        events = list(list_events(s, project_id)["what"])
    assert set(stored.table.index) == cleanlab_rows(given, probs) and stored.n_flagged >= 1
    assert stored.n_checked == len(probs) == len(stored.checked) and set(stored.checked) == set(probs.index)
    assert stored.table["self_confidence"].is_monotonic_increasing and stored.actor == "ana"
    rows = stored.table.index.to_numpy()
    codes = [list(probs.columns).index(v) for v in stored.table["label"]]
    assert np.allclose(stored.table["self_confidence"], probs.loc[rows].to_numpy()[np.arange(len(rows)), codes])
    assert (stored.table["suggested"] == probs.loc[rows].idxmax(axis=1)).all()
    assert stored.settings == {"model": "logistic_regression", "predictions": "out_of_fold", "folds": 3, "seed": 0,
                               "split": "train"}
    assert f"Label errors: {stored.n_flagged} flagged of {stored.n_checked} checked" in events
    with session_scope(engine) as s:
        assert stored.labels_hash == labels.current_labels(s, dataset_id).snapshot_hash


def test_a_repeat_of_the_newest_scan_stores_nothing_and_returns_it(engine, noisy):
    project_id, dataset_id = noisy
    with session_scope(engine) as s:
        first, _, _ = store_a_scan(s, dataset_id)
    with session_scope(engine) as s:
        again, _, _ = store_a_scan(s, dataset_id)  # same labels, split, folds and seed
        other_seed, _, _ = store_a_scan(s, dataset_id, seed=1)
    assert again.id == first.id and other_seed.id != first.id
    with session_scope(engine) as s:
        assert len(s.exec(select(LabelErrorScan)).all()) == 2
        assert sum(str(w).startswith("Label errors:") for w in list_events(s, project_id)["what"]) == 2


def test_the_newest_scan_is_read_and_only_fixes_from_review_after_it_count(engine, noisy):
    _, dataset_id = noisy
    with session_scope(engine) as s:
        assert scans.stored_scan(s, dataset_id) is None
        store_a_scan(s, dataset_id, folds=2)
        store_a_scan(s, dataset_id, folds=3)
    with session_scope(engine) as s:
        stored = scans.stored_scan(s, dataset_id)
        first, second = (int(r) for r in stored.table.index[:2])
        fix = str(stored.table.at[first, "suggested"])
        labels.record_decisions(s, dataset_id=dataset_id, values={first: fix}, source="label_issue", actor="bo")
        labels.record_decisions(s, dataset_id=dataset_id, values={second: fix}, source="review", actor="bo")
        unflagged = int(stored.checked.difference(stored.table.index)[0])
        labels.record_decisions(s, dataset_id=dataset_id, values={unflagged: fix}, source="label_issue")
    with session_scope(engine) as s:
        again = scans.stored_scan(s, dataset_id)
        changed = labels.current_labels(s, dataset_id).snapshot_hash
    assert again.settings["folds"] == 3 and again.fixed == {first: fix}
    assert again.labels_hash != changed  # the labels it saw changed since: the page marks it stale


def test_a_scan_is_exported_imported_and_deleted_with_its_project(engine, noisy, tmp_path):
    from storage.db import make_engine
    project_id, dataset_id = noisy
    with session_scope(engine) as s:
        store_a_scan(s, dataset_id)
        original = scans.stored_scan(s, dataset_id)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    imported = transfer.import_project(other, transfer.export_project(engine, project_id))
    with session_scope(other) as s:
        [copy] = s.exec(LabelErrorScan.__table__.select()).all()
        stored = scans.stored_scan(s, copy.dataset_id)
        assert copy.project_id == imported.id
    other.dispose()
    pd.testing.assert_frame_equal(stored.table, original.table)
    assert (stored.n_checked, list(stored.checked), stored.settings, stored.labels_hash) == (
        original.n_checked, list(original.checked), original.settings, original.labels_hash)
    with session_scope(engine) as s:
        assert project_contents(s, project_id)["label_error_scan"] == 1
        delete_project(s, project_id=project_id)
    with session_scope(engine) as s:
        assert s.exec(LabelErrorScan.__table__.select()).all() == []
