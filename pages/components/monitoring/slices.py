"""The Performance tab's saved slices: each one's share of requests and accuracy per window."""

import streamlit as st

from pages.components.resources import db_session
from pages.components.text import code, plain
from storage.monitoring.slices import watch_slices
from storage.monitoring.watch import DeploymentMonitoring

ERROR_ANALYSIS_PAGE = "pages/6_error_analysis.py"
FORMATS = {"share of requests": st.column_config.NumberColumn(format="percent"),
           "slice accuracy": st.column_config.NumberColumn(format="%.3f"),
           "window accuracy": st.column_config.NumberColumn(format="%.3f"),
           "slice − window": st.column_config.NumberColumn(format="%+.3f")}


def saved_slices_section(m: DeploymentMonitoring) -> None:
    """Show every saved slice over the windows, or say how to save one."""
    st.subheader("Saved slices")
    with db_session() as session:
        slices = watch_slices(session, m)
    if not slices.saved:
        st.info("No slice is saved yet. Open a slice on the Error analysis page (its Slices tab) and save it by "
                "name: it shows here, window by window, with its share of requests and its accuracy.",
                icon=":material/info:")
        st.page_link(ERROR_ANALYSIS_PAGE, label="Go to Error analysis", icon=":material/troubleshoot:")
        return
    st.caption("Per window: the slice's share of requests and, over the labels arrived so far, its accuracy beside "
               "the window's (empty while no label of the slice has arrived).")
    for problem in slices.refused:
        st.warning(f"Not watched: {problem}", icon=":material/filter_alt_off:")
    for watched in slices.watched:
        st.markdown(f"**{plain(watched.name)}** · {code(watched.text)}")
        st.dataframe(watched.table, hide_index=True, width="stretch", column_config=FORMATS)
