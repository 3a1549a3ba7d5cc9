"""The slice table: build it, set ease, read priorities and actions, drill into a slice and save it."""

from dataclasses import replace

import streamlit as st

from core.errors.data import PREDICTED_CLASS, TRUE_CLASS
from core.errors.errors import error_rows
from core.errors.priority import priority_chart
from core.errors.report import SliceOptions, SliceReport, slice_report
from core.errors.scoring import METRICS
from core.errors.slices import slice_mask
from pages.components import state
from pages.components.errors.state import (
    ERR_SLICE_KEY, ERR_SLICE_WIDGET_KEY, error_options, leave_error_note, set_error_options, slice_ease,
)
from pages.components.explain import caption_why, why
from pages.components.feedback import USER_ERRORS
from pages.components.resources import db_session
from storage.errors.analysis import RunAnalysis
from storage.errors.slices import MAX_NAME, save_slice
from storage.modeling.runs import run_label

ANALYSIS_COLUMNS = (TRUE_CLASS, PREDICTED_CLASS)
EASE_INPUT_KEY, EASE_FOR_KEY = "err.ease_input", "err.ease_for"
# The slice table's statistic columns and their teaching explanations.
SLICE_HELP = {"share": "slice_share", "metric": "slice_metric", "baseline": "slice_baseline", "gap": "slice_gap",
              "ease": "slice_ease", "priority": "slice_priority", "severity": "slice_severity",
              "p-value": "slice_p_value"}
SHOWN = ["slice", "source", "rows", "share", "metric", "baseline", "baseline from", "gap", "ease", "priority",
         "severity", "p-value", "action", "why"]


def options_form() -> SliceOptions | None:
    """Return the chosen table options once the table was built (kept for this tab)."""
    with st.form("err.options_form"):
        cols = st.columns(5)
        metric = cols[0].selectbox("Metric", METRICS, key="err.metric")
        bins = cols[1].number_input("Bins per numeric column", 2, 10, 4, key="err.bins")
        pairs = cols[2].toggle("Pairs of conditions", True, key="err.pairs")
        discovery = cols[3].toggle("Automatic discovery", True, key="err.discovery")
        correct = cols[4].toggle("Benjamini–Hochberg", False, key="err.bh",
                                 help="Adjust the p-values for testing many slices at once.")
        if st.form_submit_button("Build the slice table", type="primary", key="err.build"):
            set_error_options(SliceOptions(metric, int(bins), pairs, discovery, correct))
    return error_options()


def slices_section(analysis: RunAnalysis, saved: dict, tags: list[str]) -> SliceReport | None:
    options = options_form()
    if options is None:
        st.info("Choose the metric and the sources of slices, then build the table.", icon=":material/info:")
        return None
    try:
        report = slice_report(analysis.data, options=replace(options, ease=dict(slice_ease())),
                              baseline=analysis.baseline, tags=tags, saved=saved, unstructured=analysis.unstructured)
    except USER_ERRORS as error:
        st.error(str(error))
        return None
    for note in report.notes:
        st.warning(note, icon=":material/warning:")
    st.caption(f"{run_label(analysis.run)} · {options.metric} on all {analysis.data.n_rows:,} dev rows: "
               f"{report.overall:.3f}. Priority = gap to baseline × share of data × ease of improvement. "
               "A drop of more than 5% below the overall value is an issue, more than 10% major.")
    st.dataframe(report.table[SHOWN], hide_index=True, width="stretch", height=360, key="err.slice_table",
                 column_config={c: st.column_config.NumberColumn(format="%.3f", help=why(SLICE_HELP[c])) for c in
                                ("share", "metric", "baseline", "gap", "priority", "p-value")} | {
                     c: st.column_config.Column(help=why(SLICE_HELP[c])) for c in ("ease", "severity")})
    st.plotly_chart(priority_chart(report.table), key="err.priority_chart")
    caption_why("slice_priority")
    return report


def drill_down(analysis: RunAnalysis, report: SliceReport) -> str:
    """Show one slice's errors, its ease and a form to save it; return its name."""
    names = list(report.table["slice"])
    state.settle_choice(ERR_SLICE_KEY, ERR_SLICE_WIDGET_KEY, names)
    st.selectbox("Open a slice", names, key=ERR_SLICE_WIDGET_KEY, on_change=state.keep_choice,
                 args=(ERR_SLICE_KEY, ERR_SLICE_WIDGET_KEY))
    name = st.session_state[ERR_SLICE_KEY]
    chosen = report.slices[name]
    st.text(chosen.predicate.text())  # user-given values, shown as plain text
    row = report.table.set_index("slice").loc[name]
    st.caption(f"{row['action']}: {row['why']}")
    if st.session_state.get(EASE_FOR_KEY) != name:  # another slice opened: show its own ease
        st.session_state[EASE_FOR_KEY] = name
        st.session_state[EASE_INPUT_KEY] = float(slice_ease().get(name, 1.0))
    st.number_input("Ease of improvement (1 = as easy as any other slice)", 0.0, 10.0, step=0.5, key=EASE_INPUT_KEY,
                    on_change=_ease_changed, args=(name,))
    mask = slice_mask(analysis.data.frame, chosen.predicate, tags=analysis.data.tags)
    st.dataframe(error_rows(analysis.data, mask=mask).head(200), hide_index=True, width="stretch", height=240)
    _save_form(analysis, chosen)
    return name


def _ease_changed(name: str) -> None:
    slice_ease()[name] = float(st.session_state[EASE_INPUT_KEY])


def _save_form(analysis: RunAnalysis, chosen) -> None:
    with st.form("err.save_slice", clear_on_submit=True):
        st.text_input("Save this slice as", key="err.slice_name_text", max_chars=MAX_NAME,
                      placeholder="Fairness and monitoring can reuse a saved slice")
        st.form_submit_button("Save slice", on_click=_save, args=(analysis, chosen))


def _save(analysis: RunAnalysis, chosen) -> None:
    name = st.session_state.get("err.slice_name_text", "")
    try:
        with db_session() as session:
            row = save_slice(session, project_id=analysis.run.project_id, name=name, predicate=chosen.predicate,
                             source=chosen.source, known_columns=[*analysis.frame.columns, *ANALYSIS_COLUMNS],
                             dataset_id=analysis.dataset.id, run_id=analysis.run.id, actor=state.actor())
        leave_error_note("success", f"Saved the slice “{row.name}”.")
    except USER_ERRORS as error:
        leave_error_note("error", str(error))
