"""Session state of the fairness stage: the audit and mitigation this tab computed but has not saved."""

import streamlit as st

FAIR_RUN_KEY, FAIR_RUN_WIDGET_KEY = "fair.run_id", "fair.run"
FAIR_AUDIT_KEY = "fair.audit"
FAIR_MITIGATION_KEY = "fair.mitigation"


def fairness_audit(run_id: int, split: str) -> dict | None:
    """Return the audit this tab computed last for the run and split (settings and results), or None."""
    kept = st.session_state.get(FAIR_AUDIT_KEY)
    return kept if kept is not None and kept["for"] == (run_id, split) else None


def keep_fairness_audit(run_id: int, split: str, settings, audits: list) -> None:
    """Keep a computed (not yet saved) audit for this tab; a new one drops the last mitigation."""
    st.session_state[FAIR_AUDIT_KEY] = {"for": (run_id, split), "settings": settings, "audits": audits}
    st.session_state.pop(FAIR_MITIGATION_KEY, None)


def fairness_mitigation(run_id: int, split: str) -> dict | None:
    """Return the mitigation this tab computed last for the run and split, or None."""
    kept = st.session_state.get(FAIR_MITIGATION_KEY)
    return kept if kept is not None and kept["for"] == (run_id, split) else None


def keep_fairness_mitigation(run_id: int, split: str, mitigation: dict) -> None:
    st.session_state[FAIR_MITIGATION_KEY] = {"for": (run_id, split), **mitigation}
