"""One section of the audit report on the page: status, what is missing, facts, tables, notes, charts."""

import pandas as pd
import streamlit as st

from core.report.document import Reveal, Section
from pages.components.explain import caption_why
from pages.components.text import plain

STATUS_ICONS = {"done": ":material/check_circle:", "partly": ":material/timelapse:",
                "not done": ":material/radio_button_unchecked:"}


def show_section(section: Section) -> None:
    """Draw a section; when its stage has not been done, say what is missing and link to the page that does it."""
    st.subheader(section.title, divider="gray")
    st.caption(f"{STATUS_ICONS[section.status]} {section.status_text}")
    caption_why(f"report_{section.key}")
    if section.missing:
        st.info(plain(section.missing), icon=":material/info:")
    else:
        st.markdown("  \n".join(f"**{plain(f.label)}:** {plain(f.value)}" for f in section.facts))
        for index, table in enumerate(section.tables):
            st.markdown(f"**{plain(table.title)}**")
            st.dataframe(table.frame, hide_index=True, width="stretch", key=f"report.{section.key}.table{index}",
                         column_config=_three_decimals(table.frame))
        for note in section.notes:
            st.caption(plain(note))
        for index, figure in enumerate(section.charts):
            st.plotly_chart(figure, key=f"report.{section.key}.chart{index}")
    st.page_link(section.page, label=f"Open {section.page_label}", icon=":material/arrow_forward:")


def _three_decimals(frame: pd.DataFrame) -> dict:
    return {c: st.column_config.NumberColumn(format="%.3f") for c in frame.columns
            if pd.api.types.is_float_dtype(frame[c])}


def show_reveal(reveal: Reveal | None) -> None:
    """Draw teaching mode's reveal: the planted truth beside what was found, scored."""
    st.subheader("Teaching reveal", divider="gray")
    if reveal is None:
        st.info("This project holds no demo scenario, so there is no planted truth to reveal.", icon=":material/school:")
        return
    st.caption(f"What the {plain(reveal.scenario)} scenario planted, beside what was found in this project.")
    caption_why("reveal")
    for item in reveal.items:
        st.markdown(f"**{plain(item.effect)}: {plain(item.score)}**  \nPlanted: {plain(item.planted)}.  \n"
                    f"Found: {plain(item.found)}.")
