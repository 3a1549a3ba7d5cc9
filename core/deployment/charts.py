"""Tables and plotly figures of a replay's windows and of the automation curve."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def windows_table(windows: list[dict]) -> pd.DataFrame:
    """Return one row per window: start, requests, challenger share, each side's error rate, agreement, latency."""
    rows = [{"window": w["index"], "start": pd.Timestamp(w["start"]), "requests": w["n"],
             "challenger share": _rate(w["n_by_arm"]["challenger"], w["n"]),
             "champion error rate": _rate(w["errors_by_arm"]["champion"]["errors"],
                                          w["errors_by_arm"]["champion"]["labelled"]),
             "challenger error rate": _rate(w["errors_by_arm"]["challenger"]["errors"],
                                            w["errors_by_arm"]["challenger"]["labelled"]),
             "agreement": _rate(w["shadow"]["agree"], w["shadow"]["compared"]),
             "p95 latency ms": w["latency_ms"]["p95"], "sent to a person": _rate(w["n_to_human"], w["n"]),
             "failed": w["n_failed"]} for w in windows]
    return pd.DataFrame(rows, columns=["window", "start", "requests", "challenger share", "champion error rate",
                                       "challenger error rate", "agreement", "p95 latency ms", "sent to a person",
                                       "failed"])


def shadow_verdicts(windows: list[dict]) -> dict[str, int]:
    """Return, over the labelled requests where the two sides disagreed, how often each one was right."""
    totals = {"disagreements with a label": 0, "champion right": 0, "challenger right": 0}
    for w in windows:
        totals["disagreements with a label"] += w["shadow"]["disagree_labelled"]
        totals["champion right"] += w["shadow"]["champion_right"]
        totals["challenger right"] += w["shadow"]["challenger_right"]
    totals["neither right"] = (totals["disagreements with a label"] - totals["champion right"]
                               - totals["challenger right"])
    return totals


def replay_chart(table: pd.DataFrame, events: pd.DataFrame | None = None) -> go.Figure:
    """Return the challenger's share of traffic and both sides' error rates over the stream, decisions marked."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=table["start"], y=table["challenger share"], name="challenger share",
                                mode="lines", line={"shape": "hv", "width": 3}, fill="tozeroy", opacity=0.3))
    for column in ("champion error rate", "challenger error rate"):
        figure.add_trace(go.Scatter(x=table["start"], y=table[column], name=column, mode="lines+markers"))
    if events is not None:
        for _, event in events[events["event"].isin(MARKED_EVENTS)].iterrows():
            figure.add_vline(x=pd.Timestamp(event["stream time"]).to_pydatetime(), line_dash="dot",
                             line_color=MARKED_EVENTS[event["event"]])
    figure.update_layout(title="Traffic share and error rates over the stream", xaxis_title="stream time",
                         yaxis_title="share / error rate", yaxis_range=[0, 1.05])
    return figure


MARKED_EVENTS = {"step passed": "green", "analysis failed": "red", "rolled back": "red", "switched": "blue",
                 "paused": "orange", "promoted": "green"}


def agreement_chart(table: pd.DataFrame) -> go.Figure:
    """Return the share of requests on which the shadow agreed with the champion, window by window."""
    figure = go.Figure(go.Scatter(x=table["start"], y=table["agreement"], mode="lines+markers", name="agreement"))
    figure.update_layout(title="Shadow agreement with the champion over time", xaxis_title="stream time",
                         yaxis_title="agreement", yaxis_range=[0, 1.05])
    return figure


def automation_chart(curve: pd.DataFrame, *, chosen: float) -> go.Figure:
    """Return automation rate and error rate (left axis) and cost per case (right axis) over the threshold."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=curve["threshold"], y=curve["automation_rate"], name="automation rate"))
    figure.add_trace(go.Scatter(x=curve["threshold"], y=curve["error_rate"], name="error rate"))
    figure.add_trace(go.Scatter(x=curve["threshold"], y=curve["cost_per_case"], name="cost per case",
                                yaxis="y2", line={"dash": "dash"}))
    point = curve.iloc[(curve["threshold"] - chosen).abs().argmin()]
    figure.add_trace(go.Scatter(x=[point["threshold"]], y=[point["cost_per_case"]], yaxis="y2", mode="markers",
                                marker={"size": 14, "symbol": "star"}, name=f"chosen: {point['threshold']:.2f}"))
    figure.update_layout(title="Automation rate, error rate and cost over the confidence threshold",
                         xaxis_title="confidence threshold (cases at or below it go to a person)",
                         yaxis={"title": "rate", "range": [0, 1.05]},
                         yaxis2={"title": "cost per case", "overlaying": "y", "side": "right"})
    return figure
