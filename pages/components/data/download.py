"""The Datasets page's download of a version: CSV or Parquet with row_id, labels and split, and its sidecar."""

from functools import partial

import streamlit as st

from pages.components.feedback import attempt
from pages.components.text import plain
from storage.data.tables import Dataset
from storage.exports import dataset_download

FORMATS = {"CSV": "csv", "Parquet": "parquet"}


def download_section(dataset: Dataset) -> None:
    """Offer the version as a file; the bytes are built only when asked for, then offered to save."""
    st.markdown(f"**Download {plain(dataset.name)} v{dataset.version}**")
    with st.form("ds.download_form", border=False):
        file_format = st.radio("Format", list(FORMATS), horizontal=True, key="ds.download.format")
        with_labels = st.checkbox("Add the current labels (column `current_label`)", key="ds.download.labels",
                                  help="The given labels overlaid by the consensus of the Labeling page, "
                                       "as training sees them; a row without a label is left empty.")
        with_split = st.checkbox("Add the split (column `split`)", key="ds.download.split",
                                 help="train, dev or test from the version's latest split.")
        prepared = st.form_submit_button("Prepare files")
    st.caption("Every file has a `row_id` column. In CSV, text that starts with =, +, - or @ gets a leading "
               "apostrophe so a spreadsheet does not run it as a formula; Parquet keeps every value as stored. "
               "The JSON sidecar names the version, its content hash, the label snapshot hash and the roles.")
    if prepared:
        files = attempt(partial(dataset_download, dataset_id=dataset.id, file_format=FORMATS[file_format],
                                with_labels=with_labels, with_split=with_split))
        if files is not None:
            _offer(*files, file_format)


def _offer(data_file, sidecar, label: str) -> None:
    left, right = st.columns(2)
    left.download_button(f"Download {label}", data=data_file.data, file_name=data_file.file_name,
                         mime=data_file.mime, on_click="ignore", key="ds.download.data", type="primary")
    right.download_button("Download sidecar (JSON)", data=sidecar.data, file_name=sidecar.file_name,
                          mime=sidecar.mime, on_click="ignore", key="ds.download.sidecar")
