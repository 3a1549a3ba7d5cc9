"""New rows for a slice: augmented copies of images, or rows drawn from a demo scenario's generator.

Both return only the new rows, with fresh row ids after the dataset's last one, so a new dataset
version is the old rows plus these (its parent keeps the old ones unchanged).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.data.scenarios import generate_scenario
from core.errors.data import with_class_column
from core.errors.slices import SlicePredicate, slice_mask

COLLECTABLE = ("loan_approval",)  # scenarios whose generator draws new rows (the others are bundled sets)
MAX_SHIFT, MAX_ANGLE, NOISE_SD = 1, 10.0, 1.0
MAX_DRAWS = 20
NO_PIXELS = ("Augmentation makes shifted, rotated and noised copies of images; this dataset has no pixel columns. "
             "Collect more data or relabel the slice instead.")
NOT_COLLECTABLE = ("Collecting more data draws new rows from a demo scenario's generator; {what}. "
                   "Relabel the slice, or add new rows on the Datasets page.")
TOO_RARE = "The generator drew too few rows of the slice “{name}” ({found} of {wanted}). Pick a wider slice."


def augment_images(frame: pd.DataFrame, row_ids: Sequence, pixel_columns: Sequence[str], *, copies: int = 3,
                   random_state: int = 0) -> pd.DataFrame:
    """Return `copies` altered copies of each row's image (shifted, rotated, noised in turn), labels kept."""
    from scipy import ndimage

    if not pixel_columns:
        raise ValueError(NO_PIXELS)
    rng = np.random.default_rng(random_state)
    source = frame.loc[list(row_ids)]
    pixels = source[list(pixel_columns)].to_numpy(dtype=float)
    side = math.isqrt(pixels.shape[1])
    low, high = float(np.nanmin(frame[list(pixel_columns)].to_numpy())), float(np.nanmax(frame[list(pixel_columns)].to_numpy()))
    made = []
    for copy in range(copies):
        images = pixels.reshape(-1, side, side)
        altered = np.stack([_alter(image, copy % 3, rng, ndimage) for image in images])
        rows = source.copy()
        rows[list(pixel_columns)] = np.clip(np.round(altered.reshape(len(rows), -1)), low, high).astype(
            frame[pixel_columns[0]].dtype)
        made.append(rows)
    return _renumbered(pd.concat(made), frame)


def _alter(image: np.ndarray, how: int, rng: np.random.Generator, ndimage) -> np.ndarray:
    if how == 0:
        return ndimage.shift(image, rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, 2), order=0, mode="constant")
    if how == 1:
        return ndimage.rotate(image, rng.uniform(-MAX_ANGLE, MAX_ANGLE), reshape=False, order=1, mode="constant")
    return image + rng.normal(0, NOISE_SD, image.shape)


def collect_rows(frame: pd.DataFrame, predicate: SlicePredicate, *, scenario: str, params: dict, n_rows: int,
                 target: str, slice_name: str = "", id_column: str | None = None,
                 random_state: int = 1) -> pd.DataFrame:
    """Return `n_rows` new rows of the slice, drawn from the scenario's generator with fresh seeds."""
    if scenario not in COLLECTABLE:
        raise ValueError(NOT_COLLECTABLE.format(what="this dataset's scenario holds a fixed set of rows"
                                                if scenario else "this dataset comes from no demo scenario"))
    found: list[pd.DataFrame] = []
    for draw in range(MAX_DRAWS):
        seed = int(params.get("seed", 0)) + 1_000 * random_state + draw + 1
        fresh = generate_scenario(scenario, **{**params, "seed": seed}).frame
        found.append(fresh[slice_mask(with_class_column(fresh, target), predicate, name=slice_name)])
        if sum(len(f) for f in found) >= n_rows:
            break
    rows = pd.concat(found).head(n_rows)
    if len(rows) < n_rows:
        raise ValueError(TOO_RARE.format(name=slice_name or predicate.text(), found=len(rows), wanted=n_rows))
    rows = _renumbered(rows[frame.columns], frame)
    if id_column:
        rows[id_column] = [f"N{r:07d}" for r in rows.index]
    return rows


def _renumbered(rows: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    start = int(frame.index.max()) + 1 if len(frame) else 0
    return rows.set_axis(pd.RangeIndex(start, start + len(rows), name=frame.index.name or "row_id"))


def slice_before_after(runs: Sequence[tuple[str, object]], predicate: SlicePredicate, *, baseline: float | None,
                       metric: str = "accuracy") -> pd.DataFrame:
    """Return per run (label, AnalysisData): the slice's metric and gap, and the overall metric."""
    from core.errors.scoring import metric_values

    rows = []
    for label, data in runs:
        mask = slice_mask(data.frame, predicate, tags=data.tags)
        on_slice = float(metric_values(data.counts(mask), metric)[0])
        overall = float(metric_values(data.counts(data.true >= 0), metric)[0])
        reference = overall if baseline is None else baseline
        rows.append({"run": label, "slice rows": int(mask.sum()), f"slice {metric}": on_slice,
                     "slice gap": reference - on_slice, f"overall {metric}": overall})
    return pd.DataFrame(rows)
