"""Mitigation: per-group thresholds for one attribute, with every gap and the overall metrics before and after."""

from functools import partial

import pandas as pd
import streamlit as st

from core.fairness.audit import AuditSettings
from core.fairness.groups import attribute_name
from core.fairness.mitigation import mitigate
from core.fairness.thresholds import CONSTRAINT_LABELS
from pages.components import state
from pages.components.fairness.state import fairness_mitigation, keep_fairness_mitigation
from pages.components.explain import caption_why
from pages.components.feedback import attempt, reported_errors
from storage.fairness.audits import AuditData
from storage.fairness.mitigated import save_mitigated_run
from storage.modeling.runs import run_label

WHY = ("Each group gets its own cut-off on the model's probability of the positive class, chosen so that the "
       "groups reach the same rate with as many correct decisions as possible (fairlearn's ThresholdOptimizer, "
       "made deterministic). It is fitted on the dev split; the table shows what it costs.")


def mitigation_section(data: AuditData, settings: AuditSettings) -> dict | None:
    """Offer mitigation for one audited attribute; return the kept mitigation (stored with the audit)."""
    st.caption(WHY)
    if data.split != "dev":
        st.info("Mitigation is fitted on the dev split. Switch the split to dev to try it.", icon=":material/info:")
        return None
    attributes = {attribute_name(a): a for a in settings.attributes}
    with st.form("fair.mitigate_form", border=False):
        left, right = st.columns(2)
        name = left.selectbox("Attribute", list(attributes), key="fair.mitigate_attribute")
        constraint = right.radio("Constraint", list(CONSTRAINT_LABELS), format_func=CONSTRAINT_LABELS.get,
                                 key="fair.constraint")
        submitted = st.form_submit_button("Fit per-group thresholds", icon=":material/tune:", key="fair.mitigate")
    if submitted:
        with reported_errors():
            result = mitigate(data.predictions, data.sensitive, attributes[name], classes=data.classes,
                              constraint=constraint, bins=settings.bins)
            keep_fairness_mitigation(data.run.id, data.split, result.to_dict())
    kept = fairness_mitigation(data.run.id, data.split)
    if kept is not None:
        show_mitigation(kept)
        save_as_run(data.run.project_id, data.run.id, kept)
    return kept


def save_as_run(project_id: int, run_id: int, kept: dict) -> None:
    if st.button("Save as a new run", key="fair.save_run", icon=":material/add_task:",
                 help="The same model with these thresholds beside it; compare and promote it on the Experiments page."):
        run = attempt(partial(save_mitigated_run, project_id=project_id, run_id=run_id, mitigation=kept,
                              actor=state.actor()))
        if run is not None:
            state.flash(f"Saved {run_label(run)}: {run.notes} Promote it on the "
                        "Experiments page like any run.")
            st.rerun()


def show_mitigation(kept: dict) -> None:
    thresholds = pd.Series(kept["thresholds"], name="threshold on P(positive)").rename_axis("group")
    st.dataframe(thresholds.fillna(float("inf")).to_frame(), key="fair.thresholds")
    table = pd.DataFrame.from_dict(kept["before_after"], orient="index")
    # Tall enough for every row: the cost rows at the bottom should not hide behind a scroll bar.
    st.dataframe(table, width="stretch", key="fair.before_after", height=(len(table) + 1) * 35 + 3,
                 column_config={c: st.column_config.NumberColumn(format="%.4f") for c in table.columns})
    caption_why("mitigation_cost")
    st.caption(f"Constraint: {CONSTRAINT_LABELS[kept['constraint']]}. A threshold of ∞ selects nobody in that group. "
               "The change column is after minus before; the cost shows in overall accuracy.")
