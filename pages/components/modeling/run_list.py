"""The Runs tab's list: search, archived runs on request, a kept sort order, and archiving or deleting a run."""

from functools import partial

import pandas as pd
import streamlit as st

from core.modeling.run_filter import RunFilterError, filter_runs
from pages.components import state
from pages.components.modeling.state import EXP_RUN_KEY, EXP_RUN_WIDGET_KEY
from pages.components.feedback import attempt
from pages.components.modeling.mlflow import mlflow_section
from pages.components.modeling.runs import run_details, runs_table
from pages.components.text import plain
from storage.modeling.comparison import ExperimentsSheet
from storage.modeling.runs import run_label
from storage.modeling.tables import Run
from storage.run_removal import archive_run, delete_run

SEARCH_HELP = (
    "Conditions joined by “and”: a column, an operator (= != > >= < <=, or ~ for contains) and a value — "
    "metrics (f1 > 0.8), hyperparameters (n_estimators >= 100), model = knn, tag = baseline, notes ~ leak. "
    "Words alone search the model, tags, dataset, status and notes."
)
SEARCH_KEY, SEARCH_WIDGET = "exp.runs_search_text", "exp.runs_search"
ARCHIVED_KEY, ARCHIVED_WIDGET = "exp.runs_archived_on", "exp.runs_archived"
SORT_KEY, SORT_WIDGET = "exp.runs_sort_by", "exp.runs_sort"
DESCENDING_KEY, DESCENDING_WIDGET = "exp.runs_descending_on", "exp.runs_descending"


def runs_section(project_id: int, sheet: ExperimentsSheet) -> None:
    looks = len(sheet.test_looks)
    st.caption(f"Test set looked at {looks} time{'s' if looks != 1 else ''} in this project.")
    if not sheet.runs:
        st.info("No runs yet. Train a model in the Train tab; every run is recorded here, failed ones too.")
        return
    shown = listed_runs(sheet.table)
    visible = {i: run for i, run in sheet.runs.items() if run.number in shown.index}
    if not visible:
        return
    state.settle_choice(EXP_RUN_KEY, EXP_RUN_WIDGET_KEY, list(visible))
    st.selectbox("Show run", list(visible), key=EXP_RUN_WIDGET_KEY,
                 format_func=lambda i: f"{run_label(visible[i])} · {visible[i].model} · {visible[i].status}",
                 on_change=state.keep_choice, args=(EXP_RUN_KEY, EXP_RUN_WIDGET_KEY))
    run = visible[st.session_state[EXP_RUN_KEY]]
    run_details(project_id, run, sheet.runs, sheet.datasets, sheet.test_looks)
    keep_or_remove(project_id, run)
    mlflow_section(project_id, sheet.runs)


def listed_runs(table: pd.DataFrame) -> pd.DataFrame:
    """Draw the search, the archived toggle, the sort order and the table; return the rows shown."""
    top = st.columns([3, 1.2, 1.3, 1], vertical_alignment="bottom")
    state.settle_value(SEARCH_KEY, SEARCH_WIDGET, "")
    text = top[0].text_input("Search runs", key=SEARCH_WIDGET, placeholder="f1 > 0.8 and model = random_forest", help=SEARCH_HELP,
                             on_change=state.keep_choice, args=(SEARCH_KEY, SEARCH_WIDGET))
    archived = _kept(top[1].toggle, "Show archived runs", ARCHIVED_KEY, ARCHIVED_WIDGET, False)
    columns = ["run", *table.columns]
    state.settle_choice(SORT_KEY, SORT_WIDGET, columns)
    by = top[2].selectbox("Sort by", columns, key=SORT_WIDGET, on_change=state.keep_choice, args=(SORT_KEY, SORT_WIDGET))
    descending = _kept(top[3].toggle, "Descending", DESCENDING_KEY, DESCENDING_WIDGET, True)
    rows = table if archived else table[~table["archived"]]
    try:
        rows = filter_runs(rows, text)
    except RunFilterError as error:
        st.error(plain(str(error)), icon=":material/search_off:")
    rows = sorted_runs(rows, by, descending=descending)
    hidden = int(table["archived"].sum()) if not archived else 0
    if rows.empty:
        st.info(f"No run matches{' the search' if text.strip() else ''}"
                f"{f'; {hidden} archived run(s) are hidden' if hidden else ''}.")
        return rows
    runs_table(rows, show_archived=archived)
    st.caption(f"{len(rows)} of {len(table)} runs shown" + (f"; {hidden} archived hidden." if hidden else "."))
    return rows


def _kept(widget, label: str, key: str, widget_key: str, default: bool) -> bool:
    state.settle_value(key, widget_key, default)
    widget(label, key=widget_key, on_change=state.keep_choice, args=(key, widget_key))
    return bool(st.session_state[widget_key])


def sorted_runs(rows: pd.DataFrame, by: str, *, descending: bool) -> pd.DataFrame:
    """Return the rows in the chosen order (by run number, or a column with missing values last)."""
    if by == "run":
        return rows.sort_index(ascending=not descending)
    return rows.sort_values(by, ascending=not descending, na_position="last", kind="stable")


def keep_or_remove(project_id: int, run: Run) -> None:
    """Archive (hide, reversibly) or restore the shown run, or delete it for good after a tick."""
    with st.expander(f"Archive or delete {run_label(run)}"):
        left, right = st.columns(2)
        if left.button(f"{'Restore' if run.archived else 'Archive'} {run_label(run)}", key=f"exp.archive.{run.id}",
                       icon=":material/unarchive:" if run.archived else ":material/archive:"):
            done = attempt(partial(archive_run, project_id=project_id, run_id=run.id, archived=not run.archived,
                                   actor=state.actor()))
            if done is not None:
                state.flash(f"{'Archived' if done.archived else 'Restored'} {run_label(run)}."
                            + (" It is hidden from the runs table unless archived runs are shown." if done.archived else ""))
                st.rerun()
        sure = right.checkbox(f"Delete {run_label(run)} for good, with its model and predictions",
                              key=f"exp.delete_sure.{run.id}")
        if right.button("Delete", key=f"exp.delete.{run.id}", icon=":material/delete:", disabled=not sure):
            label = attempt(partial(delete_run, project_id=project_id, run_id=run.id, actor=state.actor()))
            if label is not None:
                state.flash(f"Deleted {label} with its model and predictions; its number is not given out again.")
                st.rerun()
