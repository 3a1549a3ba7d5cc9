"""Class display names are stored apart from the values: saving, replacing, clearing, refusing."""

import pytest

from core.labeling.classes import ClassNameError
from sqlmodel import select

from storage.data.datasets import add_dataset_version, list_datasets, load_frame
from storage.db import session_scope
from storage.labeling import batches, class_names, labels
from storage.labeling.tables import Label
from storage.project.projects import create_project, list_events, project_contents
from tests.storage.factories import small_frame


@pytest.fixture
def project_id(engine):
    with session_scope(engine) as s:
        project = create_project(s, name="Loans")
        add_dataset_version(s, project_id=project.id, name="d", frame=small_frame(40), source="test",
                            roles={"target": "y"})
        return project.id


def classes_of(engine, project_id):
    with session_scope(engine) as s:
        return class_names.project_classes(s, project_id)


def test_the_classes_are_the_target_values_of_the_newest_version(engine, project_id):
    with session_scope(engine) as s:
        dataset = add_dataset_version(s, project_id=project_id, name="d", frame=small_frame(40).assign(y=list("ab") * 20),
                                      source="test", roles={"target": "y"})
        assert dataset.version == 2
    assert classes_of(engine, project_id) == ["a", "b"]


def test_names_are_saved_replaced_and_cleared_and_the_timeline_says_so(engine, project_id):
    classes = classes_of(engine, project_id)
    with session_scope(engine) as s:
        class_names.save_class_names(s, project_id=project_id, names=dict(zip(classes, ["no", "yes"])), actor="ana")
    with session_scope(engine) as s:
        assert class_names.class_names(s, project_id).names == dict(zip(classes, ["no", "yes"]))
        class_names.save_class_names(s, project_id=project_id, names=dict(zip(classes, ["rejected", "approved"])))
    with session_scope(engine) as s:
        assert class_names.class_names(s, project_id).show(classes[1]) == "approved"
        assert project_contents(s, project_id)["class_name"] == 2
        class_names.clear_class_names(s, project_id=project_id)
    with session_scope(engine) as s:
        assert class_names.class_names(s, project_id).names == {}
        actions = list(list_events(s, project_id)["what"])
    assert actions.count("named classes") == 2 and "cleared class names" in actions


def test_a_refused_set_writes_nothing_and_keeps_the_names_before(engine, project_id):
    classes = classes_of(engine, project_id)
    with session_scope(engine) as s:
        class_names.save_class_names(s, project_id=project_id, names=dict(zip(classes, ["no", "yes"])))
    for bad in ({classes[0]: "same", classes[1]: "same"}, {classes[0]: ""}, {"7": "seven"}):
        with pytest.raises(ClassNameError), session_scope(engine) as s:
            class_names.save_class_names(s, project_id=project_id, names=bad)
    with session_scope(engine) as s:
        assert class_names.class_names(s, project_id).names == dict(zip(classes, ["no", "yes"]))


def test_labels_keep_the_stored_value_when_classes_have_names(engine, project_id):
    with session_scope(engine) as s:
        dataset_id = list_datasets(s, project_id)[0].id
        classes = class_names.project_classes(s, project_id)
        class_names.save_class_names(s, project_id=project_id, names=dict(zip(classes, ["no", "yes"])))
        batch = batches.plan_batch(s, dataset_id=dataset_id, pool=load_frame(s, dataset_id).index, size=2,
                                   strategy="random", labelers=["ann"], overlap=0.0)
        item = labels.open_assignments(s, batch_id=batch.id, labeler_id=batches.ensure_labeler(
            s, project_id=project_id, name="ann").id)[0]
        labels.record_label(s, assignment_id=item.id, value=classes[1], seconds=1.0)
    with session_scope(engine) as s:
        assert [l.value for l in s.exec(select(Label))] == [classes[1]]


def test_class_values_longer_than_a_display_name_are_named_and_kept_whole(engine):
    """Class values come from the data, which sets no length; only the typed display name has one (40)."""
    values = ["rejected " + "r" * 300, "approved " + "a" * 300]
    with session_scope(engine) as s:
        project = create_project(s, name="Long")
        frame = small_frame(40).assign(y=values * 20)
        add_dataset_version(s, project_id=project.id, name="d", frame=frame, source="test", roles={"target": "y"})
        class_names.save_class_names(s, project_id=project.id, names=dict(zip(values, ["no", "yes"])))
    with session_scope(engine) as s:
        assert class_names.class_names(s, project.id).names == dict(zip(values, ["no", "yes"]))
