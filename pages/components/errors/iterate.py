"""Data iterations from a slice, the retrain of the same config, and the before/after of each."""

from functools import partial

import streamlit as st

from core.errors.iteration import slice_before_after
from core.errors.slices import SlicePredicate
from pages.components import state
from pages.components.errors.state import leave_error_note
from pages.components.feedback import USER_ERRORS
from pages.components.modeling.jobs import start_training
from pages.components.resources import db_session
from storage.errors.analysis import RunAnalysis, load_run_analysis
from storage.errors.iteration import iterate_on_slice, iteration_runs, iteration_versions, prepare_retrain
from storage.modeling.runs import run_label

ACTIONS = {"relabel": ("Relabel the slice", "Send its training rows to a labeling batch on a new version."),
           "augment": ("Augment the slice", "Add shifted, rotated and noised copies of its training images."),
           "collect": ("Collect more data", "Draw new rows of the slice from the scenario's generator.")}


def iterate_section(analysis: RunAnalysis, name: str, predicate: SlicePredicate) -> None:
    st.caption(f"Each iteration makes a new version of {analysis.dataset.name} (parent v{analysis.dataset.version}); "
               f"dev and test rows stay the same, so the retrained run is scored on the same rows.")
    cols = st.columns(len(ACTIONS))
    for position, (kind, (label, help_text)) in enumerate(ACTIONS.items()):
        cols[position].button(label, key=f"err.iterate.{kind}", help=help_text, width="stretch",
                              on_click=partial(_iterate, analysis, name, predicate, kind))
    with db_session() as session:
        versions = iteration_versions(session, analysis.run)
        retrained = {r.dataset_id: r for r in iteration_runs(session, analysis.run.id)}
    for dataset, record in versions:
        _version_row(analysis, dataset, record, retrained.get(dataset.id))


def _iterate(analysis: RunAnalysis, name: str, predicate: SlicePredicate, kind: str) -> None:
    try:
        with db_session() as session:
            made = iterate_on_slice(session, analysis=analysis, predicate=predicate, slice_name=name, kind=kind,
                                    actor=state.actor())
        extra = (f" and labeling batch {made.batch.number} of its {made.n_slice_rows} training rows — label it on the "
                 "Labeling page, then retrain" if made.batch else f" with {made.n_added:,} new rows")
        leave_error_note("success", f"Made {made.dataset.name} v{made.dataset.version}{extra}.")
    except USER_ERRORS as error:
        leave_error_note("error", str(error))


def _version_row(analysis: RunAnalysis, dataset, record: dict, child) -> None:
    st.markdown(f"**v{dataset.version}** · {record.get('kind')} on “{record.get('slice')}” · "
                f"{record.get('rows_added', 0):,} rows added")
    if child is None:
        st.button(f"Retrain {run_label(analysis.run)}'s config on v{dataset.version}", key=f"err.retrain.{dataset.id}",
                  on_click=_retrain, args=(analysis, dataset.id))
    elif child.status == "finished":
        _before_after(analysis, child.id, SlicePredicate.from_json(record["predicate"]))
    else:
        st.caption(f"{run_label(child)} is {child.status}.")


def _retrain(analysis: RunAnalysis, dataset_id: int) -> None:
    try:
        with db_session() as session:
            prepared, child = prepare_retrain(session, run=analysis.run, dataset_id=dataset_id)
        start_training(prepared, child.id, f"retrain of {run_label(analysis.run)}")
        leave_error_note("info", f"{run_label(child)} is training with {run_label(analysis.run)}'s config.")
    except USER_ERRORS as error:
        leave_error_note("error", str(error))


def _before_after(analysis: RunAnalysis, child_id: int, predicate: SlicePredicate) -> None:
    try:
        with db_session() as session:
            after = load_run_analysis(session, project_id=analysis.run.project_id, run_id=child_id)
    except USER_ERRORS as error:
        st.warning(str(error))
        return
    baseline = analysis.baseline.overall if analysis.baseline else None
    table = slice_before_after([(f"{run_label(analysis.run)} (before)", analysis.data), (f"{run_label(after.run)} (after)", after.data)],
                               predicate, baseline=baseline)
    st.dataframe(table, hide_index=True, width="stretch", key=f"err.before_after.{child_id}")
    if baseline is None:
        st.caption("No baseline is stored, so each run's gap is to its own overall accuracy.")
