"""Labels: append-only history, undo, decisions, snapshot hash, and concurrent writers."""

import threading

import pandas as pd
import pytest

from storage.labeling import batches
from storage.labeling import labels
from storage.data.datasets import add_dataset_version
from storage.db import session_scope
from storage.labeling.batches import LabelingError
from storage.labeling.tables import Label
from storage.project.projects import create_project, list_events, project_contents
from tests.storage.factories import small_frame


@pytest.fixture
def dataset(engine):
    frame = small_frame(60)
    frame.loc[frame.index[-10:], "y"] = None  # ten rows without a given label
    with session_scope(engine) as s:
        project = create_project(s, name="Labels")
        return add_dataset_version(s, project_id=project.id, name="d", frame=frame, source="test",
                                   roles={"target": "y"})


def plan(engine, dataset, *, size=10, labelers=("ann", "bob"), overlap=1.0, strategy="random", inputs=None):
    with session_scope(engine) as s:
        pool = labels.row_ids(s, dataset.id).difference(batches.assigned_rows(s, dataset.id))
        return batches.plan_batch(s, dataset_id=dataset.id, pool=pool, size=size, strategy=strategy,
                                  labelers=list(labelers), overlap=overlap, inputs=inputs, random_state=0)


def open_item(engine, batch, name):
    with session_scope(engine) as s:
        labeler = batches.ensure_labeler(s, project_id=batch.project_id, name=name)
        return labels.next_assignment(s, batch_id=batch.id, labeler_id=labeler.id), labeler


def label_next(engine, batch, name, value="1", seconds=2.0):
    item, _ = open_item(engine, batch, name)
    with session_scope(engine) as s:
        return labels.record_label(s, assignment_id=item.id, value=value, seconds=seconds)


def test_first_batch_starts_guideline_version_one_with_the_target_classes(engine, dataset):
    batch = plan(engine, dataset)
    with session_scope(engine) as s:
        guideline = batches.current_guideline(s, dataset.project_id)
        progress = batches.batch_progress(s, dataset.id)
    assert (batch.number, batch.size, guideline.version, guideline.classes) == (1, 10, 1, ["0.0", "1.0"]) or \
        guideline.classes == ["0", "1"]
    assert progress["assigned"].sum() == 20  # full overlap: every item to both labelers


def test_many_decisions_are_stored_at_once_with_one_timeline_entry(engine, dataset):
    classes = batch_classes(engine, dataset)
    with session_scope(engine) as s:
        made = labels.record_decisions(s, dataset_id=dataset.id, values={3: classes[0], 5: classes[1]},
                                       source="label_issue", actor="ana")
    with session_scope(engine) as s:
        history = labels.label_history(s, dataset.id)
        events = list_events(s, dataset.project_id)
    assert [(l.row_id, l.value, l.decision) for l in made] == [(3, classes[0], True), (5, classes[1], True)]
    assert history["decision"].all() and list(history["row_id"]) == [3, 5]
    assert list(events["what"]).count("decided labels (label_issue)") == 1


def test_labels_are_append_only_and_undo_adds_a_revision(engine, dataset):
    batch = plan(engine, dataset)
    classes = batch_classes(engine, dataset)
    first = label_next(engine, batch, "ann", classes[0])
    item, ann = open_item(engine, batch, "ann")
    with session_scope(engine) as s:
        row = labels.undo_last_label(s, batch_id=batch.id, labeler_id=ann.id)
    assert row == first.row_id
    again, _ = open_item(engine, batch, "ann")
    assert again.row_id == first.row_id  # the undone item comes back first
    with session_scope(engine) as s:
        labels.record_label(s, assignment_id=again.id, value=classes[1], seconds=1.0)
        history = labels.label_history(s, dataset.id)
    assert list(history["revision"]) == [1, 2, 3]
    assert list(history["value"].fillna("<undo>")) == [classes[0], "<undo>", classes[1]]
    assert list(history["guideline_version"]) == [1, 1, 1]


def batch_classes(engine, dataset):
    with session_scope(engine) as s:
        return batches.label_classes(s, dataset_id=dataset.id)


def test_current_labels_overlay_consensus_on_given_labels_and_hash_changes(engine, dataset):
    with session_scope(engine) as s:
        before, hash_before = labels.current_labels(s, dataset.id)
    assert len(before) == 50  # the ten rows without a label are left out
    batch = plan(engine, dataset, size=10, strategy="random")
    classes = batch_classes(engine, dataset)
    for _ in range(10):
        label_next(engine, batch, "ann", classes[1])
        label_next(engine, batch, "bob", classes[1])
    with session_scope(engine) as s:
        after, hash_after = labels.current_labels(s, dataset.id)
        again = labels.current_labels(s, dataset.id).snapshot_hash
    assert hash_after != hash_before and again == hash_after
    assert len(after) == 50 + after.index.isin(range(50, 60)).sum()
    assert after.dtype == before.dtype  # typed like the target column


def test_a_decision_overrides_the_vote_and_keeps_the_history(engine, dataset):
    batch = plan(engine, dataset, size=2)
    classes = batch_classes(engine, dataset)
    first = label_next(engine, batch, "ann", classes[0])
    label_next(engine, batch, "bob", classes[0])
    with session_scope(engine) as s:
        resolution = labels.resolve_disagreement(s, dataset_id=dataset.id, row_id=first.row_id, value=classes[1],
                                                 rule="Faint marks count as 1.", actor="rev")
        current, _ = labels.current_labels(s, dataset.id)
        guideline = batches.current_guideline(s, dataset.project_id)
        history = labels.label_history(s, dataset.id)
    assert str(current[first.row_id]) in (classes[1], str(float(classes[1])) if "." not in classes[1] else classes[1])
    assert guideline.version == 2 and "Faint marks count as 1." in guideline.text
    assert resolution.guideline_version == 2
    assert len(history[history.row_id == first.row_id]) == 3


def test_bad_input_is_refused_and_writes_nothing(engine, dataset):
    batch = plan(engine, dataset, size=3)
    item, _ = open_item(engine, batch, "ann")
    with pytest.raises(LabelingError, match="not one of the label classes"):
        with session_scope(engine) as s:
            labels.record_label(s, assignment_id=item.id, value="maybe", seconds=1)
    with pytest.raises(LabelingError, match="does not exist"):
        with session_scope(engine) as s:
            labels.record_decision(s, dataset_id=dataset.id, row_id=9999, value="1", source="test")
    classes = batch_classes(engine, dataset)
    for bad in ({0: classes[0], 1: "maybe"}, {0: classes[0], 9999: classes[0]}):  # all or none
        with pytest.raises(LabelingError), session_scope(engine) as s:
            labels.record_decisions(s, dataset_id=dataset.id, values=bad, source="test")
    with pytest.raises(LabelingError, match="name is empty"):
        with session_scope(engine) as s:
            batches.add_labeler(s, project_id=dataset.project_id, name="  ")
    with pytest.raises(ValueError, match="only 57 unlabeled items"):
        plan(engine, dataset, size=500)
    with session_scope(engine) as s:
        assert labels.label_history(s, dataset.id).empty
        assert project_contents(s, dataset.project_id).get("label_batch") == 1


def test_a_dataset_without_classes_is_refused(engine):
    with session_scope(engine) as s:
        project = create_project(s, name="No target")
        unlabeled = add_dataset_version(s, project_id=project.id, name="u", frame=small_frame(20), source="test")
    with pytest.raises(LabelingError, match="no label classes"):
        plan(engine, unlabeled, size=5)


def test_two_tabs_clicking_the_same_item_count_it_once(engine, dataset):
    """Threads stand in for two browser sessions of the same labeler showing the same item."""
    batch = plan(engine, dataset, size=20, labelers=("ann", "bob"), overlap=1.0)
    classes = batch_classes(engine, dataset)
    outcomes = {"stored": 0, "refused": 0}
    lock = threading.Lock()

    def tab(name):
        for _ in range(20):
            item, _ = open_item(engine, batch, name)
            if item is None:
                return
            try:
                with session_scope(engine) as s:
                    labels.record_label(s, assignment_id=item.id, value=classes[0], seconds=1)
                result = "stored"
            except LabelingError:
                result = "refused"
            with lock:
                outcomes[result] += 1

    threads = [threading.Thread(target=tab, args=(name,)) for name in ("ann", "ann", "bob", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope(engine) as s:
        history = labels.label_history(s, dataset.id)
        progress = batches.batch_progress(s, dataset.id)
    assert outcomes["stored"] == 40 == len(history)  # every item once per labeler, none lost
    assert not history.duplicated(["row_id", "labeler"]).any()
    assert (progress["done"] == progress["assigned"]).all()


def test_concurrent_batch_planning_never_assigns_an_item_twice_to_a_labeler(engine, dataset):
    errors = []

    def planner():
        try:
            plan(engine, dataset, size=5, labelers=("ann", "bob"), overlap=0.5)
        except LabelingError as error:
            errors.append(error)

    threads = [threading.Thread(target=planner) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope(engine) as s:
        numbers = [b.number for b in batches.list_batches(s, dataset.id)]
        rows = s.exec(__import__("sqlmodel").select(Label)).all()
    assert sorted(numbers) == list(range(1, len(numbers) + 1)) and len(numbers) + len(errors) == 4
    assert rows == []


def test_simulated_labels_fill_open_items_in_one_go(engine, dataset):
    batch = plan(engine, dataset, size=8, labelers=("ann", "sim"), overlap=1.0)
    classes = batch_classes(engine, dataset)
    _, sim = open_item(engine, batch, "sim")
    with session_scope(engine) as s:
        items = [a.row_id for a in labels.open_assignments(s, batch_id=batch.id, labeler_id=sim.id)]
        simulated = pd.DataFrame({"value": classes[0], "seconds": 3.0}, index=items)
        stored = labels.store_simulated_labels(s, batch_id=batch.id, labeler_id=sim.id, labels=simulated)
    assert stored == 8
    assert open_item(engine, batch, "sim")[0] is None


def test_export_and_import_keep_the_labels_and_their_snapshot(engine, dataset, tmp_path):
    from storage import transfer
    from storage.data.datasets import list_datasets
    from storage.db import make_engine

    batch = plan(engine, dataset, size=4)
    classes = batch_classes(engine, dataset)
    label_next(engine, batch, "ann", classes[0])
    label_next(engine, batch, "bob", classes[1])
    with session_scope(engine) as s:
        labels.resolve_disagreement(s, dataset_id=dataset.id, row_id=int(labels.label_history(s, dataset.id).row_id[0]),
                                    value=classes[1], rule="Ties go to 1.", actor="rev")
        original = labels.current_labels(s, dataset.id)
        history = labels.label_history(s, dataset.id)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    imported = transfer.import_project(other, transfer.export_project(engine, dataset.project_id))
    with session_scope(other) as s:
        copy_id = list_datasets(s, imported.id)[0].id
        copy = labels.current_labels(s, copy_id)
        copied = labels.label_history(s, copy_id)
        assert batches.current_guideline(s, imported.id).version == 2
    other.dispose()
    assert copy.snapshot_hash == original.snapshot_hash
    pd.testing.assert_series_equal(copy.labels, original.labels)
    keep = ["row_id", "labeler", "batch", "revision", "value", "decision", "source"]
    pd.testing.assert_frame_equal(copied[keep], history[keep])


@pytest.mark.parametrize("values", [[0, 1, None], ["no", "yes", None], [0.0, 1.0, None]])
def test_with_no_app_labels_the_given_labels_come_back_as_the_full_derivation_gives_them(engine, values):
    from core.labeling.label_set import current_label_set, effective_labels, snapshot_hash, typed_like
    frame = small_frame(30)
    frame["y"] = pd.Series(values * 10, index=frame.index)
    if isinstance(values[0], str):
        frame["y"] = frame["y"].astype("category")
    with session_scope(engine) as s:
        project = create_project(s, name="Given only")
        stored = add_dataset_version(s, project_id=project.id, name="d", frame=frame, source="t",
                                     roles={"target": "y"})
    with session_scope(engine) as s:
        quick, quick_hash = labels.current_labels(s, stored.id)
        history = labels.label_history(s, stored.id)
    derived = current_label_set(frame["y"], effective_labels(history))
    pd.testing.assert_series_equal(quick, typed_like(derived, frame["y"]))
    assert quick_hash == snapshot_hash(derived, dataset_hash=stored.content_hash)
