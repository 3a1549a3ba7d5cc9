"""The Compare tab: chosen runs on a scatter, in parallel coordinates and per class; two runs side by side.

A run has the same colour on every chart (`core.modeling.charts.run_colour`, fixed by its number).
"""

import pandas as pd
import streamlit as st

from core.modeling.charts import PER_CLASS_METRICS, metric_scatter, parallel_runs, per_class_bars
from core.modeling.comparison import config_diff, metrics_diff
from storage.modeling.tables import Run
from pages.components.classes import project_class_names
from pages.components.explain import why
from storage.modeling.comparison import DEV_METRICS, parameter_columns, per_class_frame

AXES = (*DEV_METRICS, "train_accuracy", "fit_seconds", "p95_latency_ms", "model_mb")
SHOWN_AT_FIRST = 8
PARALLEL_METRICS = ("balanced_accuracy", "f1", "fit_seconds")


def compare_tab(table: pd.DataFrame, runs: dict[int, Run]) -> None:
    """Compare the finished runs of `table`, whose index is the run number; `runs` are keyed by id."""
    finished = table[table["status"] == "finished"]
    runs = {run.number: run for run in runs.values()}
    if finished.empty:
        st.info("No finished run yet. Train a model in the Train tab; finished runs can be compared here.")
        return
    chosen = finished.loc[st.multiselect(
        "Runs to compare", list(finished.index), default=list(finished.index[:SHOWN_AT_FIRST]),
        format_func=lambda i: f"Run {i} · {finished.loc[i, 'model']}",
        key=f"exp.compare_runs.{len(finished)}")]  # a new run resets the default
    if chosen.empty:
        st.info("Choose runs to compare above.")
    else:
        scatter(chosen)
        parallel(chosen)
        per_class(chosen, runs)
    if len(finished) >= 2:
        diff(finished, runs)
    else:
        st.caption("Train a second run to see two runs side by side.")


def scatter(chosen: pd.DataFrame) -> None:
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    x = left.selectbox("x axis", AXES, index=AXES.index("fit_seconds"), key="exp.scatter_x")
    y = middle.selectbox("y axis", AXES, index=AXES.index("f1"), key="exp.scatter_y")
    from_zero = right.checkbox("Axes from zero", value=True, key="exp.scatter_zero",
                               help="From zero, distances between runs read as proportions; off, the axes zoom to "
                                    "the runs and the title says they do not start at zero.")
    st.plotly_chart(metric_scatter(chosen, x=x, y=y, from_zero=from_zero), key="exp.scatter")


def parallel(chosen: pd.DataFrame) -> None:
    params = parameter_columns(chosen)
    options = [*params, *AXES]
    columns = st.multiselect("Axes of the parallel view", options, default=[*params, *PARALLEL_METRICS],
                             key=f"exp.parallel_axes.{'.'.join(params)}")  # other runs' parameters reset it
    if columns:
        st.plotly_chart(parallel_runs(chosen, columns=columns), key="exp.parallel")
        st.caption("One line per run, in its colour on every chart; drag along an axis to pick out the runs "
                   "in a range. A parameter a run's model lacks shows as “—”.")


def per_class(chosen: pd.DataFrame, runs: dict[int, Run]) -> None:
    metric = st.radio("Per-class metric", PER_CLASS_METRICS, index=2, horizontal=True, key="exp.per_class_metric")
    names = project_class_names(runs[chosen.index[0]].project_id)
    table = names.relabel(per_class_frame([runs[i] for i in chosen.index]), values=["class"])
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
                    column_config={**{c: st.column_config.NumberColumn(format="%.4f") for c in ("A", "B")},
                                   "B − A": st.column_config.NumberColumn(format="%.4f", help=why("run_difference"))})
