"""Which parity matters: the fairness tree's questions, the recommended metric, and what it finds."""

import streamlit as st

from core.fairness.audit import AttributeAudit
from core.fairness.disparities import flagged_groups
from core.fairness.guidance import QUESTIONS, WHOM_CHOICES, ParityAdvice, recommend_parity
from core.fairness.metrics import METRIC_LABELS
from pages.components.fairness.plain import literal

CONCERNS = {"representation": "whom it selects (representation)", "errors": "the errors it makes"}
INTERVENTIONS = {"punitive": "punitive — it acts against people", "assistive": "assistive — it helps people"}


def parity_section(audits: list[AttributeAudit]) -> ParityAdvice | None:
    """Ask the tree's questions; return the advice once they are answered (stored with the audit)."""
    concern = st.radio(QUESTIONS["concern"], list(CONCERNS), format_func=CONCERNS.get, index=None, key="fair.concern")
    intervention = whom = None
    if concern == "errors":
        intervention = st.radio(QUESTIONS["intervention"], list(INTERVENTIONS), format_func=INTERVENTIONS.get,
                                index=None, key="fair.intervention")
        if intervention is not None:
            choices = WHOM_CHOICES[intervention]
            whom = st.radio(QUESTIONS["whom"], list(choices), format_func=choices.get, index=None,
                            key=f"fair.whom.{intervention}")
    if concern is None or (concern == "errors" and whom is None):
        st.caption("Answer the questions to get the metric the Aequitas fairness tree recommends.")
        return None
    advice = recommend_parity(concern, intervention, whom)
    st.success(f"Judge by {advice.parity} ({METRIC_LABELS[advice.metric]}). {advice.why}", icon=":material/balance:")
    for audit in audits:
        flagged = flagged_groups(audit.disparities, advice.metric)
        shown = ", ".join(literal(g) for g in flagged) or "no group"
        st.markdown(f"- {literal(audit.name)}: {shown} outside the four-fifths band on {METRIC_LABELS[advice.metric]}")
    return advice
