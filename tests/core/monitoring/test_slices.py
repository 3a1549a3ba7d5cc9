"""A saved slice over monitoring windows: shares and accuracies against scikit-learn, missing labels left out."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score

from core.errors.slices import Condition, SlicePredicate, slice_mask
from core.monitoring.slices import SLICE_COLUMNS, slice_over_windows
from core.monitoring.windows import make_windows


def stream(n=400, seed=1):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"region": rng.choice(["North", "South"], n), "income": rng.normal(30_000, 8_000, n)})
    labels = pd.Series(rng.choice(["yes", "no"], n), dtype=object)
    labels[rng.random(n) < 0.3] = None  # not arrived yet
    predictions = np.where(rng.random(n) < 0.7, labels.fillna("no"), "yes").astype(object)
    return frame, labels, predictions


def test_share_and_accuracy_per_window_equal_a_direct_computation_with_scikit_learn():
    frame, labels, predictions = stream()
    predicate = SlicePredicate((Condition("region", "==", "North"), Condition("income", "<", 28_000)))
    mask = slice_mask(frame, predicate)
    windows = make_windows(len(frame), n_chunks=4)
    table = slice_over_windows(mask, windows, labels, predictions, [0.5, 0.6, 0.7, 0.8])
    assert list(table.columns) == SLICE_COLUMNS and list(table["window"]) == [f"Chunk {n}" for n in range(1, 5)]
    for row, window in zip(table.itertuples(index=False), windows):
        inside = window.positions[mask[window.positions]]
        known = inside[labels.iloc[inside].notna().to_numpy()]
        expected = accuracy_score(labels.iloc[known].tolist(), predictions[known].tolist())
        assert row[2] == inside.size and row[3] == pytest.approx(inside.size / len(window)) and row[4] == known.size
        assert row[5] == pytest.approx(expected) and row[7] == pytest.approx(expected - row[6])


def test_a_window_without_arrived_labels_in_the_slice_has_no_accuracy():
    frame, labels, predictions = stream(40)
    labels[:] = None
    mask = np.zeros(40, dtype=bool)
    mask[:5] = True
    table = slice_over_windows(mask, make_windows(40, n_chunks=2), labels, predictions, [np.nan, np.nan])
    assert table["in slice"].tolist() == [5, 0] and table["share of requests"].tolist() == [0.25, 0.0]
    assert table["slice accuracy"].isna().all() and table["slice − window"].isna().all()
