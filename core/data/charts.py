"""Plotly figures that show a dataset: missing values, distributions, class balance, images."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.data.profile import DatasetProfile
from core.data.schema import COLUMN_KINDS, ColumnKind, parse_dates

MAX_CHART_ROWS = 50_000
SAMPLE_SEED = 0
TOP_CATEGORIES = 20
OTHER_LABEL = "other ({count} more)"
MAX_IMAGES = 16
GRID_COLUMNS = 4

UNKNOWN_KIND = "Unknown column kind {kind!r}; choose one of {kinds}."
UNKNOWN_COLUMN = "Column {column!r} is not in the data. Choose one of its columns."
NOT_AN_IMAGE = (
    "{count} pixel columns cannot form a square image. Pass the complete pixel_0 .. pixel_{{k*k-1}} "
    "family (k >= 2)."
)
LABELS_LENGTH = "Got {labels} labels for {rows} rows. Pass one label per row, or none."
UNKNOWN_ROWS = "Rows {row_ids} are not in the data. Choose row ids from its row_id index."


def missing_values_chart(profile: DatasetProfile) -> go.Figure:
    """Return a bar chart of the share of missing values in each column that has any."""
    has_missing = profile.missing > 0
    share = profile.missing_share[has_missing].sort_values(ascending=False, kind="stable")
    counts = profile.missing[share.index]
    title = "Missing values per column" if len(share) else "Missing values per column: none missing"
    figure = go.Figure(go.Bar(
        x=[str(name) for name in share.index], y=share.to_numpy(), customdata=counts.to_numpy(),
        text=[f"{value:.1%}" for value in share],
        hovertemplate="%{x}: %{customdata:,} rows (%{text})<extra></extra>",
    ))
    figure.update_layout(title=title, xaxis_title="Column", yaxis_title="Share of rows missing")
    figure.update_yaxes(tickformat=".0%", range=[0, 1])
    return figure


def distribution_chart(frame: pd.DataFrame, column: str, kind: ColumnKind) -> go.Figure:
    """Return the distribution of one column, drawn as fits its kind, on at most 50,000 rows."""
    if kind not in COLUMN_KINDS:
        raise ValueError(UNKNOWN_KIND.format(kind=kind, kinds=", ".join(COLUMN_KINDS)))
    if column not in frame.columns:
        raise ValueError(UNKNOWN_COLUMN.format(column=column))
    values = frame[column]
    title = f"Distribution of {column}"
    if len(values) > MAX_CHART_ROWS:
        # A fixed seed draws the same rows on every rerun, so the chart does not flicker.
        values = values.sample(n=MAX_CHART_ROWS, random_state=SAMPLE_SEED)
        title += f" (sampled {MAX_CHART_ROWS:,} of {len(frame):,} rows)"
    trace, x_title = _DISTRIBUTIONS[kind](values.dropna())
    figure = go.Figure(trace)
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title="Rows", bargap=0.05)
    if kind == "categorical":
        figure.update_xaxes(type="category")  # codes such as 1, 2, 3 are names, not positions
    return figure


def class_balance_chart(counts: pd.Series) -> go.Figure:
    """Return a bar chart of rows per class in the given order, each labelled with its share."""
    total = counts.sum()
    shares = counts / total if total else counts.astype(float)
    name = counts.index.name
    title = f"Class balance of {name}" if name is not None else "Class balance"
    if total:
        title += f": smallest class is {shares.min():.1%} of labelled rows"
    figure = go.Figure(go.Bar(
        x=[str(label) for label in counts.index], y=counts.to_numpy(),
        text=[f"{share:.1%}" for share in shares], textposition="auto",
    ))
    figure.update_layout(title=title, xaxis_title="Class", yaxis_title="Rows")
    figure.update_xaxes(type="category")
    return figure


def image_grid_chart(
    frame: pd.DataFrame,
    pixel_columns: Sequence[str],
    row_ids: Sequence,
    labels: Sequence | None = None,
) -> go.Figure:
    """Return a grid of up to 16 images, one heatmap per row, pixels read row-major."""
    side = math.isqrt(len(pixel_columns))
    if side < 2 or side * side != len(pixel_columns):
        raise ValueError(NOT_AN_IMAGE.format(count=len(pixel_columns)))
    if labels is not None and len(labels) != len(row_ids):
        raise ValueError(LABELS_LENGTH.format(labels=len(labels), rows=len(row_ids)))
    shown = list(row_ids)[:MAX_IMAGES]
    absent = [row_id for row_id in shown if row_id not in frame.index]
    if absent:
        raise ValueError(UNKNOWN_ROWS.format(row_ids=", ".join(map(str, absent))))
    if not shown:
        return go.Figure(layout={"title": {"text": "Images: no rows to show"}})
    pixels = frame.loc[shown, list(pixel_columns)].to_numpy(dtype=float)
    figure = _grid(len(shown), _image_titles(shown, labels))
    # One colour range for all images, so the same ink looks the same in each.
    low, high = float(np.nanmin(pixels)), float(np.nanmax(pixels))
    for position, image in enumerate(pixels):
        cell = {"row": position // GRID_COLUMNS + 1, "col": position % GRID_COLUMNS + 1}
        image_trace = go.Heatmap(
            z=image.reshape(side, side), colorscale="Greys", zmin=low, zmax=high, showscale=False
        )
        figure.add_trace(image_trace, **cell)
        figure.update_yaxes(scaleanchor=figure.data[-1].xaxis, **cell)  # square pixels
    figure.update_xaxes(showticklabels=False)
    # Row 0 of an image is its top line.
    figure.update_yaxes(showticklabels=False, autorange="reversed")
    figure.update_layout(title=f"Images: {len(shown)} of {len(row_ids)} rows")
    return figure


def _numeric_histogram(values: pd.Series) -> tuple[go.Histogram, str]:
    return go.Histogram(x=values.to_numpy(), name="rows"), "Value"


def _category_bars(values: pd.Series) -> tuple[go.Bar, str]:
    counts = values.value_counts()
    top = counts.iloc[:TOP_CATEGORIES]
    labels = [str(label) for label in top.index]
    heights = top.tolist()
    if len(counts) > TOP_CATEGORIES:
        labels.append(OTHER_LABEL.format(count=len(counts) - TOP_CATEGORIES))
        heights.append(int(counts.iloc[TOP_CATEGORIES:].sum()))
    return go.Bar(x=labels, y=heights, name="rows"), "Category"


def _monthly_bars(values: pd.Series) -> tuple[go.Bar, str]:
    dates = values if pd.api.types.is_datetime64_any_dtype(values) else parse_dates(values)
    dates = dates.dropna()
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)  # months as read on the data's own clock
    if dates.empty:
        return go.Bar(x=[], y=[], name="rows"), "Month"
    per_month = dates.dt.to_period("M").value_counts()
    months = pd.period_range(per_month.index.min(), per_month.index.max(), freq="M")
    # Months without rows stay on the axis as zero, so gaps in the data show.
    per_month = per_month.reindex(months, fill_value=0)
    return go.Bar(x=months.to_timestamp(), y=per_month.to_numpy(), name="rows"), "Month"


def _length_histogram(values: pd.Series) -> tuple[go.Histogram, str]:
    return go.Histogram(x=values.astype(str).str.len().to_numpy(), name="rows"), "Length (characters)"


_DISTRIBUTIONS: dict[str, Callable[[pd.Series], tuple[go.BaseTraceType, str]]] = {
    "numeric": _numeric_histogram,
    "image": _numeric_histogram,  # one pixel's intensities across the rows
    "categorical": _category_bars,
    "datetime": _monthly_bars,
    "text": _length_histogram,
}


def _image_titles(row_ids: list, labels: Sequence | None) -> list[str]:
    if labels is None:
        return [f"row {row_id}" for row_id in row_ids]
    return [f"row {row_id}: {label}" for row_id, label in zip(row_ids, labels)]


def _grid(n_images: int, titles: list[str]) -> go.Figure:
    n_columns = min(GRID_COLUMNS, n_images)
    n_rows = math.ceil(n_images / n_columns)
    figure = make_subplots(
        rows=n_rows, cols=n_columns, subplot_titles=titles, horizontal_spacing=0.03,
        vertical_spacing=0.08 if n_rows > 1 else 0.0,
    )
    figure.update_layout(height=140 * n_rows + 80)
    return figure
