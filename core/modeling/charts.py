"""Plotly figures that compare runs: metric against metric, per-class scores, parameters and metrics in parallel,
learning curve, confusions. A run has one colour on every chart (`run_colour`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

PER_CLASS_METRICS = ("precision", "recall", "f1")
# 24 distinct colours; a run's colour is its number's place in this cycle (see run_colour).
RUN_PALETTE = tuple(plotly.colors.qualitative.Dark24)
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
MISSING_COLUMN = "The runs table has no column “{column}”. Choose one of: {names}."
NO_RUNS = "Choose at least one run to draw."
MISSING = "—"
UNKNOWN_PER_CLASS = "Per-class metric must be one of {names}; got “{metric}”."


def run_colour(number: int) -> str:
    """Return the colour of a run on every chart: fixed by its number, so it never changes as runs come and go.

    >>> run_colour(1) == run_colour(1 + len(RUN_PALETTE)) != run_colour(2)
    True
    """
    return RUN_PALETTE[(int(number) - 1) % len(RUN_PALETTE)]


def metric_scatter(runs: pd.DataFrame, *, x: str, y: str, from_zero: bool = True) -> go.Figure:
    """Return one point per run at (x, y) in the run's colour, its symbol by model, labelled by run number.

    With `from_zero` both axes include zero, so distances read as proportions; without it they
    zoom to the runs, and the title says that they do not start at zero.
    """
    for column in (x, y, "model"):
        if column not in runs.columns:
            raise ValueError(MISSING_COLUMN.format(column=column, names=", ".join(map(str, runs.columns))))
    models = sorted(runs["model"].astype(str).unique())
    figure = go.Figure()
    for number, row in runs.sort_index().iterrows():
        figure.add_trace(go.Scatter(
            x=[row[x]], y=[row[y]], mode="markers+text", name=f"Run {number} · {row['model']}", text=[f"Run {number}"],
            textposition="top center", legendgroup=str(row["model"]),
            marker={"size": 12, "color": run_colour(number), "symbol": SYMBOLS[models.index(str(row["model"])) % len(SYMBOLS)]},
            hovertemplate=f"%{{text}}<br>{x}: %{{x:.4f}}<br>{y}: %{{y:.4f}}<extra>{row['model']}</extra>",
        ))
    axes = "axes start at zero" if from_zero else "axes zoomed to the runs: they do not start at zero"
    figure.update_layout(title=f"{y} against {x} (dev) · {axes}", xaxis_title=x, yaxis_title=y, legend_title="run")
    if from_zero:
        figure.update_xaxes(rangemode="tozero")
        figure.update_yaxes(rangemode="tozero")
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
                                marker_color=run_colour(run),
                                hovertemplate=f"class %{{x}}: {metric} %{{y:.3f}}<extra>Run {run}</extra>"))
    figure.update_layout(title=f"{metric} per class (dev)", barmode="group", xaxis_title="class",
                         yaxis_title=metric, xaxis_type="category")
    figure.update_yaxes(range=[0, 1.05])
    return figure


def parallel_runs(runs: pd.DataFrame, *, columns: Sequence[str]) -> go.Figure:
    """Return a parallel-coordinates chart: one line per run, in its colour, across parameters and metrics.

    The first axis names the runs. A column of numbers keeps its scale; text, or numbers that some
    runs lack (a hyperparameter of another model), become a category axis with "—" for missing.
    """
    if runs.empty:
        raise ValueError(NO_RUNS)
    for column in columns:
        if column not in runs.columns:
            raise ValueError(MISSING_COLUMN.format(column=column, names=", ".join(map(str, runs.columns))))
    ordered = runs.sort_index()
    numbers = [int(n) for n in ordered.index]
    places = list(range(len(numbers)))
    dimensions = [{"label": "run", "values": places, "tickvals": places, "ticktext": [f"Run {n}" for n in numbers]}]
    dimensions += [_dimension(ordered[column], column) for column in columns]
    line = {"color": [place + 0.5 for place in places], "cmin": 0, "cmax": len(numbers),
            "colorscale": _steps([run_colour(n) for n in numbers])}
    figure = go.Figure(go.Parcoords(line=line, dimensions=dimensions))
    # Room beside the outer axes and above them, where Parcoords writes tick and axis labels.
    figure.update_layout(title=f"{len(numbers)} runs across {len(columns)} parameters and metrics (dev)",
                         margin={"l": 80, "r": 80, "t": 110, "b": 40})
    return figure


def _dimension(values: pd.Series, label: str) -> dict:
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and values.notna().all():
        return {"label": label, "values": values.astype(float).tolist()}
    shown = [MISSING if pd.isna(v) else (f"{v:g}" if numeric else str(v)) for v in values]
    present = sorted(set(shown) - {MISSING}, key=(lambda t: float(t)) if numeric else str)
    categories = present + ([MISSING] if MISSING in shown else [])
    return {"label": label, "values": [categories.index(t) for t in shown], "tickvals": list(range(len(categories))),
            "ticktext": categories}


def _steps(colours: list[str]) -> list[list]:
    """A colour scale of equal steps, one flat colour per line (Parcoords colours lines only by a scale)."""
    n = len(colours)
    return [[edge / n, colour] for i, colour in enumerate(colours) for edge in (i, i + 1)]


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
