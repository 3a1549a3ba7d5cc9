"""Choosing the run to analyse, and loading its dev rows or saying what is missing."""

import streamlit as st

from pages.components import state
from pages.components.errors.state import ERR_RUN_KEY, ERR_RUN_WIDGET_KEY
from pages.components.feedback import USER_ERRORS
from pages.components.resources import db_session
from storage.errors.analysis import RunAnalysis, load_run_analysis
from storage.modeling.runs import list_runs, run_label

EXPERIMENTS_PAGE = "pages/5_experiments.py"


def pick_run(project_id: int) -> RunAnalysis | None:
    """Return the chosen finished run's analysis, or None after saying what is missing and linking to it."""
    with db_session() as session:
        finished = {r.id: r for r in list_runs(session, project_id) if r.status == "finished"}
    if not finished:
        st.info("No finished run yet, so there are no errors to analyse. Train a model on the Experiments page; "
                "every finished run stores its dev predictions.", icon=":material/info:")
        st.page_link(EXPERIMENTS_PAGE, label="Go to Experiments", icon=":material/arrow_forward:")
        return None
    state.settle_choice(ERR_RUN_KEY, ERR_RUN_WIDGET_KEY, list(finished))
    st.selectbox("Run", list(finished), key=ERR_RUN_WIDGET_KEY,
                 format_func=lambda i: f"{run_label(finished[i])} · {finished[i].model} · dev accuracy "
                                       f"{(finished[i].metrics.get('dev') or {}).get('accuracy', float('nan')):.3f}",
                 on_change=state.keep_choice, args=(ERR_RUN_KEY, ERR_RUN_WIDGET_KEY))
    try:
        with db_session() as session:
            return load_run_analysis(session, project_id=project_id, run_id=st.session_state[ERR_RUN_KEY])
    except USER_ERRORS as error:
        st.warning(str(error), icon=":material/warning:")
        st.page_link(EXPERIMENTS_PAGE, label="Go to Experiments", icon=":material/arrow_forward:")
        return None
