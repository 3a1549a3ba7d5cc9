"""The Label section: one item at a time with a button per class, or many at once in a grid."""

import time
from functools import partial

import pandas as pd
import streamlit as st

from core.labeling.consensus import UNCLEAR
from core.labeling.charts import item_image
from core.labeling.shortcuts import SKIP_KEY, UNCLEAR_KEY, UNDO_KEY, class_shortcuts
from core.data.roles import Roles
from core.data.summary import format_value
from core.labeling.card import CardPlan, card_of, field_options
from core.labeling.classes import ClassNames
from pages.components import state
from pages.components.labeling.state import (
    LABEL_BATCH_KEY, LABEL_BATCH_WIDGET_KEY, labeling_batch, labeling_batch_picked, leave_labeling_note,
    mark_item_shown, pop_labeling_note, seconds_on_item,
)
from pages.components.classes import project_class_names
from pages.components.feedback import USER_ERRORS
from pages.components.resources import db_session
from pages.components.text import plain
from storage.labeling import labels
from storage.labeling.batches import current_guideline, ensure_labeler, label_classes
from storage.labeling.tables import Guideline
from storage.data.tables import Dataset
from storage.labeling.tables import LabelBatch

GRID_ROWS = 50
LEVELS = {"error": st.error, "success": st.success, "info": st.info}


def image_columns(dataset: Dataset) -> list[str]:
    return [c for c, kind in dataset.column_kinds.items() if kind == "image"]


def item_card(dataset: Dataset, frame: pd.DataFrame, row_id: int, card: CardPlan | None = None) -> None:
    """Show one item as a person would want to read it: a picture, text as text, and every field at once.

    With a batch's card, its fields in its order (blind labeling leaves the sensitive columns out);
    without one (review, errors), every column but the target and ignored ones.
    """
    roles = Roles.from_dict(dataset.roles)
    pixels = image_columns(dataset)
    if pixels:
        st.image(item_image(frame.loc[row_id, pixels].to_numpy()), caption=f"row {row_id}", width=256)
    hidden = {roles.target, *roles.ignored, *(roles.sensitive if card and card.blind else ())}
    for column in [c for c, kind in dataset.column_kinds.items() if kind == "text" and c not in hidden]:
        st.caption(plain(column))
        st.text(str(frame.at[row_id, column]))  # user text, shown as plain text
    fields = list(card.fields) if card else [c for c in field_options(dataset.column_kinds, roles) if c not in hidden]
    if fields:
        field_grid(frame.loc[row_id, fields])


def field_grid(values: pd.Series) -> None:
    """Every field at once in two compact columns of name and value: nothing scrolls inside a box."""
    half = (len(values) + 1) // 2
    for column, part in zip(st.columns(2), (values.iloc[:half], values.iloc[half:])):
        if len(part):
            column.markdown(field_table(part))


def field_table(part: pd.Series) -> str:
    """Return a Markdown table of the fields, names and values escaped (user text, never Markdown)."""
    rows = [f"| {plain(name)} | {plain(format_value(value)).replace(chr(10), ' ')} |" for name, value in part.items()]
    return "\n".join(["| field | value |", "| :-- | :-- |", *rows])


def run_action(action, *, success: str | None = None) -> None:
    """Button callback: run one storage action; keep its refusal (or a success) for this run to show."""
    try:
        with db_session() as session:
            action(session)
        if success:
            leave_labeling_note("success", success)
    except USER_ERRORS as error:
        leave_labeling_note("error", str(error))


def label_section(dataset: Dataset, frame: pd.DataFrame, batches: list[LabelBatch]) -> None:
    if not batches:
        st.info("No batch yet. Plan one in the Plan section: choose its size, strategy and labelers.",
                icon=":material/info:")
        return
    by_id = {b.id: b for b in batches}
    labeling_batch(list(by_id))
    st.selectbox("Batch", list(by_id), key=LABEL_BATCH_WIDGET_KEY, on_change=labeling_batch_picked,
                 format_func=lambda i: f"Batch {by_id[i].number} · {by_id[i].strategy} · {by_id[i].size} items")
    batch = by_id[st.session_state[LABEL_BATCH_KEY]]
    with db_session() as session:
        labeler = ensure_labeler(session, project_id=dataset.project_id, name=state.actor())
        classes = label_classes(session, dataset_id=dataset.id)
        item = labels.next_assignment(session, batch_id=batch.id, labeler_id=labeler.id)
        done, total = labels.queue_counts(session, batch_id=batch.id, labeler_id=labeler.id)
        guideline = current_guideline(session, dataset.project_id)
    names = project_class_names(dataset.project_id)
    note = pop_labeling_note()
    if note:
        LEVELS[note[0]](plain(note[1]))
    guideline_in_force(guideline)
    card = card_of(batch.params, dataset.column_kinds, Roles.from_dict(dataset.roles))
    toggle_column, note_column = st.columns([1, 2])  # one row for both: the card stays in view below
    with note_column:
        blind_note(card, Roles.from_dict(dataset.roles))
    if toggle_column.toggle("Grid mode: label many rows at once", key="lab.grid_mode"):
        grid(dataset, frame, batch, labeler.id, classes, names, card)
    elif item is None:
        st.success(f"You have no open items in batch {batch.number}, {plain(labeler.name)}. Pick another batch, or plan a "
                   "new one.", icon=":material/task_alt:")
        undo_button(batch, labeler.id)
    else:
        one_item(dataset, frame, batch, labeler.id, item, classes, names, card, (done, total))


def one_item(dataset, frame, batch, labeler_id, item, classes, names, card, counts: tuple[int, int]) -> None:
    mark_item_shown(item.id, time.monotonic())
    done, total = counts
    st.markdown(f"**Item {done + 1} of {total}** in your queue of batch {batch.number} · {total - done} left"
                + (" · skipped before" if item.skipped else ""))
    left, right = st.columns([7, 3])  # the card's two columns of fields need the width; class buttons do not
    with left:
        item_card(dataset, frame, item.row_id, card)
    with right:
        class_buttons(item.id, classes, names)
    action_buttons(batch, labeler_id, item)


def action_buttons(batch, labeler_id, item) -> None:
    """Unclear, skip and undo in one row across the page: in the class column they cut their keys off."""
    cols = st.columns(3)
    cols[0].button("Unclear", key="lab.unclear", width="stretch", on_click=save_label, args=(item.id, UNCLEAR),
                   shortcut=UNCLEAR_KEY, help="Cannot tell: recorded, and it does not vote.")
    cols[1].button("Skip", key="lab.skip", width="stretch", on_click=run_action, shortcut=SKIP_KEY,
                   args=(partial(labels.skip_assignment, assignment_id=item.id),),
                   help="Come back to it after the other items.")
    with cols[2]:
        undo_button(batch, labeler_id)


def blind_note(card: CardPlan, roles: Roles) -> None:
    if card.blind and roles.sensitive:
        st.caption("Blind labeling: the sensitive columns (" + plain(", ".join(roles.sensitive)) + ") are hidden "
                   "from you in this batch, so they cannot sway a label.")


def guideline_in_force(guideline: Guideline | None) -> None:
    """The rules labels are recorded under, beside the item, so a labeler need not leave to read them."""
    if guideline is None:
        return
    with st.expander(f"Guideline in force: version {guideline.version}", icon=":material/menu_book:"):
        st.text(guideline.text or "(no rules written yet)")  # user text, shown as plain text


def class_buttons(assignment_id: int, classes: list[str], names: ClassNames) -> None:
    """One button per class, by its display name, each with its key (shown on the button by Streamlit).

    The keys follow the names a labeler reads ("approved" → A), while the label saved is the value.
    """
    st.caption("Which class is it? Press its key, or click.")
    keys = class_shortcuts(names.show_all(classes))
    across = 1 if len(classes) <= 4 else 2 if len(classes) <= 8 else 3  # ten digits: four short rows, not ten
    cells = st.columns(across)
    for position, value in enumerate(classes):
        cells[position % across].button(plain(names.show(value)), key=f"lab.class.{position}", width="stretch",
                                         type="primary", shortcut=keys[names.show(value)], on_click=save_label,
                                         args=(assignment_id, value))


def save_label(assignment_id: int, value: str) -> None:
    seconds = seconds_on_item(assignment_id, time.monotonic())
    run_action(partial(labels.record_label, assignment_id=assignment_id, value=value, seconds=seconds,
                       actor=state.actor()))


def undo_button(batch: LabelBatch, labeler_id: int) -> None:
    st.button("Undo last", key="lab.undo", width="stretch", icon=":material/undo:", shortcut=UNDO_KEY,
              on_click=run_action,
              args=(partial(labels.undo_last_label, batch_id=batch.id, labeler_id=labeler_id, actor=state.actor()),),
              kwargs={"success": "Your last label was withdrawn; the item is shown again."})


def grid(dataset, frame, batch, labeler_id, classes, names: ClassNames, card: CardPlan) -> None:
    with db_session() as session:
        items = labels.open_assignments(session, batch_id=batch.id, labeler_id=labeler_id)[:GRID_ROWS]
    if not items:
        st.success("No open items left for you in this batch.")
        return
    shown = list(card.fields)  # every field of the card, in its order: the grid scrolls sideways, never cuts
    table = frame.loc[[a.row_id for a in items], shown].map(format_value).assign(label=None)
    mark_item_shown(("grid", batch.id), time.monotonic())
    st.caption(f"Your first {len(items)} open items. Pick a label in the last column, then save.")
    edited = st.data_editor(table, key="lab.grid", disabled=shown, width="stretch", column_config={
        "label": st.column_config.SelectboxColumn("label", options=[*classes, UNCLEAR], format_func=names.show)})
    if st.button("Save grid labels", key="lab.grid_save", type="primary"):
        chosen = {int(row): str(value) for row, value in edited["label"].items() if pd.notna(value) and value}
        each = seconds_on_item(("grid", batch.id), time.monotonic()) / max(len(chosen), 1)
        run_action(partial(labels.record_labels, batch_id=batch.id, labeler_id=labeler_id, values=chosen,
                           seconds={row: each for row in chosen}, actor=state.actor()),
                   success=f"Saved {len(chosen)} labels.")
        st.session_state.pop("lab.grid", None)
        st.rerun()
