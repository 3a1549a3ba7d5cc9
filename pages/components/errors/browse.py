"""Browse a run's errors, most confident first, and tag them: one row, a selection, or one click."""

import numpy as np
import pandas as pd
import streamlit as st

from core.errors.data import PREDICTED_CLASS, TRUE_CLASS
from core.errors.errors import error_rows
from core.errors.slices import slice_mask, tag_predicate
from core.errors.tags import MAX_TAG
from core.labeling.classes import ClassNames
from pages.components import state
from pages.components.errors.state import leave_error_note
from pages.components.classes import project_class_names
from pages.components.explain import why
from pages.components.feedback import USER_ERRORS
from pages.components.labeling.item import item_card
from pages.components.resources import db_session
from storage.errors.analysis import RunAnalysis
from storage.errors.tags import tag_counts, tag_rows

ALL = "(all)"
TOP_TAGS = 5
TABLE_KEY = "err.errors_table"
TAG_TEXT_KEY = "err.tag_text"


def browse_section(analysis: RunAnalysis, saved: dict) -> None:
    data = analysis.data
    with db_session() as session:
        used = tag_counts(session, analysis.run.project_id)
    mask, true_class, predicted = _filters(analysis, [t for t, _ in used], saved)
    table = error_rows(data, true_class=true_class, predicted_class=predicted, mask=mask)
    st.caption(f"{len(table):,} misclassified dev rows of {data.n_rows:,} match; most confident mistakes first. "
               "Select rows in the table to tag several at once.")
    if table.empty:
        st.success("No misclassified rows match these filters.")
        return
    names = project_class_names(analysis.run.project_id)
    event = st.dataframe(names.relabel(table, values=[TRUE_CLASS, PREDICTED_CLASS]), key=TABLE_KEY, on_select="rerun", selection_mode="multi-row", hide_index=True,
                         width="stretch", height=300, column_config={
                             "confidence": st.column_config.NumberColumn(format="%.3f", help=why("error_confidence")),
                             "loss": st.column_config.NumberColumn(format="%.3f", help=why("error_loss"))})
    picked = (event["selection"]["rows"] if isinstance(event, dict) else event.selection.rows) or [0]
    rows = [int(table.at[i, "row_id"]) for i in picked if i < len(table)]
    _tagging(analysis, rows, used)
    _item(analysis, table.iloc[picked[0]] if picked[0] < len(table) else table.iloc[0], names)


def _filters(analysis: RunAnalysis, tags: list[str], saved: dict) -> tuple[np.ndarray | None, str | None, str | None]:
    classes, show = [str(c) for c in analysis.data.classes], project_class_names(analysis.run.project_id).show
    cols = st.columns(4)
    true_class = cols[0].selectbox("True class", [ALL, *classes], key="err.f_true", format_func=show)
    predicted = cols[1].selectbox("Predicted class", [ALL, *classes], key="err.f_pred", format_func=show)
    tag = cols[2].selectbox("Tag", [ALL, *tags], key="err.f_tag")
    chosen = cols[3].selectbox("Slice", [ALL, *saved], key="err.f_slice")
    mask = np.ones(analysis.data.n_rows, dtype=bool)
    if tag != ALL:
        mask &= slice_mask(analysis.data.frame, tag_predicate(tag), tags=analysis.data.tags)
    if chosen != ALL:
        try:
            mask &= slice_mask(analysis.data.frame, saved[chosen], name=chosen, tags=analysis.data.tags)
        except USER_ERRORS as error:
            st.warning(str(error))
    return mask, None if true_class == ALL else true_class, None if predicted == ALL else predicted


def _tagging(analysis: RunAnalysis, rows: list[int], used: list[tuple[str, int]]) -> None:
    st.caption(f"Tagging row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows[:10]))}"
               f"{' …' if len(rows) > 10 else ''} of {analysis.dataset.name} v{analysis.dataset.version}")
    if used:
        cols = st.columns(min(len(used), TOP_TAGS))
        for position, (tag, n) in enumerate(used[:TOP_TAGS]):
            cols[position].button(f"{tag} ({n})", key=f"err.quick_tag.{position}", width="stretch",
                                  on_click=apply_tag, args=(analysis, rows, tag))
    with st.form("err.tag_form", clear_on_submit=True):
        st.text_input("New tag", key=TAG_TEXT_KEY, max_chars=MAX_TAG, placeholder="blurry, ambiguous, self-reported income …")
        st.form_submit_button("Tag the selected rows", type="primary", on_click=_tag_from_form, args=(analysis, rows))


def _tag_from_form(analysis: RunAnalysis, rows: list[int]) -> None:
    apply_tag(analysis, rows, st.session_state.get(TAG_TEXT_KEY, ""))


def apply_tag(analysis: RunAnalysis, rows: list[int], tag: str) -> None:
    try:
        with db_session() as session:
            added = tag_rows(session, dataset_id=analysis.dataset.id, row_ids=rows, tag=tag,
                             known_rows=analysis.data.frame.index, actor=state.actor())
        leave_error_note("success", f"Tagged {added} row{'s' if added != 1 else ''} “{' '.join(tag.split())}”.")
    except USER_ERRORS as error:
        leave_error_note("error", str(error))


def _item(analysis: RunAnalysis, row: pd.Series, names: ClassNames) -> None:
    row_id = int(row["row_id"])
    st.markdown(f"**Row {row_id}**")
    cols = st.columns(4)
    cols[0].metric("True class", names.show(row[TRUE_CLASS]), help=why("error_true_class"))
    cols[1].metric("Predicted", names.show(row[PREDICTED_CLASS]), help=why("error_predicted_class"))
    cols[2].metric("Confidence", f"{row['confidence']:.3f}", help=why("error_confidence"))
    cols[3].metric("Tags", row["tags"] or "–", help=why("error_tags"))
    item_card(analysis.dataset, analysis.frame, row_id)
