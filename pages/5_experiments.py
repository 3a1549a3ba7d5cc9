"""Experiments: sanity-check, train and track runs, compare them, and promote a champion through the gate."""

import streamlit as st

from pages.components import state
from pages.components.modeling.state import EXP_DATASET_KEY, EXP_DATASET_WIDGET_KEY, pop_experiment_notes
from pages.components.modeling.compare import compare_tab
from pages.components.modeling.registry import registry_tab
from pages.components.modeling.run_list import runs_section
from pages.components.modeling.train import train_tab
from pages.components.frame import page_setup, require_project
from pages.components.resources import dataset_frame, db_session
from pages.components.modeling.jobs import jobs_panel
from pages.components.modeling.launch import settle_leftover as settle_leftover_launch
from storage.data.tables import Dataset
from storage.modeling.comparison import ExperimentsSheet, load_experiments

DATASETS_PAGE = "pages/2_datasets.py"

context = page_setup("Experiments", icon=":material/model_training:")
project = require_project(context)


def pick_dataset(sheet: ExperimentsSheet) -> Dataset | None:
    """Return the dataset version to train on, or None after saying what is missing."""
    trainable = {i: d for i, d in sheet.datasets.items() if d.roles.get("target")}
    if not trainable:
        what = "has no dataset yet" if not sheet.datasets else "has no dataset version with a target column"
        st.info(f"This project {what}, so there is nothing to train on. Add data and choose its target on the "
                "Datasets page.", icon=":material/info:")
        st.page_link(DATASETS_PAGE, label="Go to Datasets", icon=":material/arrow_forward:")
        return None
    state.settle_choice(EXP_DATASET_KEY, EXP_DATASET_WIDGET_KEY, list(trainable))
    st.selectbox("Train on dataset version", list(trainable), key=EXP_DATASET_WIDGET_KEY,
                 format_func=lambda i: f"{trainable[i].name} v{trainable[i].version} · {trainable[i].n_rows:,} rows "
                                       f"· target {trainable[i].roles['target']}",
                 on_change=state.keep_choice, args=(EXP_DATASET_KEY, EXP_DATASET_WIDGET_KEY))
    return trainable[st.session_state[EXP_DATASET_KEY]]


for level, message in pop_experiment_notes():
    getattr(st, level)(message)
jobs_panel(project.id)
with db_session() as session:
    sheet = load_experiments(session, project.id)

# A keyed tab bar keeps the open tab when a finished job redraws the page.
train, runs, compare, registry = st.tabs(["Train", "Runs", "Compare", "Registry"], key="exp.tab", on_change="rerun")
with train:
    dataset = pick_dataset(sheet)
    if dataset is not None:
        train_tab(project.id, dataset, dataset_frame(dataset.content_hash, dataset.id))
with runs:
    runs_section(project.id, sheet)
with compare:
    compare_tab(sheet.table[~sheet.table["archived"]], sheet.runs)
with registry:
    registry_tab(project.id, sheet.runs, sheet.aliases, sheet.targets)
settle_leftover_launch()
