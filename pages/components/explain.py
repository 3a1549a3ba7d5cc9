"""Teaching mode's "why" beside each statistic: what it measures, why it matters now, how to read it.

The texts live beside the code that computes each number, one `explain.py` per stage in core/;
this module gathers them and hands them to widgets only in teaching mode:
`st.metric(..., help=why("cohen_kappa"))`, `st.column_config.NumberColumn(help=why("slice_gap"))`,
and `caption_why("replay_chart")` under a chart. Off teaching mode a widget keeps its own note (or
none). A key without a text raises in either mode, so a page cannot ask for a text nobody wrote.
"""

import streamlit as st

from core.baselines.explain import EXPLANATIONS as BASELINES
from core.data.explain import EXPLANATIONS as DATA
from core.deployment.explain import EXPLANATIONS as DEPLOYMENT
from core.errors.explain import EXPLANATIONS as ERRORS
from core.fairness.explain import EXPLANATIONS as FAIRNESS
from core.labeling.explain import EXPLANATIONS as LABELING
from core.modeling.explain import EXPLANATIONS as MODELING
from core.monitoring.explain import EXPLANATIONS as MONITORING
from core.report.explain import EXPLANATIONS as REPORT
from core.scoping.explain import EXPLANATIONS as SCOPING
from pages.components import state

UNKNOWN = "No teaching explanation is written for “{key}”; add one to the stage's core/<stage>/explain.py."
TWICE = "The teaching explanation “{key}” is written in two stages; keep one."
STAGES = (SCOPING, DATA, LABELING, BASELINES, MODELING, ERRORS, FAIRNESS, DEPLOYMENT, MONITORING, REPORT)


def gathered(stages: tuple[dict[str, str], ...]) -> dict[str, str]:
    """Return every stage's explanations in one mapping; raise ValueError for a key two stages write."""
    merged: dict[str, str] = {}
    for texts in stages:
        for key, text in texts.items():
            if key in merged:
                raise ValueError(TWICE.format(key=key))
            merged[key] = text
    return merged


EXPLANATIONS = gathered(STAGES)


def explanation(key: str) -> str:
    """Return the explanation of a statistic; raise KeyError naming a key nobody wrote a text for."""
    if key not in EXPLANATIONS:
        raise KeyError(UNKNOWN.format(key=key))
    return EXPLANATIONS[key]


def why(key: str, note: str | None = None) -> str | None:
    """Return a widget's help: its own note, with the statistic's explanation after it in teaching mode."""
    text = explanation(key)  # looked up in both modes, so an unwritten key fails whether or not teaching is on
    if not state.teaching_mode():
        return note
    return f"{note}\n\n{text}" if note else text


def caption_why(key: str) -> None:
    """Under a chart or table: the explanation as a caption, in teaching mode only."""
    text = explanation(key)
    if state.teaching_mode():
        st.caption(f":material/school: {text}")
