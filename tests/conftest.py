import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parents[1] / "resources" / "sample" / "penguins.csv"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def penguins(tmp_path) -> Path:
    """A private copy of the 80-row penguin table, so tests can check it is never changed."""
    return Path(shutil.copy(DATA / "penguins_80.csv", tmp_path / "penguins.csv"))


@pytest.fixture
def small_frame() -> pd.DataFrame:
    """A 60-row table with numbers, categories, a date and missing values."""
    rng = pd.Series(range(60))
    return pd.DataFrame({
        "age": (rng * 7 % 50 + 20).astype(int),
        "income": (rng * 1234.5 % 9000 + 1000).round(2),
        "segment": ["retail", "business", "retail", "premium"] * 15,
        "joined": pd.date_range("2020-01-01", periods=60, freq="7D").strftime("%Y-%m-%d"),
        "score": [None if i % 10 == 0 else float(i % 7) for i in range(60)],
    })
