"""Baselines: the references every model is judged against — people, published work, the old model, dummies."""

import streamlit as st

from core.slicing import MIN_SLICE_ROWS
from pages.components import state
from pages.components.baselines.add import literature_tab, models_tab, old_model_tab
from pages.components.baselines.hlp import hlp_tab
from pages.components.baselines.overview import details, overview
from pages.components.frame import page_setup, require_project
from pages.components.resources import dataset_frame, db_session
from storage.baselines import records as baselines
from storage.data.datasets import latest_split, list_datasets
from storage.scoping.records import list_targets

context = page_setup("Baselines", icon=":material/flag:")
project = require_project(context)

TEACHING = (
    "**Why baselines, and why human-level performance.** A score means little alone: 90% accuracy is poor "
    "when always guessing the commonest class already gives 88%, and excellent when careful people agree on "
    "only 92%. Where people are the benchmark (images, text, audio), human-level performance (HLP) estimates "
    "the *irreducible error*: the part of the mistakes caused by ambiguous items or noisy labels that no "
    "model can learn away. So the gap that matters is the one between your model and HLP, not between your "
    "model and 100%: a model at 90% with HLP at 92% has 2 points left to win, and its remaining errors may "
    "be better spent on clearer labeling instructions. A model that beats HLP is usually learning the "
    "labelers' habits, not the task."
)

with db_session() as session:
    candidates = [d for d in list_datasets(session, project.id) if d.roles.get("target")]
if not candidates:
    st.info("Baselines are scored against a target. Add a dataset and choose its target column first.",
            icon=":material/info:")
    st.page_link("pages/2_datasets.py", label="Go to Datasets", icon=":material/table_chart:")
    st.stop()

by_id = {d.id: d for d in candidates}
state.settle_dataset(list(by_id))
st.selectbox("Dataset version", list(by_id), key=state.DATASET_WIDGET_KEY, on_change=state.dataset_switched,
             format_func=lambda i: f"{by_id[i].name} v{by_id[i].version} · target {by_id[i].roles['target']}")
dataset = by_id[st.session_state[state.DATASET_KEY]]

with db_session() as session:
    split = latest_split(session, dataset.id)
    summaries = baselines.baseline_summaries(session, project.id, dataset_id=dataset.id)
    primary = baselines.primary_baseline(session, project.id)
    targets = list_targets(session, project.id)

if state.teaching_mode():
    st.info(TEACHING, icon=":material/school:")
minimum_rows = overview(project, summaries, targets, primary)

st.subheader("Add a baseline")
if split is None:
    st.warning("This dataset version has no train/dev/test split, and baselines are scored on the dev split. "
               "Make a split first; literature values can be added without one.", icon=":material/call_split:")
    st.page_link("pages/2_datasets.py", label="Make a split on the Datasets page", icon=":material/call_split:")
frame = dataset_frame(dataset.content_hash, dataset.id)
human, models, old_model, literature = st.tabs(["Human-level", "Dummy and simple models", "Old model", "Literature"],
                                                key="bl.tab", on_change="rerun")
with human:
    hlp_tab(dataset, frame, minimum_rows or MIN_SLICE_ROWS)
with models:
    models_tab(dataset, frame)
with old_model:
    old_model_tab(dataset, frame)
with literature:
    literature_tab(project)
if minimum_rows is not None:
    details(project, summaries, minimum_rows)
