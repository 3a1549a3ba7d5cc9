"""The Effort plan tab: planned days per activity, saved as typed, checked against the rule of thumb."""

from functools import partial

import streamlit as st

from core.scoping.effort import ACTIVITY_LABELS, MAX_DAYS, Activity, EffortPlan, check_effort
from pages.components import state
from pages.components.scoping.state import pop_scope_note
from pages.components.scoping.notes import saved_or_noted, show_note
from storage.scoping import records as scoping
from storage.project.tables import Project

LEVEL_BOXES = {"no plan": st.info, "balanced": st.success, "labeling heavy": st.warning}
LEVEL_ICONS = {"no plan": ":material/info:", "balanced": ":material/check_circle:",
               "labeling heavy": ":material/warning:"}


def days_key(activity: Activity) -> str:
    return f"scope.effort.{activity}"


def effort_editor(project: Project, plan: EffortPlan | None) -> None:
    st.caption("Plan the days before the data work starts; the labeling page later shows the time actually "
               "spent against this plan.")
    shown = plan or EffortPlan()
    notes = {activity: pop_scope_note(days_key(activity)) for activity in ACTIVITY_LABELS}
    for column, (activity, label) in zip(st.columns(len(ACTIVITY_LABELS)), ACTIVITY_LABELS.items()):
        if notes[activity] is None:
            st.session_state[days_key(activity)] = shown.days(activity)
        column.number_input(f"{label} (days)", min_value=0.0, max_value=MAX_DAYS, step=0.5, key=days_key(activity),
                            on_change=save_days, args=(project.id, activity))
        with column:
            show_note(notes[activity])
    checked = check_effort(shown)
    LEVEL_BOXES[checked.level](checked.message, icon=LEVEL_ICONS[checked.level])


def save_days(project_id: int, activity: Activity) -> None:
    saved_or_noted(days_key(activity), partial(scoping.save_effort_days, project_id=project_id, activity=activity,
                                               days=st.session_state[days_key(activity)], actor=state.actor()))
