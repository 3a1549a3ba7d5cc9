"""Monitoring a deployment: every window's metrics against the reference, and the check against the rules.

`watch_deployment` computes, writing nothing: the windows (by the deployment's settings), each
window's input, drift, output and performance metrics (core.monitoring.monitor), the share routed
to a person, and the software metrics from the replay log. It takes a few seconds on a 10,000
request replay, so the page caches it rather than storing window results. `check_deployment`
brings the rules up to date (targets, the reference's bands), raises each new breach once, and
lets the automatic retraining policy act on the new alerts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlmodel import Session

from core.data.roles import Roles
from core.monitoring.bands import reference_band
from core.monitoring.monitor import Monitoring, MonitorSettings, monitor
from core.monitoring.performance import concept_drift, realised
from core.monitoring.software import software_by_window
from core.monitoring.windows import Window, make_windows
from storage.data.tables import Split
from storage.deployment.deployments import get_deployment
from storage.deployment.sides import training_dataset
from storage.modeling.runs import run_label
from storage.modeling.tables import Run
from storage.monitoring.alerts import WindowValues, raise_alerts
from storage.monitoring.retrain import Retrain, policy_retrain
from storage.monitoring.rules import (
    BAND_METRICS, WINDOW_METRICS, alert_kind, list_rules, sync_band_rules, sync_target_rules,
)
from storage.monitoring.settings import WindowSettings, window_settings
from storage.monitoring.sources import MonitoredData, monitored_data
from storage.monitoring.tables import Alert

EMPTY_WINDOWS = "{n} of {total} windows have no rows ({labels}); their metrics are left empty."
MIXED_REFERENCE = (
    "{run} was trained on a {strategy} split, so its training rows, the reference every window is compared "
    "with, come from the whole span of the time column “{time}”, its latest rows included: a change that began "
    "late in that span is partly in the reference and shows weaker or later in the windows. A split by time "
    "(Datasets page) trains on the earliest rows, so the reference is the past the stream is compared with."
)


@dataclass(frozen=True, eq=False)
class DeploymentMonitoring:
    """One deployment monitored: its data, settings, windows, the core result and one table of every window."""

    data: MonitoredData
    settings: WindowSettings
    windows: list[Window]
    result: Monitoring
    table: pd.DataFrame  # one row per window: core's metrics, the share routed to a person, software metrics
    bands: dict[str, tuple[float, float]]
    notes: tuple[str, ...]

    def values(self) -> list[WindowValues]:
        """Return every window's metrics as the rules read them."""
        names = [m for m in WINDOW_METRICS if m in self.table]
        return [WindowValues(int(row["window"]), str(row["label"]), {m: _number(row[m]) for m in names})
                for _, row in self.table.iterrows()]


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def watch_deployment(session: Session, *, project_id: int, deployment_id: int) -> DeploymentMonitoring:
    """Return the deployment's monitoring under its saved settings; raise ValueError naming what is missing."""
    deployment = get_deployment(session, deployment_id, project_id=project_id)
    settings = window_settings(session, deployment_id)
    data = monitored_data(session, deployment)
    windows = make_windows(len(data.stream), times=data.times, by=settings.by, n_chunks=settings.n_chunks)
    result = monitor(data.reference, data.stream, data.kinds, windows, proba=data.proba, labels=data.labels,
                     classes=data.classes, settings=_monitor_settings(settings, data.classes))
    software = software_by_window(data.log_windows, [w.positions for w in windows])
    human = [float(data.to_human[w.positions].mean()) if len(w) else math.nan for w in windows]
    table = pd.concat([result.windows.reset_index(drop=True), software], axis=1).assign(human_share=human)
    table["concept_drift"] = concept_calls(table, data, _concept_metric(data.classes))
    notes = _notes(windows) + reference_notes(session, data.run)
    return DeploymentMonitoring(data, settings, windows, result, table, _bands(result), notes)


def _monitor_settings(settings: WindowSettings, classes: list) -> MonitorSettings:
    return MonitorSettings(methods=settings.methods, share_threshold=settings.share_threshold,
                           concept_metric=_concept_metric(classes))


def _concept_metric(classes: list) -> str:
    # Two classes: the positive class's precision, which a policy change moves while accuracy,
    # blurred by noisy labels, barely does (see core.monitoring's scenario tests).
    return "precision" if len(classes) == 2 else "accuracy"


def concept_calls(table: pd.DataFrame, data: MonitoredData, metric: str) -> list[str | None]:
    """Return each window's concept-drift call against the run's dev score of `metric`.

    The reference's own score would be its training rows', which a model that fits them closely
    flatters (a forest scores near 1 there), so every window would look like a drop: the dev rows,
    which the model never trained on, give the score it really had.
    """
    if data.dev_labels.empty or metric not in table:
        return [None] * len(table)
    dev_predictions = np.asarray(data.classes, dtype=object)[data.dev_proba.argmax(axis=1)]
    expected = realised(data.dev_labels.tolist(), dev_predictions.tolist(), data.classes).get(metric, math.nan)
    return [None if pd.isna(value) else concept_drift(expected - value, share, metric=metric)
            for value, share in zip(table[metric], table["share_drifted"])]


def _bands(result: Monitoring) -> dict[str, tuple[float, float]]:
    """Return (low, high) per band metric over the reference chunks; NaN on a side that does not count.

    A metric that never moved over the reference (out-of-range and unseen shares are 0 there by
    construction) gets no band: a band of zero width would flag any single odd value.
    """
    bands = {}
    for metric in BAND_METRICS:
        values = result.reference_windows.get(metric, pd.Series(dtype=float)).astype(float)
        if values.nunique(dropna=True) < 2:
            continue
        band = reference_band(values.tolist(), WINDOW_METRICS[metric].bad_when_high)
        bands[metric] = (math.nan if band.low is None else band.low, math.nan if band.high is None else band.high)
    return bands


def _notes(windows: list[Window]) -> tuple[str, ...]:
    empty = [w.label for w in windows if len(w) == 0]
    if not empty:
        return ()
    return (EMPTY_WINDOWS.format(n=len(empty), total=len(windows), labels=", ".join(empty[:5])
                                 + (", …" if len(empty) > 5 else "")),)


def reference_notes(session: Session, run: Run) -> tuple[str, ...]:
    """Say when the reference mixes every period: a split other than by time on data that has a time column."""
    split = session.get(Split, run.split_id) if run.split_id is not None else None
    time_column = Roles.from_dict(training_dataset(session, run).roles).time
    if split is None or time_column is None or split.strategy == "time":
        return ()
    return (MIXED_REFERENCE.format(run=run_label(run), strategy=split.strategy, time=time_column),)


@dataclass(frozen=True, eq=False)
class Checked:
    """What a check did: the alerts it raised now, and a retrain the policy started (to train in the background)."""

    raised: list[Alert]
    retrain: Retrain | None


def check_deployment(session: Session, *, monitoring: DeploymentMonitoring, actor: str = "monitoring") -> Checked:
    """Bring the rules up to date, raise each new breach once, and let the retraining policy act on new alerts."""
    deployment = monitoring.data.deployment
    sync_target_rules(session, deployment.project_id)
    sync_band_rules(session, project_id=deployment.project_id, deployment_id=deployment.id, bands=monitoring.bands)
    rules = list_rules(session, deployment.project_id, deployment.id)
    raised = raise_alerts(session, project_id=deployment.project_id, deployment_id=deployment.id, rules=rules,
                          windows=monitoring.values(), actor=actor)
    kinds = {alert_kind(next(r for r in rules if r.id == a.rule_id)) for a in raised}
    retrain = None
    if raised:
        retrain = policy_retrain(session, data=monitoring.data, windows=monitoring.windows, alert_kinds=sorted(kinds),
                                 alert_id=raised[0].id)
    return Checked(raised, retrain)


def window_of(monitoring: DeploymentMonitoring, label: str) -> Window:
    """Return the window with this label."""
    return next(w for w in monitoring.windows if w.label == label)


def distributions(monitoring: DeploymentMonitoring, column: str, label: str) -> tuple[pd.Series, pd.Series, str]:
    """Return the reference's and one window's values of a column, and the column's kind."""
    window = window_of(monitoring, label)
    data = monitoring.data
    return data.reference[column], data.stream[column].iloc[window.positions], data.kinds[column]

