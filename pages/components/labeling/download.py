"""The Labeling page's downloads: the full label history and the current label set, as CSV."""


import streamlit as st

from pages.components.feedback import attempt
from pages.components.text import plain
from storage.data.tables import Dataset
from storage.labeling.export import current_labels_download, label_history_download


def label_downloads(dataset: Dataset) -> None:
    """Offer the version's labels as files; they are built only when asked for."""
    with st.expander(f"Download the labels of {plain(dataset.name)} v{dataset.version}", icon=":material/download:"):
        st.caption("The history has every revision: labeler, batch, label (empty for an undo), seconds, guideline "
                   "version, whether it was a decision, and when. The current label set is what training "
                   "sees: the given labels overlaid by the consensus. Text that starts with =, +, - or @ gets a "
                   "leading apostrophe so a spreadsheet does not run it as a formula.")
        if st.button("Prepare label files", key="lab.download.prepare"):
            files = attempt(lambda session: (label_history_download(session, dataset.id),
                                             current_labels_download(session, dataset.id)))
            if files is not None:
                _offer(*files)


def _offer(history, current) -> None:
    left, right = st.columns(2)
    left.download_button("Download label history (CSV)", data=history.data, file_name=history.file_name,
                         mime=history.mime, on_click="ignore", key="lab.download.history")
    right.download_button("Download current labels (CSV)", data=current.data, file_name=current.file_name,
                          mime=current.mime, on_click="ignore", key="lab.download.current")
