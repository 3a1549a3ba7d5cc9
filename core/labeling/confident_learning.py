"""Confident learning: which given labels are likely wrong, judged from out-of-fold probabilities.

`find_label_issues` flags the same rows as cleanlab's ``filter.find_label_issues`` with its
default filter (``prune_by_noise_rate``, ``frac_noise=1``, ``min_examples_per_class=1``) on
the same probabilities, computed in a few vectorised passes instead of one sort per pair of
classes. The steps, in cleanlab's terms:

1. per class k, the confident threshold t_k: the mean probability of k over rows labeled k;
2. the confident joint C[given, true]: each row counts once, under the class it is
   confidently in (its probability reaches the threshold; among several, the most probable);
3. C calibrated to the label counts and rounded keeping row totals: the estimated number of
   rows labeled k whose true class is j;
4. within the rows labeled k, for each other class j, the C[k, j] rows with the largest margin
   p_j - p_k are flagged;
5. a row whose most probable class (with its given label nudged up by 1e-6) is its given label
   is never flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# cleanlab's constants: fuzzy float comparison, threshold floor, and a divisor floor.
FLOAT_SLACK = 1e-6
THRESHOLD_FLOOR = 2 * FLOAT_SLACK
TINY = 1e-100
ABSENT_CLASS_THRESHOLD = 2.0  # above any probability: an absent class is never "confident"
MIN_EXAMPLES_PER_CLASS = 1

SHAPE_MISMATCH = (
    "Got {labels} labels for {rows} rows of probabilities. Pass one label per row of pred_probs."
)
LABEL_OUT_OF_RANGE = (
    "Labels must be class numbers 0..{last} (one per column of pred_probs); found {bad}. "
    "Encode the labels with the same class order as the probability columns."
)
NOT_PROBABILITIES = "pred_probs must be a 2-D array of probabilities with at least two class columns."


def find_label_issues(labels, pred_probs) -> np.ndarray:
    """Return a boolean mask: True for rows whose given label is likely wrong.

    >>> probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.95, 0.05]])
    >>> find_label_issues(np.array([0, 0, 1, 1, 1]), probs).tolist()
    [False, False, False, False, True]
    """
    labels, probs = _checked(labels, pred_probs)
    n_classes = probs.shape[1]
    by_class = ClassRows.of(labels, n_classes)
    top = probs.argmax(axis=1)
    joint = confident_joint(labels, probs, by_class, top=top)
    prune_counts = _keep_at_least_one_per_class(joint.T)
    given_wins = _predicted_is_given(labels, probs, top)
    flagged = _prune_by_noise_rate(probs, by_class, prune_counts, given_wins)
    flagged &= ~given_wins
    return flagged


def _checked(labels, pred_probs) -> tuple[np.ndarray, np.ndarray]:
    probs = np.asarray(pred_probs, dtype=float)
    if probs.ndim != 2 or probs.shape[1] < 2:
        raise ValueError(NOT_PROBABILITIES)
    labels = np.asarray(labels)
    if len(labels) != len(probs):
        raise ValueError(SHAPE_MISMATCH.format(labels=len(labels), rows=len(probs)))
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(LABEL_OUT_OF_RANGE.format(last=probs.shape[1] - 1, bad=f"values of type {labels.dtype}"))
    bad = np.unique(labels[(labels < 0) | (labels >= probs.shape[1])])
    if len(bad):
        raise ValueError(LABEL_OUT_OF_RANGE.format(last=probs.shape[1] - 1, bad=", ".join(map(str, bad[:5]))))
    return labels.astype(np.intp, copy=False), probs


@dataclass(frozen=True)
class ClassRows:
    """The row positions of each class: `order[starts[k]:starts[k + 1]]` in row order."""

    order: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, labels: np.ndarray, n_classes: int) -> ClassRows:
        counts = np.bincount(labels, minlength=n_classes)
        # A stable sort of small integers is a radix sort: linear in the number of rows.
        small = labels.astype(np.int16) if n_classes <= np.iinfo(np.int16).max else labels
        return cls(np.argsort(small, kind="stable"), np.concatenate([[0], np.cumsum(counts)]), counts)

    def rows(self, k: int) -> np.ndarray:
        return self.order[self.starts[k]:self.starts[k + 1]]


def confident_thresholds(labels: np.ndarray, probs: np.ndarray, by_class: ClassRows) -> np.ndarray:
    """Return per class the mean probability of that class over the rows labeled with it."""
    # np.mean over each class's values in row order: the same summation as cleanlab's, so the
    # thresholds agree to the last bit (rows can sit right at a threshold).
    self_confidence = probs[by_class.order, labels[by_class.order]]
    thresholds = [
        self_confidence[by_class.starts[k]:by_class.starts[k + 1]].mean() if count else ABSENT_CLASS_THRESHOLD
        for k, count in enumerate(by_class.counts)
    ]
    return np.clip(thresholds, THRESHOLD_FLOOR, None)


def confident_joint(labels: np.ndarray, probs: np.ndarray, by_class: ClassRows, *, top: np.ndarray) -> np.ndarray:
    """Return the calibrated confident joint: estimated rows per (given label, true class).

    `top` is each row's most probable class (`probs.argmax(axis=1)`).
    """
    n_classes = probs.shape[1]
    confident = probs >= confident_thresholds(labels, probs, by_class) - FLOAT_SLACK
    n_confident = np.count_nonzero(confident, axis=1)
    guess = np.where(n_confident > 1, top, confident.argmax(axis=1))
    keep = n_confident > 0
    cells = guess[keep] * n_classes + labels[keep]
    # Built as (true, given) and transposed, as cleanlab does: the memory order of the matrix
    # decides the order of the sums in calibration, and so the last bits of what gets rounded.
    joint = np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes).T
    np.fill_diagonal(joint, joint.diagonal().clip(min=1))
    return _calibrate(joint, by_class.counts)


def _calibrate(joint: np.ndarray, counts: np.ndarray) -> np.ndarray:
    # The same float operations as cleanlab, so the rounding lands on the same integers.
    calibrated = (joint.T / np.clip(joint.sum(axis=1), a_min=TINY, a_max=None) * counts).T
    calibrated = calibrated / np.clip(np.sum(calibrated), a_min=TINY, a_max=None) * sum(counts)
    return _round_rows(calibrated)


def _round_rows(matrix: np.ndarray) -> np.ndarray:
    return np.array([_round_preserving_sum(row) for row in matrix], dtype=int).reshape(matrix.shape)


def _round_preserving_sum(values: np.ndarray) -> np.ndarray:
    """Return the values rounded to integers whose sum is the rounded sum of the values."""
    floats = np.asarray(values, dtype=float)
    ints = floats.round()
    target, total = np.sum(floats).round(), np.sum(ints).round()
    while abs(total - target) > FLOAT_SLACK:
        diff = np.round(target - total)
        step = -1 if diff < 0 else 1
        changes = min(int(abs(diff)), len(floats))
        for i in np.argsort(floats - ints)[::-step][:changes]:
            ints[i] += step
        total = np.sum(ints).round()
    return ints.astype(int)


def _keep_at_least_one_per_class(prune_counts: np.ndarray) -> np.ndarray:
    """Return the prune counts (true class × given label) leaving at least one row per class."""
    diagonal = np.diagonal(prune_counts)
    new_diagonal = np.maximum(diagonal, MIN_EXAMPLES_PER_CLASS)
    spread = np.maximum(np.count_nonzero(prune_counts, axis=0) - 1.0, 1.0)
    adjusted = prune_counts - (new_diagonal - diagonal) / spread
    adjusted[adjusted < 0] = 0
    np.fill_diagonal(adjusted, new_diagonal)
    # cleanlab then scales the off-diagonal counts by frac_noise (1 here) and truncates to int.
    truncated = adjusted.astype(int).astype(float)
    return _round_rows(truncated)


def _prune_by_noise_rate(probs: np.ndarray, by_class: ClassRows, prune_counts: np.ndarray,
                         given_wins: np.ndarray) -> np.ndarray:
    flagged = np.zeros(len(probs), dtype=bool)
    for k in np.flatnonzero(by_class.counts > MIN_EXAMPLES_PER_CLASS):
        rows = by_class.rows(k)
        candidates = rows[~given_wins[rows]]
        wanted = {j: int(prune_counts[j, k]) for j in np.flatnonzero(prune_counts[:, k] > 0) if j != k}
        picked = _pick_among(probs[candidates], k, wanted)
        if picked is None:  # the cut falls among rows that cannot be flagged: rank them all
            candidates, picked = rows, _pick_among(probs[rows], k, wanted, complete=True)
        flagged[candidates[picked]] = True
    return flagged


def _pick_among(class_probs: np.ndarray, k: int, wanted: dict[int, int], *, complete: bool = False):
    """Return the rows among `class_probs` with the largest margins p_j - p_k, n_j of them per j.

    Unless `complete`, the rows are only those not already predicted as k; a row predicted as
    its given label has a margin of at most FLOAT_SLACK, so when enough candidates lie above
    that, the n_j largest are the same as among all rows. None says they may not be.
    """
    picked = np.zeros(len(class_probs), dtype=bool)
    for j, n in wanted.items():
        margin = class_probs[:, j] - class_probs[:, k]
        if not complete and np.count_nonzero(margin > FLOAT_SLACK) < n:
            return None
        largest = _largest(margin, n, complete=complete)
        if largest is None:
            return None
        picked[largest] = True
    return picked


def _largest(values: np.ndarray, n: int, *, complete: bool) -> np.ndarray | None:
    """Return the positions of the n largest values; None for a tie at the cut unless `complete`."""
    if n >= len(values):
        return np.arange(len(values))
    cut = np.partition(values, len(values) - n)[len(values) - n]
    above = np.flatnonzero(values > cut)
    at_cut = np.flatnonzero(values == cut)
    if len(above) + len(at_cut) == n:
        return np.concatenate([above, at_cut])
    # Which tied rows make the cut depends on the order of an unstable sort over all the
    # class's rows: only cleanlab's own sort of those rows decides it the same way.
    return np.argsort(-values)[:n] if complete else None


def _predicted_is_given(labels: np.ndarray, probs: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Return whether each row's most probable class, its given label nudged up by 1e-6, is that label."""
    rows = np.arange(len(labels))
    nudged = probs[rows, labels] + FLOAT_SLACK
    highest = probs[rows, top]
    wins = highest < nudged
    # An exact tie with the nudged value goes to the first column, as argmax decides.
    tied = np.flatnonzero(highest == nudged)
    if len(tied):
        copy = probs[tied].copy()
        copy[np.arange(len(tied)), labels[tied]] += FLOAT_SLACK
        wins[tied] = copy.argmax(axis=1) == labels[tied]
    return wins
