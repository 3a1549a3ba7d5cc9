"""Small frames for storage tests."""

import numpy as np
import pandas as pd


def small_frame(n_rows: int = 50, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "x": rng.normal(size=n_rows),
        "colour": rng.choice(["red", "green", "blue"], size=n_rows),
        "y": rng.integers(0, 2, size=n_rows),
    })
    frame.index = pd.RangeIndex(n_rows, name="row_id")
    return frame
