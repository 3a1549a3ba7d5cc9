"""Skewed classes: the confusion matrix, per-class precision/recall/F1 and the threshold trade-off."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.errors.data import AnalysisData

THRESHOLD_METRICS = ("precision", "recall")


def confusion_table(data: AnalysisData) -> pd.DataFrame:
    """Return counts of true class (rows) × predicted class (columns), equal to scikit-learn's matrix."""
    k = data.n_classes
    keep = data.true >= 0
    counts = np.bincount(data.true[keep] * k + data.pred[keep], minlength=k * k).reshape(k, k)
    names = [str(c) for c in data.classes]
    return pd.DataFrame(counts, index=pd.Index(names, name="true class"), columns=pd.Index(names, name="predicted"))


def per_class_table(data: AnalysisData) -> pd.DataFrame:
    """Return precision, recall, F1 and support per class (zero_division=0, as scikit-learn's)."""
    confusion = confusion_table(data).to_numpy()
    tp, predicted, actual = np.diag(confusion), confusion.sum(axis=0), confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(actual > 0, tp / actual, 0.0)
        f1 = np.where(actual + predicted > 0, 2 * tp / (actual + predicted), 0.0)
    return pd.DataFrame({"precision": precision, "recall": recall, "f1": f1, "support": actual},
                        index=pd.Index([str(c) for c in data.classes], name="class"))


def threshold_curve(data: AnalysisData, *, positive: int) -> pd.DataFrame:
    """Return precision and recall of one class (one-vs-rest) when it is predicted at each threshold."""
    from sklearn.metrics import precision_recall_curve

    is_positive = data.true == positive
    precision, recall, thresholds = precision_recall_curve(is_positive, data.proba[:, positive])
    return pd.DataFrame({"threshold": thresholds, "precision": precision[:-1], "recall": recall[:-1]})


def confusion_chart(table: pd.DataFrame) -> go.Figure:
    """Return the confusion matrix as an annotated heatmap."""
    figure = go.Figure(go.Heatmap(z=table.to_numpy(), x=list(table.columns), y=list(table.index),
                                  text=table.to_numpy(), texttemplate="%{text}", colorscale="Blues"))
    figure.update_layout(title="Confusion matrix (dev split)", xaxis_title="Predicted class",
                         yaxis_title="True class", height=200 + 30 * len(table))
    figure.update_xaxes(type="category")
    figure.update_yaxes(type="category", autorange="reversed")
    return figure


def threshold_chart(curve: pd.DataFrame, *, targets: Mapping[str, float], class_name: str) -> go.Figure:
    """Return precision and recall over the decision threshold, with the scoping targets as dashed lines."""
    figure = go.Figure()
    for metric in THRESHOLD_METRICS:
        figure.add_trace(go.Scatter(x=curve["threshold"], y=curve[metric], mode="lines", name=metric))
    for metric, value in targets.items():
        figure.add_hline(y=value, line_dash="dash", annotation_text=f"target {metric} ≥ {value:g}")
    figure.update_layout(title=f"Precision and recall of class {class_name} over the decision threshold",
                         xaxis_title="Threshold on its probability", yaxis_title="Score", height=360)
    figure.update_yaxes(range=[0, 1.05])
    return figure
