"""Slices of a dataset: how a column is cut into groups, and how many rows a slice needs to be read.

Shared by every stage that scores slices (baselines, experiments, error analysis, fairness), so a
slice has the same name and the same rows wherever it is shown.

- `MIN_SLICE_ROWS`: below this many rows a slice's metrics are flagged and its interval is not
  shown as a number ("too few rows"): a score from a handful of rows looks certain and is not.
"""

from __future__ import annotations

import math

MIN_SLICE_ROWS = 30
TOO_FEW_ROWS = "too few rows"
TOO_FEW = "too few {unit} ({n} < {minimum})"


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
    shown = "unknown" if n is None or not math.isfinite(float(n)) else f"{float(n):g}"
    return TOO_FEW.format(unit=unit, n=shown, minimum=f"{minimum:g}")
