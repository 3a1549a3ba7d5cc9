"""Audit report: every stage of the open project summarised for a product owner, read-only, with its exports."""

import streamlit as st

from pages.components import state
from pages.components.feedback import reported_errors
from pages.components.monitoring.choose import cached_watch
from pages.components.frame import page_setup, require_project
from pages.components.report.download import downloads
from pages.components.report.sections import show_reveal, show_section
from pages.components.resources import db_session
from storage.report.gather import gather_report

context = page_setup("Audit report", icon=":material/summarize:")
project = require_project(context)

st.caption("A read-only summary of the project for the product owner: what was promised at scoping and whether "
           "it is met, where the data and labels come from, how the champion compares, where it fails, who signed "
           "off on its fairness, and how it was rolled out. Each section links to the page that provides it.")
report = None
with st.spinner("Gathering the report…"), reported_errors(), db_session() as session:
    report = gather_report(session, project.id, watch=cached_watch)
if report is None:
    st.stop()

teaching = state.teaching_mode()
downloads(report, with_reveal=teaching)
if teaching:
    show_reveal(report.reveal)
for section in report.sections:
    show_section(section)
