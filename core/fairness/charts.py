"""Plotly figures of an audit: a metric by group with its intervals, and its ratio to the reference in the fair band."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.fairness.disparities import FAIR_HIGH, FAIR_LOW, check_metric
from core.fairness.metrics import METRIC_LABELS, GroupMetrics

BAND_COLOUR = "rgba(46, 139, 87, 0.15)"
SMALL_COLOUR, GROUP_COLOUR, REFERENCE_COLOUR = "#9e9e9e", "#1f77b4", "#ff7f0e"


def metric_by_group_chart(result: GroupMetrics, *, metric: str, reference: str) -> go.Figure:
    """Return two panels: the metric per group with its 95% interval, and its ratio to the reference.

    The right panel shades the four-fifths band (0.8 to 1.25); groups too small to judge are grey.
    Undefined values are left out of both panels rather than drawn as 0.
    """
    check_metric(metric)
    values = result.values[metric]
    groups = [str(g) for g in values.index]
    colours = [_colour(g, reference, result.small.loc[g]) for g in values.index]
    figure = make_subplots(rows=1, cols=2, subplot_titles=(f"{METRIC_LABELS[metric]} (95% interval)",
                                                           f"ratio to {reference}"))
    figure.add_trace(go.Bar(
        x=groups, y=values, marker_color=colours, name=METRIC_LABELS[metric],
        error_y={"type": "data", "symmetric": False, "array": result.upper[metric] - values,
                 "arrayminus": values - result.lower[metric]},
        hovertemplate="%{x}: %{y:.3f}<extra></extra>"), row=1, col=1)
    ratio = values / values.loc[reference] if values.loc[reference] else values * np.nan
    figure.add_trace(go.Scatter(x=groups, y=ratio, mode="markers", marker={"size": 12, "color": colours},
                                name="ratio", hovertemplate="%{x}: %{y:.2f}<extra></extra>"), row=1, col=2)
    figure.add_hrect(y0=FAIR_LOW, y1=FAIR_HIGH, fillcolor=BAND_COLOUR, line_width=0, row=1, col=2,
                     annotation_text="fair band 0.8–1.25", annotation_position="top left")
    figure.update_layout(showlegend=False, title=f"{METRIC_LABELS[metric]} by group", height=360)
    figure.update_xaxes(type="category")
    return figure


def _colour(group, reference: str, small: bool) -> str:
    if small:
        return SMALL_COLOUR
    return REFERENCE_COLOUR if group == reference else GROUP_COLOUR
