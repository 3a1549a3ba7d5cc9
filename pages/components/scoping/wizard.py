"""The checklist wizard: a jump list of steps, one step's items, and previous / next.

Each item's answer and status are saved by their widget's callback as soon as they change,
so leaving the page or closing the tab loses nothing. Before each draw the widgets are set
from the database, which stays the one source of truth.
"""

from functools import partial

import streamlit as st

from core.scoping.checklist import (
    CHECKLIST,
    ITEM_STATUSES,
    MAX_ANSWER_LENGTH,
    REOPENED,
    ChecklistItem,
    describe_data,
    example_for,
)
from core.data.scenarios import SCENARIOS
from core.scoping.report import step_label
from pages.components import state
from pages.components.scoping.state import (
    SCOPE_STEP_WIDGET_KEY, go_to_scope_step, leave_scope_note, pop_scope_note, scope_step, scope_step_picked,
)
from pages.components.scoping.notes import saved_or_noted, show_note
from pages.components.text import plain
from storage.scoping import records as scoping
from storage.project.tables import Project
from storage.scoping.tables import ScopeAnswer
from storage.scoping.records import ScopingSheet

DATASETS_PAGE = "pages/2_datasets.py"
STEP_KEYS = [step.key for step in CHECKLIST]


def answer_key(item_key: str) -> str:
    return f"scope.answer.{item_key}"


def status_key(item_key: str) -> str:
    return f"scope.status.{item_key}"


def checklist_wizard(project: Project, sheet: ScopingSheet) -> None:
    current = scope_step(STEP_KEYS)
    labels = {step.key: step_label(i, step, sheet.answers) for i, step in enumerate(CHECKLIST)}
    st.segmented_control("Checklist step", STEP_KEYS, format_func=labels.get, key=SCOPE_STEP_WIDGET_KEY,
                         on_change=scope_step_picked, label_visibility="collapsed")
    index = STEP_KEYS.index(current)
    step = CHECKLIST[index]
    st.subheader(f"{index + 1}. {step.title}")
    st.caption(step.summary)
    if step.key == "feasibility":
        data_summary(sheet)
    for item in step.items:
        item_editor(project, item, sheet.answers.get(item.key))
    navigation(index)


def data_summary(sheet: ScopingSheet) -> None:
    if not sheet.data:
        st.info("This project has no dataset yet. Once you add one, its size and kind are summarised here.",
                icon=":material/info:")
        st.page_link(DATASETS_PAGE, label="Add data on the Datasets page", icon=":material/table_chart:")
        return
    st.info(f"**From the project's datasets:** {plain(describe_data(sheet.data))}", icon=":material/table_chart:")


def item_editor(project: Project, item: ChecklistItem, answer: ScopeAnswer | None) -> None:
    with st.container(border=True):
        st.markdown(f"**{item.question}**" + (" · *required*" if item.required else " · *optional*"))
        st.caption(f"Why this matters: {item.why}")
        answer_note, status_note = pop_scope_note(answer_key(item.key)), pop_scope_note(status_key(item.key))
        # A failed save keeps the typed text on screen rather than the stored one.
        if answer_note is None or answer_note[0] != "error":
            st.session_state[answer_key(item.key)] = answer.value if answer else ""
        st.session_state[status_key(item.key)] = answer.status if answer else "to do"
        text_column, status_column = st.columns([4, 1])
        text_column.text_area(item.question, key=answer_key(item.key), max_chars=MAX_ANSWER_LENGTH, height=110,
                              on_change=answer_changed, args=(project.id, item), label_visibility="collapsed",
                              placeholder="Type the answer; it is saved when you click elsewhere.")
        status_column.radio("Status", ITEM_STATUSES, key=status_key(item.key), on_change=status_changed,
                            args=(project.id, item))
        show_note(answer_note)
        show_note(status_note)
        if state.teaching_mode():
            teaching_panel(item, project.source)


def teaching_panel(item: ChecklistItem, source: str) -> None:
    lines = [f"**What a good answer looks like:** {item.good_answer}"]
    example = example_for(item.key, source)
    if example is not None:
        scenario, text = example
        lines.append(f"**Example from the {SCENARIOS[scenario].title} demo:** {text}")
    st.success("\n\n".join(lines), icon=":material/school:")


def answer_changed(project_id: int, item: ChecklistItem) -> None:
    shown_status = st.session_state.get(status_key(item.key))
    saved = saved_or_noted(answer_key(item.key), partial(
        scoping.save_answer, project_id=project_id, item_key=item.key,
        value=st.session_state[answer_key(item.key)], actor=state.actor()))
    if saved is not None and shown_status == "done" and saved.status == "to do":
        leave_scope_note(answer_key(item.key), "info", REOPENED.format(question=item.question))


def status_changed(project_id: int, item: ChecklistItem) -> None:
    # The text on screen is saved with the status, so "type, then click done" needs no blur first.
    saved_or_noted(status_key(item.key), partial(
        scoping.save_answer, project_id=project_id, item_key=item.key,
        value=st.session_state.get(answer_key(item.key)), status=st.session_state[status_key(item.key)],
        actor=state.actor()))


def navigation(index: int) -> None:
    previous, following, _ = st.columns([1, 1, 4])
    previous.button("Previous", key="scope.previous", icon=":material/arrow_back:", disabled=index == 0,
                    on_click=go_to_scope_step, args=(STEP_KEYS[max(index - 1, 0)],), width="stretch")
    following.button("Next", key="scope.next", icon=":material/arrow_forward:", disabled=index == len(STEP_KEYS) - 1,
                     on_click=go_to_scope_step, args=(STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)],),
                     width="stretch")
