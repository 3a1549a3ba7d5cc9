"""The Consistency section: agreement measures, labeler quality, disagreements, and the guideline."""

from functools import partial

import pandas as pd
import streamlit as st

from core.labeling.agreement import (
    MIN_SHARED_ITEMS, AgreementReport, agreement_report, kappa_pairs, labeler_confusion, labeler_quality, most_confused,
)
from core.labeling.classes import ClassNames
from core.labeling.consensus import disagreements
from core.labeling.label_set import agreement_over, vote_matrix
from core.labeling.charts import agreement_trend_chart, kappa_heatmap
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.explain import caption_why, why
from pages.components.feedback import attempt
from pages.components.labeling.item import item_card
from pages.components.resources import db_session
from pages.components.text import plain
from storage.labeling import batches as label_batches, labels
from storage.data.tables import Dataset


def percent(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}"


def number(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.2f}"


def agreement_metrics(effective: pd.DataFrame, names: ClassNames) -> None:
    matrix = vote_matrix(effective) if len(effective) else pd.DataFrame()
    if matrix.shape[1] == 0:
        st.info("No labels yet: agreement appears once items have two labels each.", icon=":material/info:")
        return
    report = agreement_report(matrix)
    cols = st.columns(4)
    cols[0].metric("Items with 2+ labels", f"{report.n_items:,}", help=why("items_with_overlap"))
    cols[1].metric("Percent agreement", percent(report.percent_agreement), help=why("percent_agreement"))
    cols[2].metric("Fleiss' κ", number(report.fleiss_kappa), help=why(
        "fleiss_kappa", f"On {report.fleiss_items:,} items with the same number of labels."))
    cols[3].metric("Krippendorff's α", number(report.krippendorff_alpha), help=why(
        "krippendorff_alpha", "Nominal; tolerates missing labels."))
    if matrix.shape[1] > 1:
        pairs_view(report)
        left, right = st.columns(2)
        left.markdown("**Labeler quality** — share of labels agreeing with another labeler of the same item")
        left.dataframe(labeler_quality(matrix).to_frame(), width="stretch", column_config={
            "agreement with others": st.column_config.NumberColumn(format="percent", help=why("labeler_agreement"))})
        right.markdown("**Classes mixed up most**")
        confusion = labeler_confusion(matrix)
        right.dataframe(names.relabel(most_confused(confusion), values=["class", "mixed up with"]), hide_index=True,
                        width="stretch")
        with right:
            caption_why("labeler_confusion")
        with st.expander("Confusion between labelers (all pairs of labels on the same item)"):
            st.dataframe(names.relabel(confusion, index=True, columns=True), width="stretch")


def pairs_view(report: AgreementReport) -> None:
    minimum = st.number_input("Minimum shared items for a κ", 2, 10_000, MIN_SHARED_ITEMS, key="lab.min_shared",
                              help="A pair's κ from fewer items than this is greyed and flagged: from a handful of "
                                   "items it swings widely.")
    left, right = st.columns(2)
    left.plotly_chart(kappa_heatmap(report.pairwise_kappa, report.shared_items, min_items=int(minimum)), key="lab.kappa")
    with left:
        caption_why("cohen_kappa")
    right.markdown("**Every pair of labelers** — Cohen's κ and the items both labeled")
    right.dataframe(kappa_pairs(report, min_items=int(minimum)), hide_index=True, width="stretch", key="lab.pairs",
                    column_config={"kappa": st.column_config.NumberColumn("κ", format="%.2f",
                                                                  help=why("cohen_kappa"))})


def trends(effective: pd.DataFrame) -> None:
    by_batch = agreement_over(effective, by="batch")
    if len(by_batch):
        st.plotly_chart(agreement_trend_chart(by_batch), key="lab.trend")
    st.markdown("**Agreement by guideline version** — labels made under each version")
    st.dataframe(agreement_over(effective, by="guideline_version"), width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f", help=why(c))
                                for c in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha")})


def consistency_section(dataset: Dataset, frame: pd.DataFrame, history: pd.DataFrame, effective: pd.DataFrame) -> None:
    names = project_class_names(dataset.project_id)
    agreement_metrics(effective, names)
    if len(effective):
        trends(effective)
    undecided = effective[~effective["decision"].astype(bool)] if len(effective) else None
    queue = disagreements(undecided, show=names.show) if undecided is not None else pd.DataFrame()
    st.subheader(f"Disagreements to resolve ({len(queue):,})")
    decided = set(effective.loc[effective["decision"].astype(bool), "row_id"]) if len(effective) else set()
    queue = queue[~queue.index.isin(decided)] if len(queue) else queue
    if len(queue):
        resolve_form(dataset, frame, queue, names)
    else:
        st.caption("No open disagreements.")
    guideline_panel(dataset)


NO_DECISION = "Choose the decision (the class this row should have), then press Resolve. Nothing was saved."


def resolve_form(dataset: Dataset, frame: pd.DataFrame, queue: pd.DataFrame, names: ClassNames) -> None:
    st.dataframe(queue.head(200), width="stretch", height=220)
    row_id = st.selectbox("Resolve row", list(queue.index[:200]), key="lab.resolve_row")
    with db_session() as session:
        classes = label_batches.label_classes(session, dataset_id=dataset.id)
    left, right = st.columns([2, 3])
    with left:
        item_card(dataset, frame, row_id)
    with right, st.form("lab.resolve", border=False):
        value = st.selectbox("Decision", classes, index=None, placeholder="Choose the class", key="lab.resolve_value",
                             format_func=names.show)
        note = st.text_input("Why (optional)", key="lab.resolve_note")
        rule = st.text_area("Add a rule to the guideline (optional)", key="lab.resolve_rule",
                            help="A rule makes a new guideline version; labels from now on record it.")
        if st.form_submit_button("Resolve", type="primary"):
            if value is None:
                st.error(NO_DECISION, icon=":material/error:")
                return
            done = attempt(partial(labels.resolve_disagreement, dataset_id=dataset.id, row_id=int(row_id), value=value,
                                   note=note, rule=rule, actor=state.actor()))
            if done is not None:
                version = f" and guideline version {done.guideline_version}" if done.guideline_version else ""
                state.flash(f"Row {row_id} resolved as {names.show(value)}{version}.")
                st.rerun()


def guideline_panel(dataset: Dataset) -> None:
    st.subheader("Labeling guideline")
    with db_session() as session:
        versions = label_batches.list_guidelines(session, dataset.project_id)
    current = versions[0] if versions else None
    if current:
        st.markdown(f"**Version {current.version}** · classes: {plain(', '.join(map(str, current.classes)))}")
        st.text(current.text or "(no rules written yet)")
    with st.expander("Edit the guideline (saves a new version)"):
        with st.form("lab.guideline", border=False):
            text = st.text_area("Rules", value=current.text if current else "", key="lab.guideline_text")
            classes = st.text_area("Classes, one per line", value="\n".join(current.classes) if current else "",
                                   key="lab.guideline_classes")
            if st.form_submit_button("Save new version"):
                saved = attempt(partial(label_batches.save_guideline, project_id=dataset.project_id, text=text,
                                        classes=classes.splitlines(), created_from={"reason": "edited"},
                                        actor=state.actor()))
                if saved is not None:
                    state.flash(f"Saved guideline version {saved.version}.")
                    st.rerun()
    if len(versions) > 1:
        st.dataframe(pd.DataFrame([{"version": g.version, "by": g.actor, "when (UTC)": g.created_at,
                                    "from": ", ".join(f"{k}: {v}" for k, v in g.created_from.items())}
                                   for g in versions]), hide_index=True, width="stretch")
