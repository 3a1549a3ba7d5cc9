"""Plotly figures of a deployment's monitoring: the drift heatmap, two distributions, metrics over windows.

Drift scores come in two kinds, p-values (drifted below the threshold) and distances (drifted at
or above it), so the heatmap colours one common scale: the score relative to its threshold, 1 at
the threshold and above 1 when the column drifted (−log p / −log threshold for p-values,
distance / threshold for distances), capped at 3. The cell's text keeps the test's own number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

CAP = 3.0
HEATMAP_TITLE = "Drift per column and window (1 = the test's threshold; above it, drifted)"
REFERENCE, CURRENT = "reference", "current"


def relative_score(statistic: float, threshold: float, score_kind: str) -> float:
    """Return a drift score on the common scale: 1 at the threshold, above 1 when drifted, capped at 3."""
    if statistic is None or math.isnan(statistic):
        return math.nan
    if score_kind == "p_value":
        value = -math.log10(max(statistic, 1e-300)) / -math.log10(threshold)
    else:
        value = statistic / threshold if threshold > 0 else math.inf
    return min(value, CAP)


def drift_heatmap(drift: pd.DataFrame, window_labels: Sequence[str]) -> go.Figure:
    """Return the heatmap of columns (rows) × windows (columns) from a long frame of per-window drift.

    `drift` has one row per column and window: column, window (label), method, statistic, threshold,
    score_kind, drifted.
    """
    columns = list(dict.fromkeys(drift["column"]))
    z = np.full((len(columns), len(window_labels)), np.nan)
    text = np.full(z.shape, "", dtype=object)
    where = {label: i for i, label in enumerate(window_labels)}
    for row in drift.itertuples(index=False):
        i, j = columns.index(row.column), where[row.window]
        z[i, j] = relative_score(row.statistic, row.threshold, row.score_kind)
        text[i, j] = _cell_text(row)
    figure = go.Figure(go.Heatmap(z=z, x=list(window_labels), y=columns, hoverinfo="skip",
                                  zmin=0, zmax=CAP, colorscale=[[0, "#e8f1fa"], [1 / CAP, "#fde9a9"], [1, "#c0392b"]],
                                  colorbar={"title": "score ÷ threshold"}))
    # Heatmap cells cannot be selected; a see-through square marker on each cell can, so a click
    # on a cell selects the point of its column and window (one point per cell, row by row).
    cells = [(window, column) for column in columns for window in window_labels]
    figure.add_scatter(x=[w for w, _ in cells], y=[c for _, c in cells], mode="markers", name="cells",
                       text=[t for row in text for t in row], hovertemplate="%{text}<extra></extra>",
                       marker={"symbol": "square", "size": 22, "color": "rgba(0, 0, 0, 0.01)"}, showlegend=False)
    figure.update_layout(title=HEATMAP_TITLE, xaxis_title="window", yaxis_title="column",
                         yaxis={"autorange": "reversed"}, height=max(300, 28 * len(columns) + 160))
    return figure


def _cell_text(row) -> str:
    value = "not measured" if math.isnan(row.statistic) else f"{row.method} {row.statistic:.3g}"
    return f"{row.column} · {row.window}<br>{value} (threshold {row.threshold:g})<br>" \
           f"{'drifted' if row.drifted else 'no drift'}"


def distribution_figure(reference: pd.Series, current: pd.Series, kind: str, title: str) -> go.Figure:
    """Return the reference's and the current window's distributions of one column, as shares."""
    figure = go.Figure()
    if kind == "numeric":
        edges = _edges(pd.concat([reference, current]).dropna().to_numpy(dtype=float))
        for name, side in ((REFERENCE, reference), (CURRENT, current)):
            # A few huge values would squeeze every other bar into one bin: they count in the end bins.
            counts, _ = np.histogram(np.clip(side.dropna().to_numpy(dtype=float), edges[0], edges[-1]), bins=edges)
            shares = counts / counts.sum() if counts.sum() else counts.astype(float)
            figure.add_bar(x=(edges[:-1] + edges[1:]) / 2, y=shares, name=name, width=np.diff(edges), opacity=0.6)
        figure.update_layout(barmode="overlay")
    else:
        shares = pd.DataFrame({REFERENCE: reference.astype(str).value_counts(normalize=True),
                               CURRENT: current.astype(str).value_counts(normalize=True)}).fillna(0.0)
        shares = shares.sort_values(REFERENCE, ascending=False).head(30)
        for name in (REFERENCE, CURRENT):
            figure.add_bar(x=list(shares.index), y=shares[name].to_numpy(), name=name)
        figure.update_layout(barmode="group")
    figure.update_layout(title=title, yaxis_title="share of rows", height=320)
    return figure


def _edges(values: np.ndarray, bins: int = 30) -> np.ndarray:
    """Return bin edges over the 1st to 99th percentile of the values (all of them when that range is empty)."""
    if not len(values):
        return np.array([0.0, 1.0])
    low, high = np.percentile(values, [1, 99])
    return np.histogram_bin_edges(values, bins=bins, range=(low, high) if high > low else None)


def metric_over_windows(table: pd.DataFrame, columns: Sequence[str], title: str,
                        band: tuple[str, str] | None = None) -> go.Figure:
    """Return lines of some window metrics over the windows, with an optional low/high band (two columns)."""
    figure = go.Figure()
    x = table["window"].tolist()
    if band is not None and band[0] in table and band[1] in table:
        figure.add_scatter(x=x, y=table[band[1]], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip")
        figure.add_scatter(x=x, y=table[band[0]], mode="lines", line={"width": 0}, fill="tonexty",
                           fillcolor="rgba(52, 152, 219, 0.2)", name="estimate's band")
    for column in columns:
        if column in table:
            figure.add_scatter(x=x, y=table[column], mode="lines+markers", name=column)
    figure.update_layout(title=title, xaxis_title="window", height=340)
    return figure
