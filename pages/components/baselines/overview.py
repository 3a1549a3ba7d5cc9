"""The Baselines overview: every baseline side by side, against the targets, the primary mark, details."""

from functools import partial

import pandas as pd
import streamlit as st

from core.baselines.metrics import METRIC_LABELS
from core.baselines.table import (
    INTERVAL,
    BaselineSummary,
    class_table,
    comparison_table,
    scoring_note,
    slice_table,
    targets_table,
)
from core.baselines.computed import KIND_LABELS
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.counts import greyed, minimum_rows
from pages.components.explain import why
from pages.components.feedback import attempt
from pages.components.text import plain
from storage.baselines import records as baselines
from storage.baselines.tables import Baseline
from storage.project.tables import Project
from storage.scoping.tables import Target

RECALL_FORMAT = {"recall": st.column_config.NumberColumn("recall", format="%.3f")}


def scores_view(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with scores as three-decimal text and a dash where nothing was measured.

    Text, not numbers: a table shows an empty number as “None”. Scores between 0 and 1 written
    with three decimals still sort in order.
    """
    shown = table.copy()
    for column in [label for label in METRIC_LABELS.values() if label in shown.columns]:
        shown[column] = shown[column].map(lambda v: "–" if pd.isna(v) else f"{v:.3f}")
    if "rows" in shown.columns:
        shown["rows"] = shown["rows"].map(_count_text)
    return shown


def _count_text(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    # Human-level performance counts a tied vote as a share of an item.
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def overview(project: Project, summaries: list[BaselineSummary], targets: list[Target],
             primary: Baseline | None) -> int | None:
    """Draw the comparison; return the minimum rows the user set (None without baselines)."""
    st.subheader("All baselines")
    if not summaries:
        st.info("No baselines yet. Add them below: start with the dummies, which need nothing but the split.",
                icon=":material/flag:")
        return None
    minimum = minimum_rows("bl.min_rows")
    table = comparison_table(summaries, kind_labels=KIND_LABELS, min_rows=minimum)
    st.dataframe(scores_view(table), hide_index=True, width="stretch",
                 column_config={"primary": st.column_config.TextColumn("", width="small"), **explained_columns()},
                 key="bl.table")
    st.caption(scoring_note(summaries) + " For two classes, F1, precision and recall are those of the positive "
               "class (the last in order); macro-F1 averages every class. ★ marks the primary baseline. An interval "
               "from fewer rows (items, for human-level performance) than the minimum reads “too few rows”.")
    against_targets(summaries, targets)
    primary_picker(project, summaries, primary)
    return minimum


def explained_columns() -> dict:
    """The comparison table's statistic columns, with their teaching explanation as help in teaching mode."""
    keys = {label: metric for metric, label in METRIC_LABELS.items()} | {
        INTERVAL: "hlp_interval", "kind": "baseline_kind", "rows": "rows_scored"}
    return {column: st.column_config.TextColumn(column, help=why(key)) for column, key in keys.items()}


def against_targets(summaries: list[BaselineSummary], targets: list[Target]) -> None:
    st.markdown("**Against the scoping targets**")
    ml_targets = [t for t in targets if t.kind == "ml"]
    if not ml_targets:
        st.caption("No ML targets are set, so there is nothing to hold the baselines against.")
        st.page_link("pages/1_scoping.py", label="Set targets on the Scoping page", icon=":material/checklist:")
        return
    # A row per baseline and a column per target: there are few targets and many baselines with long
    # names, so this way round the whole table fits the page instead of running off its right edge.
    table = targets_table(summaries, ml_targets).set_index("target").T.rename_axis("baseline").reset_index()
    table.columns.name = None
    st.dataframe(table, hide_index=True, key="bl.targets", column_config=fitted_columns(table))
    st.caption("✓ the baseline already meets the target, ✗ it does not, – it does not measure that metric. "
               "A target a dummy meets is set too low.")


def fitted_columns(table: pd.DataFrame) -> dict:
    """Column widths that fit each column's longest text, header included, so no name or value is cut off.

    The first column (what each row is) stays pinned while a wide table scrolls sideways.
    """
    config = {}
    for position, column in enumerate(table.columns):
        longest = max([len(str(column)), *(len(str(v)) for v in table[column])])
        config[column] = st.column_config.TextColumn(str(column), width=min(7 * longest + 24, 480),
                                                     pinned=position == 0)
    return config


def primary_picker(project: Project, summaries: list[BaselineSummary], primary: Baseline | None) -> None:
    if primary is None:
        st.caption("No primary baseline yet: mark one for error analysis to measure its gaps to.")
    elif not primary.is_primary:
        st.caption(f"Primary baseline by default: **{plain(primary.name)}** (human-level performance, where measured).")
    names = {s.id: f"{KIND_LABELS.get(s.kind, s.kind)} · {s.name}" for s in summaries}
    if primary is not None and primary.id in names:
        names[primary.id] += " ★ primary" + ("" if primary.is_primary else " by default")
    ids = list(names)
    choice, button = st.columns([4, 1], vertical_alignment="bottom")
    # Keyed by the primary: after marking, the picker opens on the new primary with its star.
    picked = choice.selectbox("Primary baseline", ids, format_func=names.get, key=f"bl.primary_pick.{primary_key(primary)}",
                              index=ids.index(primary.id) if primary is not None and primary.id in names else 0,
                              help="Error analysis measures each slice's gap to this baseline. ★ marks the one in use.")
    if button.button("Mark as primary", key="bl.mark_primary", icon=":material/star:"):
        marked = attempt(partial(baselines.mark_primary, project_id=project.id, baseline_id=picked, actor=state.actor()))
        if marked is not None:
            state.flash(f"“{marked.name}” is now the primary baseline.")
            st.rerun()


def primary_key(primary: Baseline | None) -> str:
    return "none" if primary is None else f"{primary.id}.{int(primary.is_primary)}"


def details(project: Project, summaries: list[BaselineSummary], minimum: int) -> None:
    measured = {s.id: s for s in summaries if s.scores.overall.class_recall}
    if not measured:
        return
    st.subheader("Per class and per slice")
    names = {i: s.name for i, s in measured.items()}
    chosen = measured[st.selectbox("Baseline", list(names), format_func=names.get, key="bl.detail_pick")]
    classes, slices = st.columns(2)
    with classes:
        st.markdown("**Recall of each class**")
        recall = project_class_names(project.id).relabel(class_table(chosen.scores.overall, min_rows=minimum),
                                                         values=["class"])
        st.dataframe(greyed(scores_view(recall)), hide_index=True,
                     column_config=RECALL_FORMAT, key="bl.classes")
    with slices:
        slice_view(chosen, minimum)
    if st.button("Delete this baseline", key="bl.delete", icon=":material/delete:"):
        deleted = attempt(partial(baselines.delete_baseline, project_id=project.id, baseline_id=chosen.id,
                                  actor=state.actor()))
        if deleted is not None:
            state.flash(f"Deleted the baseline “{deleted}”.")
            st.rerun()


def slice_view(chosen: BaselineSummary, minimum: int) -> None:
    columns = sorted(chosen.scores.slices)
    if not columns:
        st.caption("This dataset has no categorical column to slice by.")
        return
    column = st.selectbox("Slice by", columns, key="bl.slice_column")
    st.dataframe(greyed(scores_view(slice_table(chosen.scores, column, min_rows=minimum))), hide_index=True,
                 key="bl.slices")
    st.caption(f"Each slice shows the rows it rests on; slices with fewer than {minimum:,} rows (the minimum set "
               "above the baselines table) are greyed and flagged, and their intervals read “too few rows”.")
