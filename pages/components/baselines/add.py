"""Adding baselines: dummy and simple models, an old model, and literature values."""

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from core.baselines.metrics import METRIC_LABELS
from core.baselines.computed import LEGACY_RULES, MODEL_HELP, MODEL_LABELS
from core.baselines.literature import MAX_CITATION_LENGTH, MAX_NOTE_LENGTH, literature_value
from pages.components import state
from pages.components.feedback import attempt
from pages.components.resources import db_session
from storage.baselines import records as baselines, old_models
from storage.db import Session
from storage.data.tables import Dataset
from storage.project.tables import Project


def store_and_rerun(action: Callable[[Session], object], message: Callable[[object], str], spinner: str) -> None:
    """Run one storage action; on success leave a message and rerun, else the error stays shown."""
    with st.spinner(spinner):
        result = attempt(action)
    if result is not None:
        state.flash(message(result))
        st.rerun()


def models_tab(dataset: Dataset, frame: pd.DataFrame) -> None:
    st.caption("Fitted on the train split and scored on the dev split. Any model worth deploying must beat these.")
    with st.form("bl.models_form", border=False):
        names = st.multiselect("Baselines", list(MODEL_LABELS), default=list(MODEL_LABELS), format_func=MODEL_LABELS.get,
                               key="bl.models")
        st.markdown("\n".join(f"- **{MODEL_LABELS[n]}**: {MODEL_HELP[n]}" for n in MODEL_LABELS))
        seed = st.number_input("Seed", 0, 2**31 - 1, 0, key="bl.seed", help="The stratified guess draws at random.")
        submitted = st.form_submit_button("Compute on dev", type="primary", key="bl.compute")
    if submitted:
        if not names:
            st.error("Choose at least one baseline to compute.")
            return
        store_and_rerun(partial(baselines.compute_model_baselines, dataset_id=dataset.id, names=names, frame=frame,
                                random_state=int(seed), actor=state.actor()),
                        lambda rows: f"Computed {len(rows)} baselines on the dev split.", "Fitting and scoring…")


def old_model_tab(dataset: Dataset, frame: pd.DataFrame) -> None:
    scenario = dataset.source.removeprefix("scenario:")
    if dataset.source.startswith("scenario:") and scenario in LEGACY_RULES:
        st.markdown(f"**The legacy rule** this scenario's lender used before: `{LEGACY_RULES[scenario].text}`")
        if st.button("Score the legacy rule on dev", key="bl.legacy", icon=":material/gavel:"):
            store_and_rerun(partial(old_models.add_legacy_baseline, dataset_id=dataset.id, frame=frame,
                                    actor=state.actor()),
                            lambda row: "Scored the legacy rule on the dev split.", "Scoring the legacy rule…")
        st.divider()
    earlier_run(dataset, frame)
    st.divider()
    predictions_upload(dataset, frame)


def earlier_run(dataset: Dataset, frame: pd.DataFrame) -> None:
    st.markdown("**Or pick an earlier run**")
    with db_session() as session:
        runs = {run.id: run for run in old_models.comparable_runs(session, dataset_id=dataset.id)}
    if not runs:
        st.caption("No finished run on this dataset version's current split yet; runs trained on the Experiments "
                   "page appear here, with their stored dev predictions.")
        return
    choice, button = st.columns([4, 1], vertical_alignment="bottom")
    run_id = choice.selectbox("Run", list(runs), key="bl.run_pick",
                              format_func=lambda i: f"{old_models.run_name(runs[i])} · {runs[i].created_at:%Y-%m-%d %H:%M}")
    if button.button("Score its dev predictions", key="bl.run_score"):
        store_and_rerun(partial(old_models.add_run_baseline, dataset_id=dataset.id, run_id=run_id, frame=frame,
                                actor=state.actor()),
                        lambda row: f"Scored “{row.name}” as an old-model baseline.", "Scoring the run…")


def predictions_upload(dataset: Dataset, frame: pd.DataFrame) -> None:
    st.markdown("**Upload the old model's predictions**")
    st.caption("A CSV or Parquet file with the columns row_id, prediction and, optionally, probability (the "
               "probability the model gave its prediction). It must predict every dev row; rows of other "
               "splits are ignored.")
    with st.form("bl.upload_form", border=False):
        name = st.text_input("Name", key="bl.upload_name", placeholder="Vendor model 2023", max_chars=120)
        upload = st.file_uploader("Predictions file", type=["csv", "tsv", "txt", "parquet"], key="bl.upload_file")
        submitted = st.form_submit_button("Check and score", type="primary", key="bl.upload")
    if submitted:
        if upload is None:
            st.error("Choose a predictions file first.")
            return
        store_and_rerun(partial(old_models.add_predictions_file_baseline, dataset_id=dataset.id,
                                name=name, data=upload.getvalue(), filename=upload.name, frame=frame,
                                actor=state.actor()),
                        lambda row: f"Scored “{row.name}” on the dev split.", "Checking the file…")


def literature_tab(project: Project) -> None:
    st.caption("A published score on the same task, to know what is achievable. Say where it comes from, and how "
               "its data differ from yours.")
    with st.form("bl.literature_form", border=False):
        metric_column, value_column = st.columns(2)
        metric = metric_column.selectbox("Metric", list(METRIC_LABELS), format_func=METRIC_LABELS.get,
                                         key="bl.lit_metric")
        value = value_column.text_input("Value", key="bl.lit_value", placeholder="0.91")
        citation = st.text_input("Source", key="bl.lit_citation", max_chars=MAX_CITATION_LENGTH,
                                 placeholder="Authors, title, year, or a link")
        note = st.text_area("Note", key="bl.lit_note", max_chars=MAX_NOTE_LENGTH,
                            placeholder="How the published setting differs from this project")
        submitted = st.form_submit_button("Add literature baseline", type="primary", key="bl.lit_add")
    if submitted:
        def store(session: Session):
            # Checked inside the transaction, so a bad field and a repeated source read alike.
            entry = literature_value(metric=metric, value=value, citation=citation, note=note)
            return baselines.add_literature_baseline(session, project_id=project.id, entry=entry, actor=state.actor())

        store_and_rerun(store, lambda row: f"Added the literature baseline “{row.name}”.", "Saving…")
