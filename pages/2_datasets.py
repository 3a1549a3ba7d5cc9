"""Datasets: bring data in, assign roles, profile it, split it, and follow its versions."""

import streamlit as st

from pages.components.data.add_data import add_data_panel
from pages.components.data.download import download_section
from pages.components.data.picker import pick_dataset_version
from pages.components.data.tabs import overview_tab, profile_tab, roles_tab, versions_tab
from pages.components.frame import page_setup, require_project
from pages.components.resources import dataset_frame, db_session
from pages.components.data.split_tab import splits_tab
from storage.data.datasets import list_datasets

context = page_setup("Datasets", icon=":material/table_chart:")
project = require_project(context)

with db_session() as session:
    versions = list_datasets(session, project.id)
add_data_panel(project, expanded=not versions)
if not versions:
    st.info("This project has no data yet. Upload a CSV or Parquet file, or generate a demo scenario above.",
            icon=":material/info:")
    st.stop()

dataset = pick_dataset_version(versions)
frame = dataset_frame(dataset.content_hash, dataset.id)

overview, roles, profile, splits, lineage = st.tabs(["Overview", "Roles", "Profile", "Splits", "Versions"],
                                                      key="ds.tab", on_change="rerun")
with overview:
    overview_tab(dataset, frame)
    # On the first tab: the page's tabs are not keyed, so the rerun of "Prepare files" opens the first one.
    download_section(dataset)
with roles:
    roles_tab(dataset, frame)
with profile:
    profile_tab(dataset, frame)
with splits:
    splits_tab(dataset, frame)
with lineage:
    versions_tab(versions)
