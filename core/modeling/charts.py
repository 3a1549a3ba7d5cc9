"""Plotly figures that compare runs: metric against metric, per-class scores, learning curve, confusions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

PER_CLASS_METRICS = ("precision", "recall", "f1")
MISSING_COLUMN = "The runs table has no column “{column}”. Choose one of: {names}."
UNKNOWN_PER_CLASS = "Per-class metric must be one of {names}; got “{metric}”."


def metric_scatter(runs: pd.DataFrame, *, x: str, y: str, color: str = "model") -> go.Figure:
    """Return one point per run at (x, y), one trace per value of `color`, labelled by run number."""
    for column in (x, y, color):
        if column not in runs.columns:
            raise ValueError(MISSING_COLUMN.format(column=column, names=", ".join(map(str, runs.columns))))
    figure = go.Figure()
    for group, rows in runs.groupby(color, sort=True):
        figure.add_trace(go.Scatter(
            x=rows[x], y=rows[y], mode="markers+text", name=str(group), text=[f"Run {i}" for i in rows.index],
            textposition="top center", marker={"size": 11},
            hovertemplate=f"%{{text}}<br>{x}: %{{x:.4f}}<br>{y}: %{{y:.4f}}<extra>{group}</extra>",
        ))
    figure.update_layout(title=f"{y} against {x} (dev)", xaxis_title=x, yaxis_title=y, legend_title=color)
    return figure


def per_class_bars(per_class: pd.DataFrame, *, metric: str = "f1") -> go.Figure:
    """Return grouped bars of one per-class metric: classes along x, one bar series per run.

    `per_class` has columns run, class and the metric (as `storage.modeling.runs.per_class_frame` gives).
    """
    if metric not in PER_CLASS_METRICS:
        raise ValueError(UNKNOWN_PER_CLASS.format(names=", ".join(PER_CLASS_METRICS), metric=metric))
    figure = go.Figure()
    for run, rows in per_class.groupby("run", sort=True):
        figure.add_trace(go.Bar(x=rows["class"].astype(str), y=rows[metric], name=f"Run {run}",
                                hovertemplate=f"class %{{x}}: {metric} %{{y:.3f}}<extra>Run {run}</extra>"))
    figure.update_layout(title=f"{metric} per class (dev)", barmode="group", xaxis_title="class",
                         yaxis_title=metric, xaxis_type="category")
    figure.update_yaxes(range=[0, 1.05])
    return figure


def learning_curve_chart(curve: pd.DataFrame, *, metric: str = "balanced_accuracy") -> go.Figure:
    """Return train and dev scores against the number of training rows."""
    figure = go.Figure()
    for column, name in (("train_score", "train"), ("dev_score", "dev")):
        figure.add_trace(go.Scatter(x=curve["train_rows"], y=curve[column], mode="lines+markers", name=name))
    figure.update_layout(title=f"Learning curve: {metric} against training rows", xaxis_title="training rows",
                         yaxis_title=metric)
    return figure


def confusion_chart(confusion: pd.DataFrame) -> go.Figure:
    """Return the confusion matrix as a heatmap: true class down, predicted class across, counts written in."""
    figure = go.Figure(go.Heatmap(
        z=confusion.to_numpy(), x=[str(c) for c in confusion.columns], y=[str(c) for c in confusion.index],
        text=confusion.to_numpy(), texttemplate="%{text}", colorscale="Blues", showscale=False,
        hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>",
    ))
    figure.update_layout(title="Confusion matrix (dev)", xaxis_title="predicted", yaxis_title="true",
                         xaxis_type="category", yaxis_type="category", yaxis_autorange="reversed")
    return figure
