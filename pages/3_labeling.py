"""Labeling: plan batches, label items, measure consistency, resolve, review and fix label errors."""

import streamlit as st

from core.labeling.label_set import effective_labels
from pages.components import state
from pages.components.labeling.state import LABEL_VIEW_KEY, LABEL_VIEW_WIDGET_KEY, labeling_view, labeling_view_picked
from pages.components.data.picker import pick_dataset_version
from pages.components.frame import page_setup, require_project
from pages.components.labeling.download import label_downloads
from pages.components.labeling.item import label_section
from pages.components.labeling.label_studio import label_studio_import
from pages.components.labeling.plan import batches_panel, labelers_panel, plan_form
from pages.components.labeling.quality import consistency_section
from pages.components.labeling.issues import label_errors_section
from pages.components.labeling.review import effort_section, review_section
from pages.components.resources import dataset_frame, db_session
from pages.components.text import plain
from storage.labeling.batches import list_batches
from storage.data.datasets import list_datasets
from storage.labeling.labels import label_history

VIEWS = ["Label", "Plan", "Consistency", "Review", "Label errors", "Effort"]
ICONS = {"Label": ":material/label:", "Plan": ":material/event_note:", "Consistency": ":material/groups:",
         "Review": ":material/fact_check:", "Label errors": ":material/bug_report:", "Effort": ":material/timer:"}

context = page_setup("Labeling", icon=":material/label:")
project = require_project(context)

with db_session() as session:
    versions = list_datasets(session, project.id)
if not versions:
    st.info("This project has no data to label yet. Add a dataset first.", icon=":material/info:")
    st.page_link("pages/2_datasets.py", label="Go to Datasets", icon=":material/arrow_forward:")
    st.stop()

dataset = pick_dataset_version(versions)
frame = dataset_frame(dataset.content_hash, dataset.id)
with db_session() as session:
    batches = list_batches(session, dataset.id)

labeling_view(VIEWS)
st.segmented_control("Section", VIEWS, key=LABEL_VIEW_WIDGET_KEY, on_change=labeling_view_picked,
                     format_func=lambda v: f"{ICONS[v]} {v}", label_visibility="collapsed")
view = st.session_state[LABEL_VIEW_KEY]
st.caption(f"Labeling as **{plain(state.actor())}** (change your name in the sidebar). Every label records its labeler, "
           "the seconds spent and the guideline version.")

if view == "Label":
    label_section(dataset, frame, batches)
elif view == "Plan":
    st.subheader("Labelers")
    labelers_panel(dataset)
    st.subheader("Plan the next batch")
    plan_form(dataset, frame)
    st.subheader("Batches")
    batches_panel(dataset, frame, batches)
elif view == "Review":
    review_section(dataset, frame)
elif view == "Label errors":
    label_errors_section(dataset, frame)
else:
    with db_session() as session:
        history = label_history(session, dataset.id)
    if view == "Consistency":
        consistency_section(dataset, frame, history, effective_labels(history))
    else:
        effort_section(dataset, history)

label_downloads(dataset)
label_studio_import(dataset)
