"""The Human-level tab: measure HLP from the overlap labels, or say how to get them."""

from functools import partial

import pandas as pd
import streamlit as st

from core.baselines.hlp import LOW_HLP, NO_OVERLAP, low_hlp_message
from core.baselines.table import interval_text
from core.slicing import MIN_SLICE_ROWS, TOO_FEW_ROWS
from pages.components import state
from pages.components.baselines.add import store_and_rerun
from pages.components.explain import caption_why, why
from pages.components.frame import PAGES
from pages.components.resources import db_session
from pages.components.text import plain
from storage.baselines import records as baselines, human_level
from storage.data.tables import Dataset

LABELING_PAGE = "pages/3_labeling.py"
REFERENCE_LABELS = {"others": "The other labelers' vote", "truth": "The scenario's true labels"}


def hlp_tab(dataset: Dataset, frame: pd.DataFrame, minimum: int = MIN_SLICE_ROWS) -> None:
    st.caption("Each labeler is scored on the items others labeled too, against those others' majority vote (or "
               "against the true labels, where a demo scenario knows them); the scores are averaged over labelers.")
    with db_session() as session:
        facts = human_level.label_facts(session, dataset.id)
        measured = [b for b in baselines.list_baselines(session, dataset.project_id, dataset_id=dataset.id)
                    if b.kind == "hlp"]
    if facts.n_labels:
        st.markdown(f"{facts.n_labels:,} labels from {facts.n_labelers} labelers; **{facts.n_overlap_items:,} items** "
                    "labeled by two or more.")
    references = ["others", "truth"] if facts.has_truth else ["others"]
    if not facts.n_overlap_items:
        st.info(NO_OVERLAP, icon=":material/group:")
        labeling_link("Plan a batch with overlap on the Labeling page")
        if not (facts.has_truth and facts.n_labels):
            return
        references = ["truth"]
    measure_form(dataset, frame, references)
    for baseline in measured:
        explain(baseline, minimum)


def measure_form(dataset: Dataset, frame: pd.DataFrame, references: list[str]) -> None:
    with st.form("bl.hlp_form", border=False):
        reference = st.radio("Score each labeler against", references, format_func=REFERENCE_LABELS.get,
                             horizontal=True, key="bl.hlp_reference")
        seed = st.number_input("Seed of the bootstrap", 0, 2**31 - 1, 0, key="bl.hlp_seed")
        submitted = st.form_submit_button("Measure human-level performance", type="primary", key="bl.hlp_measure")
    if submitted:
        store_and_rerun(partial(human_level.add_hlp_baseline, dataset_id=dataset.id, reference=reference, frame=frame,
                                random_state=int(seed), actor=state.actor()),
                        lambda row: f"Measured {row.name}: accuracy {row.metrics['accuracy']:.3f}.",
                        "Scoring the labelers and resampling…")


def explain(baseline, minimum: int) -> None:
    interval = interval_text(baseline.overall.get("intervals", {}).get("accuracy"), baseline.n_items, minimum)
    behind = f"95% interval {interval}" if interval != TOO_FEW_ROWS else f"{TOO_FEW_ROWS} for an interval (minimum {minimum:,})"
    st.markdown(f"**{plain(baseline.name)}**: accuracy {baseline.metrics['accuracy']:.3f} from {baseline.n_items:,.0f} items "
                f"({behind}) — {plain(baseline.source_note)}")
    st.dataframe(human_level.labeler_table(baseline), hide_index=True, key=f"bl.hlp_labelers.{baseline.id}",
                 column_config={"accuracy": st.column_config.NumberColumn("accuracy", format="%.3f",
                                                                          help=why("hlp_labeler_accuracy"))})
    caption_why("hlp_interval")
    if baseline.metrics["accuracy"] < LOW_HLP:
        st.warning(low_hlp_message(baseline.metrics["accuracy"], reference=human_level.hlp_reference(baseline),
                                   items=baseline.n_items), icon=":material/rule:")
        labeling_link("See label consistency on the Labeling page")


def labeling_link(label: str) -> None:
    if any(page.path == LABELING_PAGE for page in PAGES):
        st.page_link(LABELING_PAGE, label=label, icon=":material/label:")
