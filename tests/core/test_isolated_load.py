import time

import pandas as pd
import pytest

from synthdesk.core import isolated_load
from synthdesk.core.isolated_load import load_table_isolated
from synthdesk.core.pipeline import load_table
from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, ImportFailed


def test_same_table_and_columns_as_reading_here(penguins):
    events = []
    loaded = load_table_isolated(penguins, progress=lambda f, m: events.append(m))
    table, specs = load_table(penguins)
    pd.testing.assert_frame_equal(loaded.table.data, table.data)
    assert loaded.specs == specs and len(loaded.sparks) == len(specs)
    assert loaded.table.source == table.source
    assert events[0].startswith("Reading")


def test_a_table_longer_than_one_slice_comes_back_whole(tmp_path):
    rows = isolated_load.SLICE_ROWS + 1234
    frame = pd.DataFrame({"n": range(rows), "x": [i * 0.5 for i in range(rows)],
                          "c": ["a", "b", None] * (rows // 3) + ["a"] * (rows % 3)})
    path = tmp_path / "long.csv"
    frame.to_csv(path, index=False)
    loaded = load_table_isolated(path)
    pd.testing.assert_frame_equal(loaded.table.data, load_table(path)[0].data)


def test_errors_arrive_as_import_failed(data_dir):
    with pytest.raises(ImportFailed, match="empty"):
        load_table_isolated(data_dir / "empty.csv")


def test_excel_sheet(data_dir):
    loaded = load_table_isolated(data_dir / "two_sheets.xlsx")
    assert loaded.table.source.format == "xlsx"


def test_cancel_stops_the_child(penguins):
    token = CancelToken()
    token.cancel()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        load_table_isolated(penguins, cancel=token)
    assert time.monotonic() - started < 2
