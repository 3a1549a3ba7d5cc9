"""Figures and pictures for the Labeling page: an item's image, the κ matrix, agreement per batch."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

NOT_SQUARE = "{count} pixel values cannot form a square image; pass k*k values (k >= 2)."
PIXELS_PER_CELL = 24


def item_image(pixels, *, scale: int = PIXELS_PER_CELL) -> np.ndarray:
    """Return a row-major square image as an upscaled uint8 array (ink dark on white), for st.image."""
    values = np.asarray(pixels, dtype=float)
    side = math.isqrt(len(values))
    if side < 2 or side * side != len(values):
        raise ValueError(NOT_SQUARE.format(count=len(values)))
    low, high = np.nanmin(values), np.nanmax(values)
    scaled = (values - low) / (high - low) if high > low else np.zeros_like(values)
    grey = np.round(255 * (1 - np.nan_to_num(scaled))).astype(np.uint8).reshape(side, side)
    return np.kron(grey, np.ones((scale, scale), dtype=np.uint8))


def kappa_heatmap(kappa: pd.DataFrame, shared: pd.DataFrame, *, min_items: int) -> go.Figure:
    """Return the labeler × labeler Cohen's κ matrix as a heatmap annotated with the shared items behind each κ.

    A pair with fewer shared items than `min_items` is drawn grey and its κ marked "(few)", so a
    value from 3 items does not look as certain as one from 300.
    """
    names = [str(n) for n in kappa.index]
    values, counts = kappa.to_numpy(dtype=float), shared.reindex(index=kappa.index, columns=kappa.columns).to_numpy()
    few = counts < min_items
    np.fill_diagonal(few, False)
    text = [[_kappa_cell(v, int(n), f) for v, n, f in zip(*row)] for row in zip(values, counts, few)]
    hover = "%{y} × %{x}: κ %{z:.2f} from %{customdata} shared items<extra></extra>"
    figure = go.Figure([
        go.Heatmap(z=np.where(few, np.nan, values), x=names, y=names, text=text, texttemplate="%{text}",
                   customdata=counts, hovertemplate=hover, zmin=-1, zmax=1, colorscale="RdBu",
                   colorbar={"title": "κ"}, name="κ"),
        go.Heatmap(z=np.where(few, values, np.nan), x=names, y=names, text=text, texttemplate="%{text}",
                   customdata=counts, hovertemplate=hover.replace("<extra>", f" (fewer than {min_items})<extra>"),
                   colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]], showscale=False, name=f"fewer than {min_items} items"),
    ])
    figure.update_layout(title=f"Cohen's κ for every pair of labelers (n = shared items; grey: fewer than {min_items})",
                         height=120 + 50 * len(names))
    figure.update_yaxes(autorange="reversed")
    return figure


def _kappa_cell(value: float, n: int, few: bool) -> str:
    if np.isnan(value):
        return f"n={n}"
    return f"{value:.2f}{' (few)' if few else ''}<br>n={n}"


def agreement_trend_chart(by_batch: pd.DataFrame) -> go.Figure:
    """Return percent agreement and Krippendorff's α per batch as lines (batches on the x axis)."""
    figure = go.Figure()
    x = [str(b) for b in by_batch.index]
    figure.add_trace(go.Scatter(x=x, y=by_batch["percent_agreement"], mode="lines+markers", name="percent agreement"))
    figure.add_trace(go.Scatter(x=x, y=by_batch["krippendorff_alpha"], mode="lines+markers", name="Krippendorff's α"))
    figure.update_layout(title="Agreement batch after batch", xaxis_title="Batch", yaxis_title="Agreement",
                         height=320)
    figure.update_xaxes(type="category")
    figure.update_yaxes(range=[min(-0.1, float(np.nanmin(by_batch[["percent_agreement", "krippendorff_alpha"]]
                                                          .to_numpy(dtype=float), initial=0))), 1.05])
    return figure
