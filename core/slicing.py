"""Slices of a dataset: how a column is cut into groups, and how many rows a slice needs to be read.

Shared by every stage that scores slices (baselines, experiments, error analysis, fairness), so a
slice has the same name and the same rows wherever it is shown.

- `slice_values(column)`: each row's slice within one column. Text, category and boolean columns,
  and numeric columns with at most `MAX_EXACT_VALUES` distinct values, are sliced by value (the
  value as text, exactly as `str(value)`); other numeric columns are cut into at most `MAX_BINS`
  quantile bins named as ranges — ``20–29`` for whole numbers (both ends included), ``0.12–0.35``
  for decimals (the lower end included, the upper excluded, except in the last bin). Missing
  values form the slice ``(missing)``. Bins are computed on the rows given, so pass the whole
  column (`slice_frame`) and select rows afterwards: a slice then names the same rows in every
  split and every stage.
- `MIN_SLICE_ROWS`: below this many rows a slice's metrics are flagged and its interval is not
  shown as a number ("too few rows"): a score from a handful of rows looks certain and is not.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

MAX_BINS = 5
MAX_EXACT_VALUES = 10
MISSING_SLICE = "(missing)"
RANGE_NAME = re.compile(r"^(-?[\d.e+-]+?)–(-?[\d.e+-]+)$")

MIN_SLICE_ROWS = 30
TOO_FEW_ROWS = "too few rows"
TOO_FEW = "too few {unit} ({n} < {minimum})"
NOT_RECORDED = "{unit} not recorded: read with care"  # e.g. a run stored before slices kept their counts


def too_few(n: float | None, minimum: float) -> bool:
    """Return whether a statistic rests on fewer than `minimum` rows (or an unknown number)."""
    return n is None or not math.isfinite(float(n)) or float(n) < minimum


def count_note(n: float | None, minimum: float, *, unit: str = "rows") -> str:
    """Return "" when `n` reaches the minimum, else a short flag naming the count.

    >>> count_note(12, 30), count_note(30, 30), count_note(2.5, 20, unit="shared items")
    ('too few rows (12 < 30)', '', 'too few shared items (2.5 < 20)')
    """
    if not too_few(n, minimum):
        return ""
    if n is None or not math.isfinite(float(n)):
        return NOT_RECORDED.format(unit=unit)
    return TOO_FEW.format(unit=unit, n=f"{float(n):g}", minimum=f"{minimum:g}")


def slice_values(column: pd.Series, *, max_bins: int = MAX_BINS, max_exact: int = MAX_EXACT_VALUES) -> pd.Series:
    """Return each row's slice name in the column (text, same index): its value, or its range for binned numbers.

    >>> ages = pd.Series([20, 22, 25, 31, 33, 38, 41, 47, 52, 58, 60, 64])
    >>> slice_values(ages, max_bins=3).tolist()
    ['20–32', '20–32', '20–32', '20–32', '33–48', '33–48', '33–48', '33–48', '49–64', '49–64', '49–64', '49–64']
    >>> slice_values(pd.Series(["F", None, "M"])).tolist()
    ['F', '(missing)', 'M']
    """
    if not _binned(column, max_exact):
        return column.astype(object).where(column.notna(), MISSING_SLICE).astype(str)
    numbers = column.astype(float)
    whole = bool(np.all(np.mod(numbers.dropna(), 1) == 0))
    edges = _edges(numbers.dropna().to_numpy(), max_bins, whole)
    names = np.asarray(_range_names(edges, whole), dtype=object)
    codes = np.clip(np.searchsorted(edges, numbers.to_numpy(), side="right") - 1, 0, len(names) - 1)
    return pd.Series(np.where(numbers.notna(), names[codes], MISSING_SLICE), index=column.index, dtype=object).astype(str)


def slice_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return every column of the frame as slice names (see `slice_values`), bins computed on all its rows."""
    return pd.DataFrame({column: slice_values(frame[column]) for column in frame.columns}, index=frame.index)


def slice_order(name: str) -> tuple:
    """Return a sort key that puts ranges and numbers in numeric order, then text, then ``(missing)``.

    >>> sorted(["100–199", "20–99", "(missing)", "b", "3"], key=slice_order)
    ['3', '20–99', '100–199', 'b', '(missing)']
    """
    if name == MISSING_SLICE:
        return (2, 0.0, name)
    match = RANGE_NAME.match(name)
    try:
        return (0, float(match.group(1) if match else name), name)
    except ValueError:
        return (1, 0.0, name)


def range_holds(name: str, number: float) -> bool:
    """Return whether a range slice name (``18–30``) holds the number; False for other names.

    Both ends count: a number on a shared edge matches the lower range, which is the one listed first.
    """
    match = RANGE_NAME.match(name)
    return bool(match) and float(match[1]) <= number <= float(match[2])


def _binned(column: pd.Series, max_exact: int) -> bool:
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    return numeric and not isinstance(column.dtype, pd.CategoricalDtype) and column.nunique() > max_exact


def _edges(values: np.ndarray, max_bins: int, whole: bool) -> np.ndarray:
    """Return the lower edge of each bin (ascending) followed by the largest value."""
    cuts = np.quantile(values, np.linspace(0, 1, max_bins + 1))
    if whole:  # whole numbers get whole edges, so a bin reads 20–29 rather than 19.5–29.25
        cuts = np.ceil(cuts)
    inner = np.unique(cuts[1:-1])
    inner = inner[(inner > values.min()) & (inner <= values.max())]
    return np.concatenate([[values.min()], inner, [values.max()]])


def _range_names(edges: np.ndarray, whole: bool) -> list[str]:
    lows, highs = edges[:-1], edges[1:]
    if whole:
        tops = [*(highs[:-1] - 1), highs[-1]]
        return [f"{low:.0f}" if low == top else f"{low:.0f}–{top:.0f}" for low, top in zip(lows, tops)]
    return [f"{_number_text(low)}–{_number_text(high)}" for low, high in zip(lows, highs)]


def _number_text(value: float) -> str:
    # No thousands separators and no exponents: a slice name must fit a target such as recall[income=52000–61000].
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"
