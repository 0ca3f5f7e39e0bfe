"""Fixtures shared by the generator tests."""

from pathlib import Path

import pytest

from synthdesk.core.pipeline import load_table

LOANS = Path(__file__).resolve().parents[3] / "shared" / "datasets" / \
    "modeldata_lending_club.csv"


@pytest.fixture(scope="module")
def loans():
    """The first 2,500 rows of the shared loans table, with their detected columns."""
    table, specs = load_table(LOANS)
    return table.data.head(2500).reset_index(drop=True), specs
