"""The Datasets page takes a download of its own back: with its sidecar it is recognised as the same version."""

import pytest

from core.data.ingest import read_table
from pages.components.data.intake import store_frame
from storage.data import datasets
from storage.db import session_scope
from storage.exports import dataset_download
from storage.project import projects
from tests.pages.conftest import read, texts
from tests.pages.test_datasets import open_datasets
from tests.storage.test_exports import UPLOAD

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL


def _downloaded(engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Study")
        stored = store_frame(s, project_id=project.id, name="people", frame=read_table(UPLOAD, "people.csv").frame,
                             source="upload:people.csv", actor="ann")
        data_file, sidecar = dataset_download(s, stored.dataset.id, file_format="csv", with_labels=False,
                                              with_split=False)
        return project.id, data_file, sidecar


def _choose(at, data_file, sidecar=None):
    at.get("file_uploader")[0].set_value((data_file.file_name, data_file.data, "text/csv"))
    if sidecar is not None:
        at.get("file_uploader")[1].set_value((sidecar.file_name, sidecar.data, "application/json"))
    return at.run()


def test_a_download_with_its_sidecar_is_the_version_it_came_from(app, engine):
    project_id, data_file, sidecar = _downloaded(engine)
    at = _choose(open_datasets(app), data_file, sidecar)
    assert not at.exception and not at.error
    shown = texts(at.markdown)
    assert "Column row_id read as the row ids of a Workbench download (6 rows)" in shown
    assert "Content hash equals the sidecar's: this is people v1 exactly" in shown
    at = at.button(key="ds.store").click().run()
    assert "Nothing new to store: the data is identical to people v1." in texts(at.info)
    assert len(read(engine, lambda s: datasets.list_datasets(s, project_id))) == 1


def test_a_sidecar_of_another_file_is_refused_and_nothing_can_be_stored(app, engine):
    _, data_file, sidecar = _downloaded(engine)
    wrong = type(sidecar)(sidecar.file_name, b'{"dataset": "people"}', sidecar.mime)
    at = _choose(open_datasets(app), data_file, wrong)
    assert "The sidecar is not the JSON file downloaded beside a dataset" in texts(at.error)
    assert at.button(key="ds.store").disabled
