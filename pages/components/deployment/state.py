"""Session state of the deployment stage: the replay shown and the degree of automation chosen for the next one."""

import streamlit as st

DEP_AUTOMATION_KEY = "dep.automation_setting"
DEP_SHOWN_KEY, DEP_SHOWN_WIDGET_KEY = "dep.shown_id", "dep.shown"


def automation_choice() -> dict | None:
    """Return the degree of automation this tab chose for the next replay (a setting's dict), or None."""
    return st.session_state.get(DEP_AUTOMATION_KEY)


def choose_automation(setting: dict) -> None:
    st.session_state[DEP_AUTOMATION_KEY] = dict(setting)
