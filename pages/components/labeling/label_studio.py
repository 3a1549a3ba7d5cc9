"""Import labels from a Label Studio JSON export into a new batch of the dataset version."""

from functools import partial

import streamlit as st

from core.labeling.label_studio import MAX_IMPORT_MB
from pages.components import state
from pages.components.feedback import attempt
from pages.components.text import plain
from storage.data.tables import Dataset
from storage.labeling.label_studio import ImportSummary, import_label_studio


def label_studio_import(dataset: Dataset) -> None:
    """Read an uploaded Label Studio export into labels of a new batch; a refused file stores nothing."""
    with st.expander(f"Import labels from Label Studio into {plain(dataset.name)} v{dataset.version}",
                     icon=":material/upload:", key="lab.label_studio.open", on_change="rerun"):
        st.caption("Upload the file Label Studio's Export → JSON writes. Its annotators become labelers and their "
                   "annotations the labels of a new batch; skipped or cancelled annotations are left out. Each task "
                   "names its row by `data.row_id` (as the app's Label Studio download writes it) or by its `id`; "
                   f"rows this version lacks or classes the guideline lacks refuse the whole file. At most "
                   f"{MAX_IMPORT_MB} MB.")
        upload = st.file_uploader("Label Studio JSON export", type=["json"], max_upload_size=MAX_IMPORT_MB,
                                  key="lab.label_studio.file")
        if st.button("Import labels", key="lab.label_studio.import", disabled=upload is None):
            summary = attempt(partial(import_label_studio, dataset_id=dataset.id, data=upload.getvalue(),
                                      actor=state.actor()))
            if summary is not None:
                state.flash(imported_message(summary))
                st.rerun()


def imported_message(summary: ImportSummary) -> str:
    """Return what an import stored and what it left out, in words."""
    left_out = [f"{summary.cancelled} skipped or cancelled annotation(s)"] if summary.cancelled else []
    left_out += [f"{summary.without_annotations} task(s) without annotations"] if summary.without_annotations else []
    return (f"Imported {summary.labels} label(s) from {len(summary.labelers)} annotator(s) "
            f"({', '.join(summary.labelers)}) into batch {summary.batch_number}, from {summary.tasks} task(s)"
            + (f"; left out {' and '.join(left_out)}." if left_out else "."))
