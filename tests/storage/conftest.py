import pytest

from storage.db import make_engine


@pytest.fixture
def engine(tmp_path):
    """A fresh SQLite database per test."""
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield engine
    engine.dispose()
