"""The report's charts, built from the same tables the sections show."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

COMPARED = ("accuracy", "f1")


def comparison_chart(table: pd.DataFrame) -> go.Figure:
    """Return the champion and every baseline side by side on accuracy and F1 (dev split), as grouped bars."""
    figure = go.Figure([go.Bar(name=metric, x=table["model or baseline"], y=table[metric])
                        for metric in COMPARED if metric in table])
    figure.update_layout(title="Champion against every baseline", barmode="group", yaxis_title="score",
                         yaxis_range=[0, 1], height=360)
    return figure


def group_chart(table: pd.DataFrame) -> go.Figure:
    """Return each audited group's selection rate, one bar group per attribute, from the audit table."""
    figure = go.Figure([go.Bar(name=str(attribute), x=rows["group"].astype(str), y=rows["selection rate"])
                        for attribute, rows in table.groupby("attribute", sort=False)])
    figure.update_layout(title="Selection rate by group (latest audit)", yaxis_title="selection rate", height=340)
    return figure
