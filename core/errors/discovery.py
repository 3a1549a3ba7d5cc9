"""Automatic slice discovery: where is the per-row loss high, and where does the metric drop?

Two searches over the run's own feature columns, their slices ranked together by the metric,
weakest first, each holding at least max(5% of rows, 20) rows:

- a shallow regression tree on each dev row's log loss finds conjunctions of conditions. A
  categorical column enters as the mean loss of each level, so one split can set apart any set
  of levels (`employment in {…}`);
- a scan of every single condition (each level of a categorical column, each quantile bin of a
  numeric one). The tree alone misses a group whose loss is raised less than the loss near
  the decision boundary varies: its first splits always cut along the boundary.
 Each leaf is the conjunction of the conditions on its path, simplified (the tightest bound
per numeric column), thresholds rounded to three significant digits; its rows are then taken
from the rounded predicate, so what is shown is what is counted.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from core.errors.data import AnalysisData
from core.errors.scoring import Metric
from core.errors.slices import Condition, SlicePredicate
from core.errors.table import ScoredSlice, min_slice_rows, score_predicate, value_slices

MAX_DEPTH = 3
MAX_TREE_ROWS = 100_000  # the tree learns its splits from a sample; its leaves are then counted on every row
MISSING = "(missing)"
NO_FEATURES = "The run has no feature columns to search for slices in. Train a run that uses features."


def discover_slices(data: AnalysisData, *, metric: Metric = "accuracy", max_depth: int = MAX_DEPTH,
                    min_rows: int | None = None, random_state: int = 0) -> list[ScoredSlice]:
    """Return the slices both searches find, weakest metric first (larger slices first on a tie)."""
    leaf_size = min_rows or min_slice_rows(data.n_rows)
    if leaf_size * 2 > data.n_rows or not (data.numeric or data.categorical):
        return []
    singles = value_slices(data, metric=metric, min_rows=leaf_size, columns=[*data.categorical, *data.numeric])
    found = {s.name: replace(s, source="discovered") for s in singles}
    for predicate in tree_predicates(data, leaf_size=leaf_size, max_depth=max_depth, random_state=random_state):
        if predicate.text() not in found:
            scored = score_predicate(data, predicate, source="discovered", metric=metric)
            if scored.n >= leaf_size:  # rounding a threshold can move a few rows out
                found[scored.name] = scored
    return sorted(found.values(), key=lambda s: (s.metric, -s.n))


def tree_predicates(data: AnalysisData, *, leaf_size: int, max_depth: int = MAX_DEPTH,
                    random_state: int = 0) -> list[SlicePredicate]:
    """Return the leaves of a shallow regression tree on the per-row loss, as predicates."""
    from sklearn.tree import DecisionTreeRegressor

    loss = data.loss()
    features, decode = _encoded(data, loss)
    sample = np.arange(data.n_rows)
    if data.n_rows > MAX_TREE_ROWS:
        sample = np.random.default_rng(random_state).choice(data.n_rows, MAX_TREE_ROWS, replace=False)
    leaf = max(1, int(leaf_size * len(sample) / data.n_rows))
    tree = DecisionTreeRegressor(max_depth=max_depth, min_samples_leaf=leaf, random_state=random_state)
    tree.fit(features.iloc[sample], loss[sample])
    return [predicate for predicate, _ in _leaf_paths(tree.tree_, decode)]


def _encoded(data: AnalysisData, loss: np.ndarray) -> tuple[pd.DataFrame, list[tuple[str, pd.Series | None]]]:
    """Return the tree's input and, per input column, (dataset column, mean loss per level or None when numeric)."""
    parts, decode = [], []
    for column in data.numeric:
        values = pd.to_numeric(data.frame[column], errors="coerce").astype(float)
        parts.append(values.fillna(values.median()).to_numpy())
        decode.append((column, None))
    for column in data.categorical:
        codes, levels = pd.factorize(data.frame[column], use_na_sentinel=False)
        per_level = np.bincount(codes, weights=loss) / np.maximum(np.bincount(codes), 1)
        parts.append(per_level[codes])
        names = [MISSING if pd.isna(v) else v for v in levels]
        decode.append((column, pd.Series(per_level, index=pd.Index(names, dtype=object))))
    if not parts:
        raise ValueError(NO_FEATURES)
    return pd.DataFrame(np.column_stack(parts)), decode


def _leaf_paths(tree, decode) -> list[tuple[SlicePredicate, float]]:
    found, pending = [], [(0, ())]
    while pending:
        node, path = pending.pop()
        left, right = tree.children_left[node], tree.children_right[node]
        if left == right:  # a leaf
            if path:
                found.append((SlicePredicate(_simplified(path)), float(tree.value[node].ravel()[0])))
            continue
        column, level_loss = decode[tree.feature[node]]
        threshold = float(tree.threshold[node])
        if level_loss is None:
            rounded = float(f"{threshold:.3g}")
            pending += [(left, (*path, Condition(column, "<=", rounded))),
                        (right, (*path, Condition(column, ">", rounded)))]
        else:
            below = level_loss.index[level_loss.to_numpy() <= threshold]
            above = level_loss.index[level_loss.to_numpy() > threshold]
            pending += [(left, (*path, _level_condition(column, below))),
                        (right, (*path, _level_condition(column, above)))]
    return found


def _level_condition(column: str, levels: pd.Index) -> Condition:
    plain = [v.item() if isinstance(v, np.generic) else v for v in levels]
    return Condition(column, "==", plain[0]) if len(plain) == 1 else Condition(column, "in", tuple(sorted(plain, key=str)))


def _simplified(path: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """Return the path with one lower and one upper bound per numeric column and one level set per categorical."""
    kept: dict[tuple[str, str], Condition] = {}
    for c in path:
        key = (c.column, c.op if c.op in ("<=", ">") else "levels")
        if key[1] == "levels" and key in kept:
            c = _narrower(kept[key], c)
        elif c.op == "<=" and key in kept:
            c = c if c.value < kept[key].value else kept[key]
        elif c.op == ">" and key in kept:
            c = c if c.value > kept[key].value else kept[key]
        kept[key] = c
    return tuple(kept.values())


def _narrower(first: Condition, second: Condition) -> Condition:
    # A deeper split on the same column only ever keeps a subset of the levels.
    return second if len(_levels(second)) <= len(_levels(first)) else first


def _levels(condition: Condition) -> tuple:
    return tuple(condition.value) if condition.op == "in" else (condition.value,)
