"""The Compare tab: metric against metric, per-class scores, and a side-by-side diff of two runs."""

import pandas as pd
import streamlit as st

from core.modeling.charts import PER_CLASS_METRICS, metric_scatter, per_class_bars
from core.modeling.comparison import config_diff, metrics_diff
from storage.modeling.tables import Run
from pages.components.classes import project_class_names
from storage.modeling.comparison import DEV_METRICS, per_class_frame

AXES = (*DEV_METRICS, "train_accuracy", "fit_seconds", "p95_latency_ms", "model_mb")


def compare_tab(table: pd.DataFrame, runs: dict[int, Run]) -> None:
    """Compare the finished runs of `table`, whose index is the run number; `runs` are keyed by id."""
    finished = table[table["status"] == "finished"]
    runs = {run.number: run for run in runs.values()}
    if finished.empty:
        st.info("No finished run yet. Train a model in the Train tab; finished runs can be compared here.")
        return
    scatter(finished)
    per_class(finished, runs)
    if len(finished) >= 2:
        diff(finished, runs)
    else:
        st.caption("Train a second run to see two runs side by side.")


def scatter(finished: pd.DataFrame) -> None:
    left, right = st.columns(2)
    x = left.selectbox("x axis", AXES, index=AXES.index("fit_seconds"), key="exp.scatter_x")
    y = right.selectbox("y axis", AXES, index=AXES.index("f1"), key="exp.scatter_y")
    st.plotly_chart(metric_scatter(finished, x=x, y=y), key="exp.scatter")


def per_class(finished: pd.DataFrame, runs: dict[int, Run]) -> None:
    left, right = st.columns([3, 1])
    chosen = left.multiselect("Runs for the per-class chart", list(finished.index), default=list(finished.index[:3]),
                              format_func=lambda i: f"Run {i} · {finished.loc[i, 'model']}",
                              key=f"exp.per_class_runs.{len(finished)}")  # a new run resets the default
    metric = right.radio("Per-class metric", PER_CLASS_METRICS, index=2, horizontal=True, key="exp.per_class_metric")
    if chosen:
        names = project_class_names(runs[chosen[0]].project_id)
        table = names.relabel(per_class_frame([runs[i] for i in chosen]), values=["class"])
        st.plotly_chart(per_class_bars(table, metric=metric), key="exp.per_class")


def diff(finished: pd.DataFrame, runs: dict[int, Run]) -> None:
    st.markdown("**Two runs side by side**")
    numbers = list(finished.index)
    left, right = st.columns(2)
    name = lambda i: f"Run {i} · {finished.loc[i, 'model']}"  # noqa: E731
    a = left.selectbox("Run A", numbers, index=1, format_func=name, key="exp.diff_a")
    b = right.selectbox("Run B", numbers, index=0, format_func=name, key="exp.diff_b")
    config = config_diff(runs[a].config, runs[b].config)
    left.dataframe(config, width="stretch", hide_index=True, key="exp.config_diff",
                   column_config={"differs": st.column_config.CheckboxColumn("differs")})
    metrics = metrics_diff(runs[a].metrics.get("dev", {}), runs[b].metrics.get("dev", {}))
    right.dataframe(metrics, width="stretch", hide_index=True, key="exp.metrics_diff",
                    column_config={c: st.column_config.NumberColumn(format="%.4f") for c in ("A", "B", "B − A")})
