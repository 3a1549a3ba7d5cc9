"""Which items go into the next labeling batch, and who labels each.

Strategies sit in a registry, name -> function; each takes the candidate row ids, the batch
size and a `SamplingInputs` with what it may need, and returns the chosen row ids in the
order they should be labeled:

- random: a seeded uniform draw;
- stratified: the same share of every value of a column (numeric columns in quantile bins);
- uncertainty: the rows a model is least sure about — least confidence (1 − top probability),
  margin (top minus second probability, smallest first) or entropy;
- disagreement: the rows whose labels conflict most (to re-label, e.g. after a guideline change).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

Strategy = Literal["random", "stratified", "uncertainty", "disagreement"]
UncertaintyMeasure = Literal["least_confidence", "margin", "entropy"]
STRATIFY_BINS = 5

UNKNOWN_STRATEGY = "Unknown sampling strategy {name!r}; choose one of: {names}."
UNKNOWN_MEASURE = "Unknown uncertainty measure {name!r}; choose one of: {names}."
BAD_SIZE = "The batch size must be a whole number of at least 1; got {size}."
POOL_TOO_SMALL = (
    "The batch asks for {size:,} items, but only {available:,} {what}. Lower the batch size to "
    "{available:,} or less{hint}."
)
NO_STRATIFY_COLUMN = "Stratified sampling needs a column to stratify by. Pick one."
NO_PROBABILITIES = (
    "Uncertainty sampling needs class probabilities for the candidate rows, and there are none yet. "
    "Label a first batch (random or stratified) so a model can be trained on it."
)
NO_DISAGREEMENT = "Disagreement sampling needs items labeled by two or more labelers; there are none yet."
BAD_OVERLAP = "The overlap share must be between 0 and 1; got {overlap}."
NO_LABELERS = "Choose at least one labeler for the batch."
OVERLAP_NEEDS_TWO = "An overlap above 0 sends items to two labelers: choose at least two labelers, or set overlap to 0."


@dataclass(frozen=True)
class SamplingInputs:
    """What strategies may read: a column for stratification, probabilities, disagreement scores."""

    column: pd.Series | None = None  # row_id -> value
    probabilities: pd.DataFrame | None = None  # row_id × class
    measure: UncertaintyMeasure = "least_confidence"
    disagreement: pd.Series | None = None  # row_id -> score in [0, 1], higher = more conflict


def _random(pool: pd.Index, size: int, inputs: SamplingInputs, rng: np.random.Generator) -> pd.Index:
    return pool[rng.permutation(len(pool))[:size]]


def _stratified(pool: pd.Index, size: int, inputs: SamplingInputs, rng: np.random.Generator) -> pd.Index:
    if inputs.column is None:
        raise ValueError(NO_STRATIFY_COLUMN)
    strata = _strata(inputs.column.reindex(pool))
    sizes = strata.value_counts(sort=False)
    quota = _largest_remainder(sizes.to_numpy() * size / len(pool), size)
    chosen = []
    for value, n in zip(sizes.index, quota):
        members = strata.index[strata.to_numpy() == value]
        chosen.append(members[rng.permutation(len(members))[:n]])
    picked = np.concatenate(chosen)
    return pd.Index(picked[rng.permutation(len(picked))], name=pool.name)


def _strata(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > STRATIFY_BINS * 2:
        return pd.qcut(values, STRATIFY_BINS, duplicates="drop").astype(str)
    return values.astype(object).where(values.notna(), "(missing)").astype(str)


def _largest_remainder(exact: np.ndarray, total: int) -> np.ndarray:
    """Return integers summing to `total`, each the floor of `exact` plus one for the largest remainders."""
    floors = np.floor(exact).astype(int)
    extra = np.argsort(-(exact - floors), kind="stable")[: total - floors.sum()]
    floors[extra] += 1
    return floors


def uncertainty_scores(probabilities: pd.DataFrame, *, measure: UncertaintyMeasure = "least_confidence") -> pd.Series:
    """Return per row how unsure the probabilities are; higher is less sure, whatever the measure."""
    if measure not in get_args(UncertaintyMeasure):
        raise ValueError(UNKNOWN_MEASURE.format(name=measure, names=", ".join(get_args(UncertaintyMeasure))))
    probs = probabilities.to_numpy(dtype=float)
    ordered = np.sort(probs, axis=1)
    if measure == "least_confidence":
        score = 1 - ordered[:, -1]
    elif measure == "margin":
        score = 1 - (ordered[:, -1] - ordered[:, -2])
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            score = -np.nansum(np.where(probs > 0, probs * np.log(probs), 0.0), axis=1)
    return pd.Series(score, index=probabilities.index, name=measure)


def _uncertainty(pool: pd.Index, size: int, inputs: SamplingInputs, rng: np.random.Generator) -> pd.Index:
    if inputs.probabilities is None or inputs.probabilities.index.intersection(pool).empty:
        raise ValueError(NO_PROBABILITIES)
    scores = uncertainty_scores(inputs.probabilities.loc[inputs.probabilities.index.intersection(pool)],
                                measure=inputs.measure)
    return _top(scores, size, pool)


def _disagreement(pool: pd.Index, size: int, inputs: SamplingInputs, rng: np.random.Generator) -> pd.Index:
    scores = inputs.disagreement
    if scores is None or not (scores.reindex(pool) > 0).any():
        raise ValueError(NO_DISAGREEMENT)
    return _top(scores.reindex(pool).dropna().loc[lambda s: s > 0], size, pool)


def _top(scores: pd.Series, size: int, pool: pd.Index) -> pd.Index:
    # Highest score first; equal scores in row order, so the same inputs give the same batch.
    ordered = scores.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return pd.Index(ordered.index[:size], name=pool.name)


Sampler = Callable[[pd.Index, int, SamplingInputs, np.random.Generator], pd.Index]
SAMPLERS: dict[str, Sampler] = {
    "random": _random, "stratified": _stratified, "uncertainty": _uncertainty, "disagreement": _disagreement,
}


def eligible_count(pool: pd.Index, *, strategy: Strategy, inputs: SamplingInputs) -> int:
    """Return how many pool rows the strategy can choose from."""
    if strategy == "uncertainty" and inputs.probabilities is not None:
        return len(inputs.probabilities.index.intersection(pool))
    if strategy == "disagreement":
        return int((inputs.disagreement.reindex(pool) > 0).sum()) if inputs.disagreement is not None else 0
    return len(pool)


def sample_batch(pool: Sequence, size: int, *, strategy: Strategy, inputs: SamplingInputs | None = None,
                 random_state: int = 0) -> pd.Index:
    """Return `size` row ids chosen from the pool by the strategy; raise ValueError when it cannot."""
    if strategy not in SAMPLERS:
        raise ValueError(UNKNOWN_STRATEGY.format(name=strategy, names=", ".join(SAMPLERS)))
    if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 1:
        raise ValueError(BAD_SIZE.format(size=size))
    pool = pd.Index(pool, name="row_id")
    inputs = inputs or SamplingInputs()
    available = eligible_count(pool, strategy=strategy, inputs=inputs)
    if size > available:
        what = "unlabeled items are left in the pool" if strategy != "disagreement" else "items have conflicting labels"
        hint = "" if available else ", or add data"
        raise ValueError(POOL_TOO_SMALL.format(size=size, available=available, what=what, hint=hint))
    return SAMPLERS[strategy](pool, int(size), inputs, np.random.default_rng(random_state))


def assign_items(row_ids: Sequence, labelers: Sequence[str], *, overlap: float, per_item: int = 2,
                 random_state: int = 0) -> pd.DataFrame:
    """Return who labels what: columns row_id, labeler, position (order in that labeler's queue).

    A share `overlap` of the items goes to `per_item` labelers (capped at the number of
    labelers), the rest to one each; each item goes to the labelers with the fewest items so far,
    so the work is spread evenly. No labeler gets an item twice.
    """
    if not 0 <= overlap <= 1:
        raise ValueError(BAD_OVERLAP.format(overlap=overlap))
    if not labelers:
        raise ValueError(NO_LABELERS)
    if overlap > 0 and len(labelers) < 2:
        raise ValueError(OVERLAP_NEEDS_TWO)
    rng = np.random.default_rng(random_state)
    items = list(row_ids)
    shared = set(rng.permutation(len(items))[: int(round(overlap * len(items)))].tolist())
    load = {name: 0 for name in labelers}
    rows = []
    for position, row_id in enumerate(items):
        wanted = min(per_item, len(labelers)) if position in shared else 1
        # Fewest items first; among equals a seeded shuffle, so no labeler is always first.
        chosen = sorted(load, key=lambda name: (load[name], rng.random()))[:wanted]
        for name in chosen:
            rows.append((row_id, name, load[name]))
            load[name] += 1
    return pd.DataFrame(rows, columns=["row_id", "labeler", "position"])
