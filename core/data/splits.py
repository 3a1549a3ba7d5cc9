"""Train/dev/test splits: random, stratified ("balanced") and time-ordered.

A split is a Series named "split", indexed like the frame (by ``row_id``), holding
"train", "dev" or "test" as a categorical. Every strategy first orders the rows by
``row_id``, so the assignment depends on the rows' ids and the seed only, never on
the order in which the rows happen to be stored.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import numpy as np
import pandas as pd

SplitStrategy = Literal["random", "stratified", "time"]
SPLIT_NAMES = ("train", "dev", "test")
SPLIT_COLUMN = "split"
SMALL_DATA_ROWS = 10_000
# Mixed into the seed so the split's stream is its own: a scenario generated with the same seed
# (and its planted flips, drawn from `default_rng(seed)` or a stream spawned from it) must not
# decide which rows land in train.
SPLIT_STREAM = int.from_bytes(b"split", "big")

ERR_STRATEGY = "Unknown split strategy {strategy!r}; choose one of {choices}."
ERR_FRACTIONS = (
    "Split fractions must be three positive numbers (train, dev, test) that sum to 1; "
    "got {fractions}."
)
ERR_TOO_FEW_ROWS = "Splitting needs at least 3 rows, one per split; this data has {n_rows}."
ERR_COLUMN_MISSING = "Column {column!r} is not in the data."
ERR_NO_TARGET = (
    "A stratified split needs a target column: choose the target, or use a random split."
)
ERR_NO_LABELS = (
    "The target {column!r} has no labelled rows to stratify on: label some rows first, "
    "or use a random split."
)
ERR_SMALL_CLASS = (
    "Class {label!r} has only {count} labelled row(s), fewer than the 3 splits, so it "
    "cannot appear in train, dev and test: use a random split, or collect more rows "
    "of this class."
)
ERR_NO_TIME = (
    "A time split needs a time column: choose the time column, or use a random or "
    "stratified split."
)
ERR_MISSING_TIME = (
    "The time column {column!r} has {count} missing value(s), which cannot be placed "
    "in time: fill or drop them first, or use a random split."
)


def make_splits(
    frame: pd.DataFrame,
    *,
    strategy: SplitStrategy,
    target: str | None = None,
    time_column: str | None = None,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    random_state: int = 0,
) -> pd.Series:
    """Return each row's split ("train", "dev" or "test") as a categorical Series.

    - ``random``: a seeded permutation cut into exactly sized parts.
    - ``stratified``: every class is cut on its own with largest-remainder counts,
      so each split holds each class's share of the whole to within one row. Rows
      with a missing target all go to train: they cannot be scored on dev or test,
      and a labelling round may still use them for training.
    - ``time``: rows ordered by ``time_column`` (ties by ``row_id``); the earliest
      go to train, then dev, then test, so the model is evaluated on the future.
    """
    if strategy not in get_args(SplitStrategy):
        raise ValueError(
            ERR_STRATEGY.format(strategy=strategy, choices=", ".join(get_args(SplitStrategy)))
        )
    _check_fractions(fractions)
    if len(frame) < len(SPLIT_NAMES):
        raise ValueError(ERR_TOO_FEW_ROWS.format(n_rows=len(frame)))
    by_id = _row_id_order(frame.index)
    if strategy == "random":
        codes = _random_codes(by_id, fractions, random_state)
    elif strategy == "stratified":
        codes = _stratified_codes(frame, target, by_id, fractions, random_state)
    else:
        codes = _time_codes(frame, time_column, by_id, fractions)
    values = pd.Categorical.from_codes(codes, categories=list(SPLIT_NAMES))
    return pd.Series(values, index=frame.index, name=SPLIT_COLUMN)


def split_summary(
    assignment: pd.Series, frame: pd.DataFrame, *, target: str | None = None
) -> pd.DataFrame:
    """Return one row per split (train, dev, test): n_rows, share and class shares.

    ``share`` is the split's fraction of all rows. With a ``target``, one column per
    class, named ``"<target>=<class>"``, gives that class's share of the split's rows
    (missing targets count as the class ``<missing>``); multiply by ``n_rows`` for counts.
    """
    splits = pd.Categorical(assignment.reindex(frame.index), categories=list(SPLIT_NAMES))
    n_rows = pd.Series(splits).value_counts(sort=False).reindex(list(SPLIT_NAMES))
    summary = pd.DataFrame(
        {"n_rows": n_rows.to_numpy(), "share": n_rows.to_numpy() / max(len(frame), 1)},
        index=pd.Index(SPLIT_NAMES, name=SPLIT_COLUMN),
    )
    if target is None:
        return summary
    if target not in frame.columns:
        raise ValueError(ERR_COLUMN_MISSING.format(column=target))
    labels = frame[target].astype(object).where(frame[target].notna(), "<missing>")
    counts = pd.crosstab(splits, labels.to_numpy(), dropna=False).reindex(list(SPLIT_NAMES))
    shares = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    shares.columns = [f"{target}={label}" for label in shares.columns]
    return summary.join(shares.set_axis(summary.index))


def suggest_split_strategy(
    *, n_rows: int, has_target: bool, has_time: bool
) -> tuple[SplitStrategy, str]:
    """Return the suggested split strategy and a one-line reason for it.

    ``has_target`` means a classification target; a numeric regression target is
    better served by a random split.
    """
    if has_time:
        return "time", (
            "Production data always comes later than training data, so train on the "
            "past and evaluate on the most recent rows."
        )
    if has_target:
        why = "A balanced split keeps each class's share the same in train, dev and test"
        if n_rows <= SMALL_DATA_ROWS:
            return "stratified", f"{why}, which matters most for small data like these {n_rows:,} rows."
        return "stratified", f"{why}, so dev and test scores are comparable."
    return "random", (
        "Without a target there are no classes to balance, so a seeded random split is enough."
    )


def _check_fractions(fractions: tuple[float, ...]) -> None:
    fractions = tuple(fractions)
    valid = (
        len(fractions) == len(SPLIT_NAMES)
        and all(isinstance(f, (int, float)) and math.isfinite(f) and f > 0 for f in fractions)
        and math.isclose(sum(fractions), 1.0, abs_tol=1e-9)
    )
    if not valid:
        raise ValueError(ERR_FRACTIONS.format(fractions=fractions))


def _row_id_order(index: pd.Index) -> np.ndarray:
    # Sorting by row_id makes the assignment independent of the storage order.
    if index.is_monotonic_increasing:
        return np.arange(len(index))
    return np.argsort(pd.factorize(index, sort=True)[0], kind="stable")


def _split_sizes(n_rows: int, fractions: tuple[float, ...], deficit: np.ndarray) -> np.ndarray:
    """Return largest-remainder counts of ``n_rows`` over the splits.

    Equal remainders (common: dev and test often share a fraction) go to the split
    furthest below its overall target size, so the totals stay balanced too.
    """
    exact = n_rows * np.asarray(fractions, dtype=float)
    sizes = np.floor(exact).astype(np.int64)
    remainders = np.round(exact - sizes, 9)
    leftover = n_rows - int(sizes.sum())
    priority = np.lexsort((-deficit, -remainders))
    sizes[priority[:leftover]] += 1
    return sizes


def _codes_in_order(sizes: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int8), sizes)


def split_rng(random_state: int) -> np.random.Generator:
    """Return the split's own random stream for a seed, independent of `default_rng(seed)` and its spawns."""
    return np.random.default_rng([SPLIT_STREAM, random_state])


def _random_codes(by_id: np.ndarray, fractions, random_state: int) -> np.ndarray:
    rng = split_rng(random_state)
    sizes = _split_sizes(len(by_id), fractions, np.zeros(len(SPLIT_NAMES)))
    codes = np.empty(len(by_id), dtype=np.int8)
    codes[by_id[rng.permutation(len(by_id))]] = _codes_in_order(sizes)
    return codes


def _stratified_codes(frame, target, by_id, fractions, random_state) -> np.ndarray:
    if target is None:
        raise ValueError(ERR_NO_TARGET)
    if target not in frame.columns:
        raise ValueError(ERR_COLUMN_MISSING.format(column=target))
    classes, uniques = pd.factorize(frame[target], sort=True)
    labelled = by_id[classes[by_id] >= 0]
    if len(labelled) == 0:
        raise ValueError(ERR_NO_LABELS.format(column=target))
    class_counts = np.bincount(classes[labelled], minlength=len(uniques))
    for label, count in zip(uniques, class_counts):
        if count < len(SPLIT_NAMES):
            raise ValueError(ERR_SMALL_CLASS.format(label=label, count=int(count)))
    allocation = _class_allocation(class_counts, fractions)
    # Shuffle the labelled rows, then group them by class keeping the shuffled order:
    # each class's rows are then a random sequence cut by its own allocation.
    rng = split_rng(random_state)
    shuffled = labelled[rng.permutation(len(labelled))]
    grouped = shuffled[np.argsort(classes[shuffled], kind="stable")]
    codes = np.zeros(len(frame), dtype=np.int8)
    codes[grouped] = np.concatenate([_codes_in_order(sizes) for sizes in allocation])
    return codes


def _class_allocation(class_counts: np.ndarray, fractions) -> list[np.ndarray]:
    targets = class_counts.sum() * np.asarray(fractions, dtype=float)
    allocated = np.zeros(len(SPLIT_NAMES))
    allocation = []
    for count in class_counts:
        sizes = _split_sizes(int(count), fractions, targets - allocated)
        allocated += sizes
        allocation.append(sizes)
    return allocation


def _time_codes(frame, time_column, by_id, fractions) -> np.ndarray:
    if time_column is None:
        raise ValueError(ERR_NO_TIME)
    if time_column not in frame.columns:
        raise ValueError(ERR_COLUMN_MISSING.format(column=time_column))
    times = pd.factorize(frame[time_column], sort=True)[0]
    n_missing = int((times < 0).sum())
    if n_missing:
        raise ValueError(ERR_MISSING_TIME.format(column=time_column, count=n_missing))
    rank_by_id = np.empty(len(by_id), dtype=np.int64)
    rank_by_id[by_id] = np.arange(len(by_id))
    chronological = np.lexsort((rank_by_id, times))
    sizes = _split_sizes(len(frame), fractions, np.zeros(len(SPLIT_NAMES)))
    codes = np.empty(len(frame), dtype=np.int8)
    codes[chronological] = _codes_in_order(sizes)
    return codes
