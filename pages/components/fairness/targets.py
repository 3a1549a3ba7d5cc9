"""Scoping's per-slice targets (e.g. recall[sex=F] >= 0.8), met or not on the audited run."""

import pandas as pd
import streamlit as st

from core.scoping.targets import evaluate_targets, target_text
from storage.modeling.tables import Run
from storage.scoping.tables import Target

SHOWN = {"met": "✓ met", "not met": "✗ not met", "not measured": "– not measured"}


def slice_targets_section(run: Run, targets: list[Target]) -> None:
    if not targets:
        st.caption("No per-slice targets were set at scoping (such as recall[sex=F] >= 0.8).")
        return
    results = evaluate_targets(run.metrics.get("dev", {}), targets)
    st.dataframe(pd.DataFrame([{"target": target_text(r.target), "dev value": r.value, "status": SHOWN[r.status]}
                               for r in results]), hide_index=True, key="fair.slice_targets",
                 column_config={"dev value": st.column_config.NumberColumn(format="%.4f")})
    st.caption("Per-slice targets from scoping, on this run's dev split.")
