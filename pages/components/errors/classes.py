"""Skewed classes: confusion matrix, per-class scores and the precision–recall trade-off with the targets."""

import streamlit as st

from core.errors.classes import THRESHOLD_METRICS, confusion_chart, confusion_table, per_class_table
from core.errors.classes import threshold_chart, threshold_curve
from pages.components.classes import project_class_names
from pages.components.explain import caption_why, why
from pages.components.resources import db_session
from storage.errors.analysis import RunAnalysis
from storage.scoping.records import list_targets


def classes_section(analysis: RunAnalysis) -> None:
    data, shown = analysis.data, project_class_names(analysis.run.project_id)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(confusion_chart(shown.relabel(confusion_table(data), index=True, columns=True)),
                        key="err.confusion")
        caption_why("confusion_matrix")
    with right:
        st.dataframe(shown.relabel(per_class_table(data), index=True), width="stretch", key="err.per_class",
                     column_config={m: st.column_config.NumberColumn(format="%.3f", help=why(m))
                                    for m in ("precision", "recall", "f1")})
        caption_why("per_class_scores")
    names = [str(c) for c in data.classes]
    chosen = st.selectbox("Class for the threshold trade-off", names, index=len(names) - 1, key="err.threshold_class",
                          format_func=shown.show)
    with db_session() as session:
        targets = {t.metric: t.value for t in list_targets(session, analysis.run.project_id)
                   if t.metric in THRESHOLD_METRICS and not t.slice}
    curve = threshold_curve(data, positive=names.index(chosen))
    st.plotly_chart(threshold_chart(curve, targets=targets, class_name=shown.show(chosen)), key="err.threshold")
    caption_why("threshold_curve")
    if not targets:
        st.caption("No precision or recall target is set at scoping; set one there to see it marked here.")
