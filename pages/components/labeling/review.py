"""The Review and Effort sections of the Labeling page."""

from functools import partial

import pandas as pd
import streamlit as st

from core.labeling.effort import labeling_effort
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.explain import why
from pages.components.feedback import attempt
from pages.components.labeling.item import item_card
from pages.components.resources import db_session
from pages.components.text import plain
from storage.labeling import batches as label_batches, quality as label_quality
from storage.data.tables import Dataset
from storage.scoping.records import load_effort_plan


def review_section(dataset: Dataset, frame: pd.DataFrame) -> None:
    with db_session() as session:
        reviewed, total = label_quality.review_rate(session, dataset.id)
        queue = label_quality.review_queue(session, dataset_id=dataset.id, random_state=dataset.id)
        classes = label_batches.label_classes(session, dataset_id=dataset.id) if total else []
    cols = st.columns(3)
    cols[0].metric("Labels in effect", f"{total:,}", help=why("labels_in_effect"))
    cols[1].metric("Reviewed", f"{reviewed:,}", help=why("reviewed"))
    cols[2].metric("Review rate", f"{reviewed / total:.1%}" if total else "—", help=why("review_rate"))
    if queue.empty:
        st.info("Nothing to review: labels made in the app appear here for a spot check.", icon=":material/info:")
        return
    label, names = queue.iloc[0], project_class_names(dataset.project_id)
    st.markdown(f"**Spot check:** row {label.row_id}, labeled **{plain(names.show(label.value))}** by "
                f"{plain(label.labeler)}")
    left, right = st.columns([3, 2])
    with left:
        item_card(dataset, frame, int(label.row_id))
    with right:
        if st.button("Accept", key="lab.review_accept", type="primary", width="stretch"):
            review(int(label.id), "accepted", None)
        correction = st.selectbox("Correct to", [c for c in classes if c != label.value], key="lab.review_fix",
                                  format_func=names.show)
        if st.button("Correct", key="lab.review_correct", width="stretch"):
            review(int(label.id), "corrected", correction)


def review(label_id: int, verdict: str, correction: str | None) -> None:
    if attempt(partial(label_quality.review_label, label_id=label_id, verdict=verdict, correction=correction,
                       actor=state.actor())) is not None:
        state.flash(f"Review saved: {verdict}.")
        st.rerun()


def effort_section(dataset: Dataset, history: pd.DataFrame) -> None:
    with db_session() as session:
        plan = load_effort_plan(session, dataset.project_id)
        progress = label_batches.batch_progress(session, dataset.id)
    made = history[history["value"].notna() & ~history["decision"].astype(bool)] if len(history) else history
    remaining = int((progress["assigned"] - progress["done"]).sum()) if len(progress) else 0
    effort = labeling_effort(made if len(made) else pd.DataFrame({"labeler": [], "seconds": []}),
                             remaining=remaining, planned_days=plan.labeling_days if plan else None)
    cols = st.columns(4)
    cols[0].metric("Labels per hour", "—" if pd.isna(effort.labels_per_hour) else f"{effort.labels_per_hour:,.0f}",
                   help=why("labels_per_hour"))
    cols[1].metric("Time spent", f"{effort.hours_spent:.2f} h", help=why("time_spent"))
    planned = f"{effort.share_of_plan:.0%} of {effort.planned_days:g} planned days" if effort.share_of_plan is not None \
        else "no labeling days planned at scoping"
    cols[2].metric("Against the plan", f"{effort.days_spent:.2f} days", help=why("days_spent", planned))
    cols[3].metric("Open items", f"{remaining:,}",
                   help=why("open_items", "Items assigned in batches and not labeled yet."))
    finish = "—" if pd.isna(effort.hours_to_finish) else f"{effort.hours_to_finish:.1f} h"
    st.markdown(f"Projected time to finish the open batches at this speed: **{finish}**. Plan: {planned}.")
    if len(effort.per_labeler):
        st.dataframe(effort.per_labeler, width="stretch", column_config={
            "hours": st.column_config.NumberColumn("hours", format="%.2f", help=why("time_spent")),
            "labels_per_hour": st.column_config.NumberColumn("labels per hour", format="%.0f",
                                                            help=why("labels_per_hour"))})
