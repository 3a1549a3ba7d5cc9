"""The monitoring tabs' contents: windows, inputs and drift, outputs, performance, software, planted truth."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.monitoring.charts import distribution_figure, drift_heatmap, metric_over_windows
from pages.components.explain import caption_why, why
from pages.components.text import plain
from storage.monitoring.watch import DeploymentMonitoring, distributions

HEATMAP_KEY = "mon.heatmap"
WINDOW_COLUMNS = {"label": "window", "start": "from", "end": "to", "rows": "requests", "labelled": "labels arrived",
                  "share_drifted": "share drifted", "dataset_drift": "dataset drift", "domain_auc": "domain AUC",
                  "mean_confidence": "mean confidence", "estimated_accuracy": "estimated accuracy",
                  "accuracy": "accuracy", "p95_latency_ms": "p95 latency ms"}
INPUT_COLUMNS = {"label": "window", "rows": "requests", "missing_share": "missing",
                 "out_of_range_share": "out of range",
                 "unseen_share": "unseen categories", "share_drifted": "share drifted", "drifted_columns":
                 "drifted columns", "dataset_drift": "dataset drift", "domain_auc": "domain classifier AUC"}
SOFTWARE_COLUMNS = {"label": "window", "p50_latency_ms": "p50 latency ms", "p95_latency_ms": "p95 latency ms",
                    "p99_latency_ms": "p99 latency ms", "throughput_rps": "throughput (requests/s)",
                    "failed_share": "failed share", "peak_rss_mb": "peak memory MB (resident)",
                    "log_windows": "log windows"}
# The windows' statistic columns (as shown) and their teaching explanations.
COLUMN_HELP = {"share drifted": "share_drifted", "dataset drift": "dataset_drift", "domain AUC": "domain_auc",
               "domain classifier AUC": "domain_auc", "drifted columns": "drifted_columns",
               "mean confidence": "mean_confidence", "estimated accuracy": "estimated_accuracy",
               "accuracy": "realised_accuracy", "missing": "missing_share", "out of range": "out_of_range_share",
               "unseen categories": "unseen_share", "p50 latency ms": "latency_percentiles",
               "p95 latency ms": "latency_percentiles", "p99 latency ms": "latency_percentiles",
               "throughput (requests/s)": "throughput", "failed share": "failed_share",
               "peak memory MB (resident)": "peak_memory"}


def _table(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    return table[[c for c in names if c in table]].rename(columns=names)


def _explained(names: dict[str, str]) -> dict:
    """Column configs giving the shown statistic columns their teaching explanation as help."""
    return {shown: st.column_config.Column(help=why(COLUMN_HELP[shown])) for shown in names.values()
            if shown in COLUMN_HELP}


def windows_section(m: DeploymentMonitoring) -> None:
    st.caption(f"{len(m.windows)} windows of {plain(m.data.description)} Reference: the {len(m.data.reference):,} "
               f"training rows of the watched model.")
    for note in m.notes:
        st.warning(note, icon=":material/warning:")
    st.dataframe(_table(m.table, WINDOW_COLUMNS), hide_index=True, width="stretch", key="mon.windows",
                 column_config=_explained(WINDOW_COLUMNS))


def inputs_section(m: DeploymentMonitoring) -> None:
    st.dataframe(_table(m.table, INPUT_COLUMNS), hide_index=True, width="stretch", key="mon.inputs",
                 column_config=_explained(INPUT_COLUMNS))
    labels = m.table["label"].tolist()
    st.caption("Click a cell to compare the column's distribution in that window with the reference.")
    event = st.plotly_chart(drift_heatmap(m.result.drift.rename(columns={"window": "number", "label": "window"}),
                                          labels), on_select="rerun", selection_mode="points", key=HEATMAP_KEY)
    caption_why("column_drift")
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", [])
    if points:
        _distribution(m, str(points[0]["y"]), str(points[0]["x"]))
    _notes(m)


def _distribution(m: DeploymentMonitoring, column: str, label: str) -> None:
    if column not in m.data.kinds or label not in set(m.table["label"]):
        return
    reference, current, kind = distributions(m, column, label)
    if current.empty:
        st.info(plain(f"{label} has no requests, so there is no distribution of {column} to show."))
        return
    st.plotly_chart(distribution_figure(reference, current, kind, f"{column}: reference vs {label}"),
                    key="mon.distribution")
    cell = m.result.drift[(m.result.drift["column"] == column) & (m.result.drift["label"] == label)].iloc[0]
    st.caption(plain(f"{cell['method']} = {cell['statistic']:.4g} against threshold {cell['threshold']:g}: "
                     f"{'drifted' if cell['drifted'] else 'no drift'}. {cell['note']}"))


def _notes(m: DeploymentMonitoring) -> None:
    notes = m.result.drift[m.result.drift["note"].astype(str) != ""]
    for (column, note), rows in notes.groupby(["column", "note"], sort=False):
        st.caption(plain(f"{column}: {note} ({', '.join(rows['label'].astype(str).head(3))})"))


def outputs_section(m: DeploymentMonitoring) -> None:
    shares = [c for c in m.table if c.startswith("predicted_share[")]
    st.plotly_chart(metric_over_windows(m.table.rename(columns={"label": "window", "window": "number"}),
                                        [*shares, "mean_confidence", "human_share"],
                                        "Predicted class mix, mean confidence and share routed to a person"),
                    key="mon.outputs")
    caption_why("predicted_mix")
    level = m.data.deployment.automation.get("level", "full_automation").replace("_", " ")
    st.caption(f"Share routed to a person follows the deployment's automation setting ({level}).")


def performance_section(m: DeploymentMonitoring) -> None:
    table = m.table.rename(columns={"label": "window", "window": "number"})
    st.plotly_chart(metric_over_windows(table, ["estimated_accuracy", "accuracy"],
                                        "Accuracy: estimated from confidence (with its band) and realised once "
                                        "labels arrive", band=("estimated_accuracy_low", "estimated_accuracy_high")),
                    key="mon.performance")
    caption_why("estimated_accuracy")
    caption_why("realised_accuracy")
    calls = m.table.get("concept_drift", pd.Series(dtype=object)).dropna()
    for position, call in calls.items():
        st.warning(f"{m.table.loc[position, 'label']}: {call}", icon=":material/psychology_alt:")
    if calls.empty:
        st.success("No window's realised accuracy fell clearly below what its confidence promised: no concept "
                   "drift is called.", icon=":material/check_circle:")


def software_section(m: DeploymentMonitoring) -> None:
    st.dataframe(_table(m.table, SOFTWARE_COLUMNS), hide_index=True, width="stretch", key="mon.software",
                 column_config=_explained(SOFTWARE_COLUMNS))
    st.caption("Each window shows the worst of the replay-log windows it holds. Memory is the server process's "
               "resident size, read after every batch.")


def planted_section(m: DeploymentMonitoring) -> None:
    """Teaching mode: what the scenario planted, beside what was detected."""
    planted = m.data.planted
    if not planted:
        st.caption("This stream has no planted truth to reveal (it is not a demo scenario's stream).")
        return
    drift = m.result.drift
    flagged = drift[drift["drifted"]].groupby("column")["label"].first()
    st.markdown("**Planted** (teaching mode)")
    for line in _planted_lines(planted):
        st.write(plain(line))
    st.markdown("**Detected**")
    st.write(plain("Columns flagged: " + (", ".join(f"{c} (first in {w})" for c, w in flagged.items()) or "none")))
    calls = m.table.get("concept_drift", pd.Series(dtype=object)).dropna()
    st.write(plain(f"Concept drift called in: {', '.join(m.table.loc[calls.index, 'label']) or 'no window'}"))


def _planted_lines(planted: dict) -> list[str]:
    lines = []
    if data := planted.get("data_drift"):
        changes = "; ".join(f"{c} {change}" for c, change in data.get("changes", {}).items())
        lines.append(f"Data drift from {data.get('start')}: {', '.join(data.get('columns', []))} ({changes}).")
    if concept := planted.get("concept_drift"):
        lines.append(f"Concept drift from {concept.get('start')}: {concept.get('change')}.")
    if degraded := planted.get("degraded"):
        lines.append(f"Degraded inputs: {degraded}.")
    return lines
