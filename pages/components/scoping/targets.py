"""The Targets tab: the targets later stages are gated on, with add and delete."""

from functools import partial

import streamlit as st

from core.scoping.targets import (
    COMPARATOR_LABELS,
    KIND_LABELS,
    METRICS,
    make_target,
    metric_names,
    target_text,
)
from core.scoping.slices import NOT_CHECKED_YET
from pages.components import state
from pages.components.scoping.state import leave_scope_note, pop_scope_note
from pages.components.scoping.notes import saved_or_noted, show_note
from pages.components.text import code, plain
from storage.scoping import records as scoping
from storage.scoping.slices import newest_versions
from storage.project.tables import Project
from storage.scoping.tables import Target

KIND_KEY = "scope.target_kind"
FORM_KEY = "scope.target_form"
NAME_KEY = "scope.target_name"
COMPARATOR_KEY = "scope.target_comparator"
VALUE_KEY = "scope.target_value"
SLICE_KEY = "scope.target_slice"
UNIT_KEY = "scope.target_unit"
LIST_NOTE = "scope.target_list"
UNMATCHED = (
    "`{target}` matches none of the project's datasets, so no run can be measured on it and it blocks "
    "promotion: {problem} Delete it and add one that names the data."
)
KIND_HELP = {
    "ml": "A model score between 0 and 1. Add a slice such as sex=F to set a minimum within one group: "
          "a category column of the data and one of its values.",
    "software": "How fast and how light the served model must be; each must be greater than 0.",
    "business": "Any number the business tracks, with its unit, e.g. time to decision <= 1 days.",
}


def metric_key_for(kind: str) -> str:
    return f"scope.target_metric.{kind}"


def targets_editor(project: Project, targets: list[Target], problems: dict[int, str]) -> None:
    st.caption("Targets are the numbers later stages check: training and the promotion gate read the ML "
               "targets, the rollout and monitoring read the software ones.")
    target_list(project, targets, problems)
    st.divider()
    add_target_form(project)


def target_list(project: Project, targets: list[Target], problems: dict[int, str]) -> None:
    show_note(pop_scope_note(LIST_NOTE))
    if not targets:
        st.info("No targets yet. Add at least one ML target, for example f1 >= 0.8.", icon=":material/flag:")
        return
    for target in targets:
        kind, text, delete = st.columns([1, 5, 1], vertical_alignment="center")
        kind.markdown(f"**{plain(KIND_LABELS.get(target.kind, target.kind))}**")
        text.code(target_text(target), language=None)
        delete.button("Delete", key=f"scope.target_delete.{target.id}", icon=":material/delete:",
                      on_click=delete_target, args=(project.id, target.id))
        if target.id in problems:
            st.warning(UNMATCHED.format(target=target_text(target), problem=problems[target.id]),
                       icon=":material/warning:")


def add_target_form(project: Project) -> None:
    st.markdown("**Add a target**")
    kind = st.radio("Kind", list(KIND_LABELS), format_func=KIND_LABELS.get, key=KIND_KEY, horizontal=True)
    st.caption(KIND_HELP[kind])
    with st.form(FORM_KEY, border=True):
        name, comparison, value, extra = st.columns([3, 2, 2, 2])
        if kind == "business":
            name.text_input("Name", key=NAME_KEY, placeholder="time to decision")
        else:
            name.selectbox("Metric", metric_names(kind), key=metric_key_for(kind), format_func=_metric_label)
        comparison.selectbox("Comparison", list(COMPARATOR_LABELS), format_func=COMPARATOR_LABELS.get,
                             key=COMPARATOR_KEY)
        value.text_input("Value", key=VALUE_KEY, placeholder="0.85" if kind == "ml" else "50")
        if kind == "ml":
            extra.text_input("Slice (optional)", key=SLICE_KEY, placeholder="sex=F",
                             help="One column and one value, e.g. sex=F: the minimum must hold within that group.")
        elif kind == "business":
            extra.text_input("Unit", key=UNIT_KEY, placeholder="days")
        st.form_submit_button("Add target", type="primary", icon=":material/add:", on_click=add_target,
                              args=(project.id, kind))
    show_note(pop_scope_note(FORM_KEY))


def _metric_label(name: str) -> str:
    spec = METRICS[name]
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label


def add_target(project_id: int, kind: str) -> None:
    fields = st.session_state
    metric = fields.get(NAME_KEY, "") if kind == "business" else fields.get(metric_key_for(kind), "")

    def store(session):
        # Built inside the transaction so a refused field and a refused duplicate read alike.
        target = make_target(kind=kind, metric=metric, comparator=fields[COMPARATOR_KEY], value=fields[VALUE_KEY],
                             slice=fields.get(SLICE_KEY, "") if kind == "ml" else "",
                             unit=fields.get(UNIT_KEY, "") if kind == "business" else "")
        row = scoping.add_target(session, project_id=project_id, target=target, actor=state.actor())
        return row, bool(target.slice) and not newest_versions(session, project_id)

    stored = saved_or_noted(FORM_KEY, store)
    if stored is not None:
        added, unchecked = stored
        later = " " + plain(NOT_CHECKED_YET.format(slice=added.slice)) if unchecked else ""
        leave_scope_note(FORM_KEY, "success", f"Added the target {code(target_text(added))}.{later}")
        fields[VALUE_KEY] = ""
        fields[SLICE_KEY] = ""


def delete_target(project_id: int, target_id: int) -> None:
    deleted = saved_or_noted(LIST_NOTE, partial(scoping.delete_target, project_id=project_id, target_id=target_id,
                                                actor=state.actor()))
    if deleted is not None:
        leave_scope_note(LIST_NOTE, "success", f"Deleted the target {code(deleted)}.")
