"""One call that monitors every window of a stream against the reference, and the same over reference chunks.

The reference's side of every comparison (cleaned columns, ranges, category sets) is prepared
once; each window then costs one pass over its own rows per column. The reference is also cut
into equal chunks, each measured like a window, so alert bands (bands.reference_band) can be
drawn from how much the metrics move when nothing has changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.monitoring import drift as drift_tests
from core.monitoring import stattests
from core.monitoring.inputs import prepare_reference
from core.monitoring.multivariate import domain_classifier_auc
from core.monitoring.performance import cbpe_accuracy, concept_drift, predicted_confidence, realised
from core.monitoring.windows import Window, chunk_windows

LENGTHS = "The stream has {rows:,} rows but {name} has {n:,}; they must match row for row."
NO_CLASSES = "Predicted classes or probabilities need the list of classes in the probabilities' column order."
DRIFT_COLUMNS = ["window", "label", "column", "method", "statistic", "threshold", "drifted", "score_kind", "note"]


@dataclass(frozen=True)
class MonitorSettings:
    """Per-column drift methods and thresholds, the dataset-drift share, and what else to compute."""

    methods: Mapping[str, str] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    share_threshold: float = drift_tests.DATASET_SHARE
    domain_classifier: bool = True
    reference_chunks: int = 10
    seed: int = 0
    concept_metric: str = "accuracy"  # the realised metric whose drop (with low input drift) calls concept drift


@dataclass(frozen=True, eq=False)
class Monitoring:
    """Per-window metrics (`windows`), per-window per-column drift (`drift`, long form), and the reference chunks'.

    `windows`, one row per window: window, label, start, end, rows; missing_share,
    out_of_range_share, unseen_share (absent for a window with no rows); share_drifted,
    drifted_columns, dataset_drift; domain_auc (when settings.domain_classifier);
    predicted_share[<class>] and mean_confidence (with predictions / probabilities);
    estimated_accuracy, estimated_accuracy_low, estimated_accuracy_high (with probabilities);
    labelled, and once labels arrived accuracy, balanced_accuracy, f1_macro, precision, recall, f1,
    error_rate and concept_drift (the plain-words call, or None). `drift`, one row per window and
    column: window, label, column, method, statistic, threshold, drifted, score_kind, note;
    `drift_matrix` pivots it to features × windows. `reference_windows` and `reference_drift` are
    the same over equal chunks of the reference, for `bands.reference_band`.
    """

    windows: pd.DataFrame
    drift: pd.DataFrame
    reference_windows: pd.DataFrame
    reference_drift: pd.DataFrame

    def drift_matrix(self, value: str = "statistic") -> pd.DataFrame:
        """Return features × window labels of one drift field ("statistic" or "drifted"): the heatmap's data."""
        table = self.drift.pivot(index="column", columns="window", values=value)
        table = table.reindex(index=pd.unique(self.drift["column"]))
        return table.set_axis(self.windows.set_index("window").loc[table.columns, "label"].to_list(), axis=1)


@dataclass(frozen=True, eq=False)
class _Outputs:
    """The stream's model outputs, aligned with its rows (any may be absent)."""

    confidence: np.ndarray | None
    predictions: np.ndarray | None
    labels: pd.Series | None
    classes: list | None
    proba: np.ndarray | None


def monitor(
    reference: pd.DataFrame,
    stream: pd.DataFrame,
    kinds: Mapping[str, str],
    windows: list[Window],
    proba: np.ndarray | None = None,
    predictions: Sequence | None = None,
    labels: Sequence | None = None,
    classes: Sequence | None = None,
    settings: MonitorSettings | None = None,
    *,
    reference_proba: np.ndarray | None = None,
    reference_predictions: Sequence | None = None,
    reference_labels: Sequence | None = None,
) -> Monitoring:
    """Return every window's input, drift, output and performance metrics, and the reference chunks' alike.

    `proba` holds the stream's probabilities in the order of `classes`; `predictions` the served
    classes (the most probable class when absent); `labels` the true classes, missing where
    they have not arrived. Concept drift compares each window's realised `concept_metric` with
    the reference's (from its labels) or, for accuracy without them, with the window's own estimate.
    """
    settings = settings or MonitorSettings()
    kinds = {name: kind for name, kind in kinds.items() if kind in drift_tests.MEASURED_KINDS}
    prepared = _Prepared.of(reference, kinds, settings)
    outputs = _outputs(len(stream), proba, predictions, labels, classes)
    reference_outputs = _outputs(len(reference), reference_proba, reference_predictions, reference_labels, classes)
    chunks = chunk_windows(len(reference), None, settings.reference_chunks) if len(reference) else []
    reference_rows, reference_drift = _measure(prepared, reference, chunks, reference_outputs, {})
    baseline = _reference_scores(reference_outputs)
    rows, drift = _measure(prepared, stream, windows, outputs, baseline)
    return Monitoring(rows, drift, reference_rows, reference_drift)


@dataclass(frozen=True, eq=False)
class _Prepared:
    reference: pd.DataFrame
    kinds: dict[str, str]
    cleaned: dict[str, np.ndarray]
    levels: dict[str, int]
    inputs: object
    settings: MonitorSettings

    @classmethod
    def of(cls, reference: pd.DataFrame, kinds: dict[str, str], settings: MonitorSettings) -> _Prepared:
        cleaned = {name: drift_tests.clean(reference[name], kind) for name, kind in kinds.items()}
        levels = {name: int(values.nunique()) for name, values in cleaned.items() if kinds[name] == "categorical"}
        prepared = {name: _counted_once(values, kinds[name]) for name, values in cleaned.items()}
        return cls(reference, kinds, prepared, levels, prepare_reference(reference, kinds), settings)


def _counted_once(values, kind: str):
    """Return a large reference column counted once (categories) or on its grid (numbers), else as it is."""
    if kind == "categorical" and values.size > drift_tests.SMALL_REFERENCE:
        return stattests.CountedCategories.of(values)
    if kind != "categorical" and values.size > stattests.WASSERSTEIN_EXACT_UP_TO:
        return stattests.GriddedNumbers.of(values)
    return values


def _outputs(n_rows, proba, predictions, labels, classes) -> _Outputs:
    for name, values in (("the probabilities", proba), ("the predictions", predictions), ("the labels", labels)):
        if values is not None and len(values) != n_rows:
            raise ValueError(LENGTHS.format(rows=n_rows, name=name, n=len(values)))
    if (proba is not None or predictions is not None) and classes is None:
        raise ValueError(NO_CLASSES)
    classes = None if classes is None else list(classes)
    if predictions is None and proba is not None:
        predictions = np.asarray(classes, dtype=object)[np.asarray(proba).argmax(axis=1)]
    confidence = None
    if proba is not None:
        positions = pd.Index(classes).get_indexer(np.asarray(predictions, dtype=object))
        confidence = predicted_confidence(proba, positions)
    if labels is not None:
        values = np.asarray(labels, dtype=object)  # positions, not the caller's index
        labels = pd.Series(values).where(pd.notna(values))
    return _Outputs(confidence, None if predictions is None else np.asarray(predictions, dtype=object), labels, classes,
                    None if proba is None else np.asarray(proba, dtype=float))


def _reference_scores(outputs: _Outputs) -> dict[str, float]:
    if outputs.labels is None or outputs.predictions is None:
        return {}
    return _realised(outputs, np.arange(len(outputs.labels)))


def _realised(outputs: _Outputs, positions: np.ndarray) -> dict[str, float]:
    """Return the realised metrics over the rows whose labels have arrived, with their count."""
    labels = outputs.labels.iloc[positions]
    known = labels.notna().to_numpy()
    if not known.any():
        return {"labelled": 0}
    classes = outputs.classes or sorted(pd.unique(outputs.labels.dropna()))
    scores = realised(labels[known].to_list(), outputs.predictions[positions][known].tolist(), classes)
    return {"labelled": int(known.sum()), **scores}


def _measure(prepared: _Prepared, frame: pd.DataFrame, windows: list[Window], outputs: _Outputs, baseline):
    rows, drift = [], []
    for window in windows:
        columns = _window_drift(prepared, frame, window)
        rows.append(_window_row(prepared, frame, window, columns, outputs, baseline))
        drift += [[window.number, window.label, c.column, c.method, c.statistic, c.threshold, c.drifted, c.score_kind, c.note]
                  for c in columns]
    return pd.DataFrame(rows), pd.DataFrame(drift, columns=DRIFT_COLUMNS)


def _window_drift(prepared: _Prepared, frame: pd.DataFrame, window: Window) -> tuple:
    settings, positions = prepared.settings, window.positions
    return tuple(
        drift_tests.cleaned_column_drift(
            name, prepared.cleaned[name], drift_tests.clean(frame[name].iloc[positions], kind), positions.size, kind,
            settings.methods.get(name), settings.thresholds.get(name), prepared.levels.get(name))
        for name, kind in prepared.kinds.items()
    )


def _window_row(prepared: _Prepared, frame, window: Window, columns, outputs: _Outputs, baseline) -> dict:
    part = frame.iloc[window.positions]
    summary = drift_tests.summarise(columns, prepared.settings.share_threshold)
    row = {"window": window.number, "label": window.label, "start": window.start, "end": window.end, "rows": len(part)}
    if len(part):
        row.update({k: v for k, v in prepared.inputs.measure(part).items() if k != "columns"})
    row.update(share_drifted=summary.share_drifted, drifted_columns=sum(c.drifted for c in columns),
               dataset_drift=summary.drifted)
    if prepared.settings.domain_classifier:
        row["domain_auc"] = domain_classifier_auc(prepared.reference, part, prepared.kinds, seed=prepared.settings.seed)
    row.update(_output_metrics(outputs, window.positions))
    row.update(_performance(outputs, window.positions, row, baseline, prepared.settings.concept_metric))
    return row


def _output_metrics(outputs: _Outputs, positions: np.ndarray) -> dict:
    metrics = {}
    if outputs.predictions is not None and outputs.classes is not None:
        served = outputs.predictions[positions]
        for value in outputs.classes:
            metrics[f"predicted_share[{value}]"] = float(np.mean(served == value)) if served.size else np.nan
    if outputs.confidence is not None:
        confidence = outputs.confidence[positions]
        metrics["mean_confidence"] = float(confidence.mean()) if confidence.size else np.nan
    return metrics


def _performance(outputs: _Outputs, positions: np.ndarray, row: dict, baseline: dict, metric: str) -> dict:
    metrics = {}
    if outputs.proba is not None and positions.size:
        positions_of_served = pd.Index(outputs.classes).get_indexer(outputs.predictions[positions])
        estimate = cbpe_accuracy(outputs.proba[positions], positions_of_served)
        metrics.update(estimated_accuracy=estimate.value, estimated_accuracy_low=estimate.low,
                       estimated_accuracy_high=estimate.high)
    if outputs.labels is None or outputs.predictions is None:
        return metrics
    metrics.update(_realised(outputs, positions))
    expected = baseline.get(metric, metrics.get("estimated_accuracy") if metric == "accuracy" else None)
    if metric in metrics and expected is not None:
        metrics["concept_drift"] = concept_drift(expected - metrics[metric], row["share_drifted"], metric=metric)
    return metrics
