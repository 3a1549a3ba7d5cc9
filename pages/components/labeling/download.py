"""The Labeling page's downloads: the label history and current label set as CSV, and Label Studio JSON."""


import streamlit as st

from core.exports import ExportFile
from pages.components.feedback import attempt
from pages.components.text import plain
from storage.data.tables import Dataset
from storage.labeling.export import current_labels_download, label_history_download
from storage.labeling.label_studio import label_studio_download


def label_downloads(dataset: Dataset) -> None:
    """Offer the version's labels as files; they are built only when asked for."""
    # Stateful (keyed): a message above that comes or goes on the rerun must not close it on the files.
    with st.expander(f"Download the labels of {plain(dataset.name)} v{dataset.version}", icon=":material/download:",
                     key="lab.download.open", on_change="rerun"):
        st.caption("The history has every revision: labeler, batch, label (empty for an undo), seconds, guideline "
                   "version, whether it was a decision, and when. The current label set is what training "
                   "sees: the given labels overlaid by the consensus. Text that starts with =, +, - or @ gets a "
                   "leading apostrophe so a spreadsheet does not run it as a formula. The Label Studio file has "
                   "a task per item labeled here, with each labeler's current label as their annotation.")
        if st.button("Prepare label files", key="lab.download.prepare"):
            files = attempt(lambda session: (label_history_download(session, dataset.id),
                                             current_labels_download(session, dataset.id)))
            if files is not None:
                _offer(*files, attempt(lambda session: label_studio_download(session, dataset.id)))


def _offer(history: ExportFile, current: ExportFile, label_studio: ExportFile | None) -> None:
    left, middle, right = st.columns(3)
    left.download_button("Download label history (CSV)", data=history.data, file_name=history.file_name,
                         mime=history.mime, on_click="ignore", key="lab.download.history")
    middle.download_button("Download current labels (CSV)", data=current.data, file_name=current.file_name,
                           mime=current.mime, on_click="ignore", key="lab.download.current")
    if label_studio is not None:
        right.download_button("Download for Label Studio (JSON)", data=label_studio.data,
                              file_name=label_studio.file_name, mime=label_studio.mime, on_click="ignore",
                              key="lab.download.label_studio")
