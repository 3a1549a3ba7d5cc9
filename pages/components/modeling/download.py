"""The run details' downloads: the model with the text on loading it, and the stored predictions."""

from functools import partial

import streamlit as st

from pages.components.feedback import attempt
from storage.modeling.export import run_downloads
from storage.modeling.runs import run_label
from storage.modeling.tables import Run

LABELS = {"model": "Model (skops)", "text": "How to load it (text)", "dev": "Dev predictions (CSV)",
          "test": "Test predictions (CSV)"}


def run_downloads_section(project_id: int, run: Run) -> None:
    """Offer a finished run's files; they are built (and the model's checksum and types checked) when asked for."""
    with st.expander(f"Download {run_label(run)}: model and predictions", icon=":material/download:"):
        st.caption("The model is the stored skops file; the text beside it shows how to load it with the trusted "
                   "types, the input columns and their kinds, and the classes. Predictions hold row_id, label, "
                   "prediction and one probability per class; test predictions appear after a look at the test split.")
        if st.button("Prepare run files", key="exp.download.prepare"):
            files = attempt(partial(run_downloads, run_id=run.id, project_id=project_id))
            if files is not None:
                _offer(files)


def _offer(files: dict) -> None:
    for column, (role, file) in zip(st.columns(len(files)), files.items()):
        column.download_button(LABELS[role], data=file.data, file_name=file.file_name, mime=file.mime,
                               on_click="ignore", key=f"exp.download.{role}")
