import numpy as np
import pandas as pd
import pytest

from storage.db import make_engine


@pytest.fixture
def engine(tmp_path):
    """A fresh SQLite database per test."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield engine
    engine.dispose()


def small_frame(n_rows: int = 50, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "x": rng.normal(size=n_rows),
        "colour": rng.choice(["red", "green", "blue"], size=n_rows),
        "y": rng.integers(0, 2, size=n_rows),
    })
    frame.index = pd.RangeIndex(n_rows, name="row_id")
    return frame
