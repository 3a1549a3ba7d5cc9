"""Display names for the target's classes, edited where the target is chosen."""

from functools import partial

import pandas as pd
import streamlit as st

from pages.components import state
from pages.components.feedback import attempt
from pages.components.resources import db_session
from storage.labeling import class_names as stored_names

WHY = ("Names are shown on every page in place of the values (0 = rejected, 1 = approved); labels, targets and "
       "predictions keep the values themselves, so nothing stored changes.")


def class_names_panel(project_id: int) -> None:
    """The class-name table: one row per class, named all at once or not at all."""
    with db_session() as session:
        classes = stored_names.project_classes(session, project_id)
        names = stored_names.class_names(session, project_id)
    st.subheader("Class names")
    if not classes:
        st.caption("Choose a target above to name its classes.")
        return
    st.caption(WHY)
    table = pd.DataFrame({"class": classes, "name": [names.names.get(c, "") for c in classes]})
    edited = st.data_editor(table, key="ds.class_names", hide_index=True, disabled=["class"], width="stretch",
                            column_config={"name": st.column_config.TextColumn("name", max_chars=40)})
    left, right = st.columns(2)
    if left.button("Save names", key="ds.class_names_save", type="primary"):
        chosen = {str(r["class"]): "" if pd.isna(r["name"]) else str(r["name"]) for _, r in edited.iterrows()}
        saved = attempt(partial(stored_names.save_class_names, project_id=project_id, names=chosen,
                                actor=state.actor()))
        if saved is not None:
            _done("Class names saved: " + ", ".join(f"{v} = {n}" for v, n in saved.names.items()) + ".")
    if names.names and right.button("Clear names", key="ds.class_names_clear"):
        attempt(partial(stored_names.clear_class_names, project_id=project_id, actor=state.actor()))
        _done("Class names cleared: pages show the stored values.")


def _done(message: str) -> None:
    st.session_state.pop("ds.class_names", None)
    state.flash(message)
    st.rerun()
