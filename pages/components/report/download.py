"""The report's downloads: one self-contained HTML file and a Markdown model card."""

import streamlit as st

from core.report.document import Report
from core.report.files import report_files

LABELS = {"html": "Audit report (HTML)", "md": "Model card (Markdown)"}


def downloads(report: Report, *, with_reveal: bool) -> None:
    """Offer the report's files, built from the report shown when the button is pressed."""
    with st.expander("Download the report", icon=":material/download:"):
        st.caption("The HTML file holds every section with interactive charts and works offline: the charting "
                   "code is inside the file and nothing is fetched from elsewhere. The model card is Markdown."
                   + (" Teaching mode is on, so both include the reveal." if with_reveal else ""))
        if st.button("Prepare report files", key="report.prepare"):
            files = report_files(report, with_reveal=with_reveal)
            for column, (kind, file) in zip(st.columns(len(files)), files.items()):
                column.download_button(LABELS[kind], data=file.data, file_name=file.file_name, mime=file.mime,
                                       on_click="ignore", key=f"report.download.{kind}")
