"""Datasets: bring data in, assign roles, profile it, split it, and follow its versions."""

import streamlit as st

from pages.components import state
from pages.components.dataset_intake import add_data_panel
from pages.components.dataset_tabs import overview_tab, profile_tab, roles_tab, versions_tab
from pages.components.frame import page_setup, require_project
from pages.components.resources import dataset_frame, db_session
from pages.components.split_tab import splits_tab
from storage.datasets import list_datasets

context = page_setup("Datasets", icon=":material/table_chart:")
project = require_project(context)

with db_session() as session:
    versions = list_datasets(session, project.id)
add_data_panel(project, expanded=not versions)
if not versions:
    st.info("This project has no data yet. Upload a CSV or Parquet file, or generate a demo scenario above.",
            icon=":material/info:")
    st.stop()

by_id = {d.id: d for d in versions}
state.settle_dataset(list(by_id))
st.selectbox("Dataset version", list(by_id), key=state.DATASET_WIDGET_KEY, on_change=state.dataset_switched,
             format_func=lambda i: f"{by_id[i].name} v{by_id[i].version} · {by_id[i].n_rows:,} rows · {by_id[i].source}")
dataset = by_id[st.session_state[state.DATASET_KEY]]
frame = dataset_frame(dataset.content_hash, dataset.id)

overview, roles, profile, splits, lineage = st.tabs(["Overview", "Roles", "Profile", "Splits", "Versions"])
with overview:
    overview_tab(dataset, frame)
with roles:
    roles_tab(dataset, frame)
with profile:
    profile_tab(dataset, frame)
with splits:
    splits_tab(dataset, frame)
with lineage:
    versions_tab(versions)
