"""The Labeling page's Label Studio download and import through AppTest: what the user sees and what is stored."""

import json

import pytest
from sqlalchemy import func
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from core.labeling.label_set import effective_labels
from pages.components.data.intake import create_project_from
from storage.data import datasets
from storage.db import session_scope
from storage.labeling import labels
from storage.labeling.tables import Label, LabelBatch, Labeler
from storage.project import projects
from tests.pages.conftest import APP, read, texts
from tests.pages.downloads import download_of, saved_files  # noqa: F401 (a fixture)
from tests.pages.test_labeling import PAGE, digits, open_page, plan  # noqa: F401 (a fixture)
from tests.storage.labeling.test_label_studio import HAND_WRITTEN

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL


def labeled_by_the_demo_team(app):
    at = open_page(app, "Plan")
    at = plan(at.button(key="lab.demo_team").click().run(), size=12, overlap=1.0)
    return next(b for b in at.button if (b.key or "").startswith("lab.simulate.")).click().run()


def effective(engine, dataset_id):
    made = read(engine, lambda s: effective_labels(labels.label_history(s, dataset_id)))
    return sorted(zip(made["row_id"], made["labeler"], made["value"], made["decision"]))


def counts(engine):
    return read(engine, lambda s: [s.exec(select(func.count()).select_from(t)).one() for t in (Label, Labeler,
                                                                                               LabelBatch)])


def upload(at, data: bytes, name="export.json"):
    at.get("file_uploader")[0].set_value((name, data, "application/json"))  # the page has one uploader
    return at.run().button(key="lab.label_studio.import").click().run()


def test_the_label_studio_download_has_a_task_per_labeled_item_and_an_annotation_per_labeler(
        app, engine, digits, saved_files):
    at = labeled_by_the_demo_team(app).button(key="lab.download.prepare").click().run()
    assert not at.exception
    data, name = download_of(at, "lab.download.label_studio", saved_files)
    assert name.startswith("Digits_digits-v1-label-studio_") and name.endswith("Z.json")
    tasks = json.loads(data)
    made = effective(engine, digits.id)
    assert len(tasks) == len({row for row, *_ in made}) == 12
    downloaded = sorted((t["data"]["row_id"], a["completed_by"]["first_name"], a["result"][0]["value"]["choices"][0],
                         a["ground_truth"]) for t in tasks for a in t["annotations"])
    assert downloaded == made
    assert set(tasks[0]["data"]) >= {"pixel_0", "pixel_63", "row_id"}


def test_without_labels_made_in_the_app_there_is_no_label_studio_file_and_the_page_says_why(app, engine, digits):
    at = open_page(app).button(key="lab.download.prepare").click().run()
    assert "has no labels made in the app to export yet" in texts(at.error)
    assert [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")] == ["lab.download.history",
                                                                                   "lab.download.current"]


def test_the_app_s_own_export_imports_into_another_project_as_the_same_labels(app, engine, digits, saved_files):
    at = labeled_by_the_demo_team(app).button(key="lab.download.prepare").click().run()
    data, _ = download_of(at, "lab.download.label_studio", saved_files)
    with session_scope(engine) as s:
        create_project_from(s, name="Copy", source_label="Demo: Handwritten digits", actor="ann")
        copy = datasets.list_datasets(s, projects.list_projects(s)[0].id)[0]
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["project"] = str(copy.project_id)  # opened by its address, in a new tab
    at = upload(other.run().switch_page(PAGE).run(), data)
    assert not at.exception and not at.error
    made = len(effective(engine, digits.id))
    assert f"Imported {made} label(s) from 3 annotator(s)" in texts(at.success)
    assert "into batch 1, from 12 task(s)." in texts(at.success)
    assert effective(engine, copy.id) == effective(engine, digits.id)



def test_a_hand_written_export_imports_and_the_message_counts_what_was_left_out(app, engine, digits):
    at = upload(open_page(app), json.dumps(HAND_WRITTEN).encode())
    assert not at.exception and not at.error
    assert ("Imported 4 label(s) from 3 annotator(s) (Mia Roe, li@example.org, Label Studio "
                                 "user 7) into batch 1, from 4 task(s); left out 2 skipped or cancelled "
                                 "annotation(s) and 1 task(s) without annotations.") in texts(at.success)
    assert effective(engine, digits.id) == [(3, "Label Studio user 7", "1", False), (3, "Mia Roe", "1", False),
                                            (3, "li@example.org", "0", False), (4, "Mia Roe", "0", False)]


def _task(row_id, value):
    return {"id": row_id, "annotations": [{"completed_by": 1, "result": [
        {"from_name": "label", "to_name": "item", "type": "choices", "value": {"choices": [value]}}]}]}


@pytest.mark.parametrize("data, expected", [
    (b"", "The file is empty"),
    (b"not json at all", "The file is not JSON (Expecting value at line 1, column 1)"),
    (json.dumps([_task(5000 + n, "1") for n in range(8)]).encode(),
     "8 task(s) name rows that dataset digits v1 does not have: row 5000, 5001, 5002, 5003, 5004 and 3 more"),
    (json.dumps([_task(1, "cat"), _task(2, "1")]).encode(),
     "1 class(es) in the file are not label classes of this project (0, 1, 2, 3, 4, 5, 6, 7, 8, 9): “cat”"),
])
def test_a_bad_file_is_refused_with_its_problem_named_and_nothing_stored(app, engine, digits, data, expected):
    before = counts(engine)
    at = upload(open_page(app), data)
    assert not at.exception and not at.success
    assert expected in texts(at.error)
    assert counts(engine) == before


def test_a_file_over_100_mb_is_refused(app, engine, digits):
    before = counts(engine)
    at = upload(open_page(app), b"[" + b" " * (100 * 1024 * 1024) + b"]")
    assert "The file is 100 MB; at most 100 MB of tasks can be imported at once." in texts(at.error)
    assert counts(engine) == before
