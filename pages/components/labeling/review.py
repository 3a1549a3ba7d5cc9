"""The Review, Label errors and Effort sections of the Labeling page."""

from functools import partial

import pandas as pd
import streamlit as st

from core.features import FeaturePlan, plan_features
from core.labeling.issues import LabelIssues, detection_summary, out_of_fold_probabilities, rank_label_issues
from core.labeling.effort import labeling_effort
from core.data.roles import Roles
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.feedback import attempt, reported_errors
from pages.components.labeling.item import item_card
from pages.components.resources import db_session
from pages.components.text import plain
from storage.labeling import batches as label_batches, quality as label_quality, labels
from storage.data.datasets import latest_split, load_ground_truth, load_split
from storage.data.tables import Dataset
from storage.scoping.records import load_effort_plan


def review_section(dataset: Dataset, frame: pd.DataFrame) -> None:
    with db_session() as session:
        reviewed, total = label_quality.review_rate(session, dataset.id)
        queue = label_quality.review_queue(session, dataset_id=dataset.id, random_state=dataset.id)
        classes = label_batches.label_classes(session, dataset_id=dataset.id) if total else []
    cols = st.columns(3)
    cols[0].metric("Labels in effect", f"{total:,}")
    cols[1].metric("Reviewed", f"{reviewed:,}")
    cols[2].metric("Review rate", f"{reviewed / total:.1%}" if total else "—")
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


@st.cache_resource(max_entries=4, show_spinner="Cross-validating on the training split…")
def cached_issues(snapshot: str, split_id: int, folds: int, seed: int, columns: tuple[str, ...],
                  _features: pd.DataFrame, _labels: pd.Series, _plan: FeaturePlan) -> LabelIssues:
    # `columns` is in the key: changing the roles changes the plan, and the flagged rows with it.
    probs = out_of_fold_probabilities(_features, _labels, plan=_plan, folds=folds, random_state=seed)
    return rank_label_issues(_labels, probs)


def label_errors_section(dataset: Dataset, frame: pd.DataFrame) -> None:
    roles = Roles.from_dict(dataset.roles)
    with db_session() as session:
        split = latest_split(session, dataset.id)
        current, snapshot = labels.current_labels(session, dataset.id)
    if split is None:
        st.info("Label errors are looked for in the training split only, and this version has no split yet. "
                "Make one on the Datasets page.", icon=":material/info:")
        st.page_link("pages/2_datasets.py", label="Go to Datasets", icon=":material/arrow_forward:")
        return
    st.caption("Confident learning: each training row gets class probabilities from a logistic regression that "
               "never saw it (cross-validation); rows whose label the model confidently contradicts are listed, the "
               "least likely label first. Dev and test rows are never touched.")
    cols = st.columns(2)
    folds = cols[0].number_input("Folds", 2, 10, 5, key="lab.folds")
    seed = cols[1].number_input("Seed", 0, 2**31 - 1, 0, key="lab.issue_seed")
    train = load_split(split).loc[lambda s: s == "train"].index.intersection(current.index)
    issues = None
    if st.toggle("Find likely label errors", key="lab.find_issues"):
        with reported_errors():
            plan = plan_features(dataset.column_kinds, roles)
            issues = cached_issues(snapshot, split.id, int(folds), int(seed), tuple(plan.columns),
                                   frame.loc[train, plan.columns],
                                   current.loc[train].astype(str), plan)
    if issues is not None:
        show_issues(dataset, frame, issues)


def show_issues(dataset: Dataset, frame: pd.DataFrame, issues: LabelIssues) -> None:
    st.metric("Flagged", f"{issues.n_flagged:,} of {issues.n_checked:,} training rows")
    if state.teaching_mode() and dataset.has_ground_truth:
        with db_session() as session:
            flipped = (load_ground_truth(session, dataset.id).get("label_noise") or {}).get("flipped_row_ids", [])
        summary = detection_summary(issues.table.index, pd.Index(flipped), checked=issues.probabilities.index)
        st.info(f"Teaching mode (the training split): {summary}", icon=":material/school:")
    table = issues.table.head(500)
    st.dataframe(table, width="stretch", height=260, column_config={
        "self_confidence": st.column_config.NumberColumn("self-confidence", format="%.3f"),
        "suggested_confidence": st.column_config.NumberColumn("model's confidence", format="%.3f")})
    if table.empty:
        return
    row_id = st.selectbox("Look at row", list(table.index), key="lab.issue_row")
    left, right = st.columns([3, 2])
    with left:
        item_card(dataset, frame, row_id)
    with right:
        st.markdown(plain(table.at[row_id, "explanation"]))
        fix = str(table.at[row_id, "suggested"])
        if st.button(f"Accept the correction to {plain(fix)}", key="lab.issue_accept", type="primary"):
            if attempt(partial(labels.record_decision, dataset_id=dataset.id, row_id=int(row_id), value=fix,
                               source="label_issue", actor=state.actor())) is not None:
                state.flash(f"Row {row_id} is now labeled {fix}; the original label is kept in the history.")
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
    cols[0].metric("Labels per hour", "—" if pd.isna(effort.labels_per_hour) else f"{effort.labels_per_hour:,.0f}")
    cols[1].metric("Time spent", f"{effort.hours_spent:.2f} h")
    planned = f"{effort.share_of_plan:.0%} of {effort.planned_days:g} planned days" if effort.share_of_plan is not None \
        else "no labeling days planned at scoping"
    cols[2].metric("Against the plan", f"{effort.days_spent:.2f} days", help=planned)
    cols[3].metric("Open items", f"{remaining:,}", help="Items assigned in batches and not labeled yet.")
    finish = "—" if pd.isna(effort.hours_to_finish) else f"{effort.hours_to_finish:.1f} h"
    st.markdown(f"Projected time to finish the open batches at this speed: **{finish}**. Plan: {planned}.")
    if len(effort.per_labeler):
        st.dataframe(effort.per_labeler, width="stretch", column_config={
            "hours": st.column_config.NumberColumn("hours", format="%.2f"),
            "labels_per_hour": st.column_config.NumberColumn("labels per hour", format="%.0f")})
