"""One definition of equal rows, on every kind of column SynthDesk reads."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from synthdesk.evaluation.privacy import copied_rows, exact_copy_share
from synthdesk.io.readers import read_table
from synthdesk.privacy.protection import rare_rows
from synthdesk.schema.rows import row_keys


def _equal(left, right) -> list[bool]:
    """Cell by cell, whether two one-column frames' rows are equal."""
    return list(row_keys(pd.DataFrame({"x": left})) == row_keys(pd.DataFrame({"x": right})))


def test_keys_are_one_uint64_per_row():
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    keys = row_keys(frame)
    assert keys.dtype == np.uint64 and keys.shape == (3,)
    assert len(set(keys)) == 3


def test_numbers_compare_as_floats_whatever_their_dtype():
    ints = pd.Series([3, 0, -7], dtype="int64")
    assert _equal(ints, pd.Series([3.0, -0.0, -7.0])) == [True, True, True]
    assert _equal(ints, pd.Series([3, 0, -7], dtype="Int8")) == [True, True, True]
    assert _equal(ints, pd.Series([np.int16(3), 0.0, -7], dtype=object)) == [True, True, True]
    assert _equal(ints, pd.Series([4, 1, 7])) == [False, False, False]


def test_booleans_compare_as_booleans_in_any_dtype():
    bools = pd.Series([True, False, True])
    assert _equal(bools, pd.Series([True, False, True], dtype=object)) == [True] * 3
    assert _equal(bools, pd.Series([True, False, True], dtype="boolean")) == [True] * 3
    assert _equal(bools, pd.Series([np.bool_(True), np.bool_(False), True], dtype=object)) \
        == [True] * 3
    # A boolean is neither a number nor text.
    assert _equal(bools, pd.Series([1, 0, 1])) == [False] * 3
    assert _equal(bools, pd.Series([1, 0, 1], dtype=object)) == [False] * 3
    assert _equal(bools, pd.Series(["True", "False", "True"])) == [False] * 3


def test_missing_equals_missing_and_nothing_else():
    missing = pd.Series([None, np.nan, pd.NA, pd.NaT], dtype=object)
    assert _equal(missing, pd.Series([np.nan, None, None, None], dtype=object)) == [True] * 4
    assert _equal(pd.Series([np.nan, 1.0]), pd.Series([None, 1], dtype="Int64")) == [True] * 2
    assert _equal(pd.Series([np.nan]), pd.Series(["nan"])) == [False]
    assert _equal(pd.Series([np.nan]), pd.Series([0.0])) == [False]
    assert _equal(pd.Series([None], dtype=object), pd.Series([""])) == [False]
    assert _equal(pd.Series([pd.NaT]), pd.Series([pd.Timestamp(0)])) == [False]


def test_dates_compare_as_instants():
    stamps = pd.Series(pd.to_datetime(["2024-03-01 00:00", "2024-03-01 12:30", None]))
    same = pd.Series([dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 12, 30), None], dtype=object)
    assert _equal(stamps, same) == [True, True, True]
    assert _equal(stamps, pd.Series([np.datetime64("2024-03-01"),
                                     np.datetime64("2024-03-01T12:30"), pd.NaT])) == [True] * 3
    zoned = pd.Series(pd.to_datetime(["2024-03-01 01:00", "2024-03-01 13:30", None])
                      .tz_localize("Europe/Paris"))
    assert _equal(stamps, zoned) == [True, True, True]
    assert _equal(stamps, pd.Series(["2024-03-01", "2024-03-01 12:30", None])) \
        == [False, False, True]  # text that looks like a date is text
    assert _equal(stamps[:1], pd.Series(pd.to_datetime(["2024-03-02"]))) == [False]


def test_text_compares_as_text():
    text = pd.Series(["Ann", "ann", " Ann", "3"])
    assert _equal(text, pd.Series(["Ann", "ann", " Ann", "3"], dtype="string")) == [True] * 4
    assert _equal(text, pd.Series(["Ann", "ann", " Ann", "3"], dtype="category")) == [True] * 4
    assert _equal(text, pd.Series(["ann", "Ann", "Ann", 3], dtype=object)) == [False] * 4


def test_mixed_columns_sort_each_cell_into_its_kind():
    mixed = pd.Series([3, "3", True, None, dt.date(2020, 1, 2), 2.5], dtype=object)
    again = pd.Series([3.0, "3", np.bool_(True), np.nan, pd.Timestamp("2020-01-02"), 2.5],
                      dtype=object)
    assert _equal(mixed, again) == [True] * 6
    keys = row_keys(pd.DataFrame({"x": mixed}))
    assert len(set(keys)) == 6  # 3, "3", True, missing, a date and 2.5 all differ
    assert _equal(pd.Series([1], dtype=object), pd.Series([True], dtype=object)) == [False]


def test_rows_are_equal_only_when_every_column_is():
    real = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "x"]})
    keys = row_keys(real)
    assert keys[0] != keys[1] and keys[0] != keys[2]
    assert row_keys(real)[0] == row_keys(pd.DataFrame({"a": [1.0], "b": ["x"]}))[0]
    # Swapping values between columns makes another row.
    assert row_keys(pd.DataFrame({"a": ["x"], "b": [1]}))[0] != \
        row_keys(pd.DataFrame({"a": [1], "b": ["x"]}))[0]
    assert len(row_keys(real.iloc[:, :0])) == 3


def test_every_column_kind_of_a_real_file(tmp_path):
    """A table as the reader gives it equals itself rebuilt cell by cell as Python objects."""
    path = tmp_path / "kinds.csv"
    path.write_text(
        "id,age,income,member,city,joined,seen,note,blank\n"
        "A1,34,1200.5,true,Lyon,2021-03-04,2021-03-04 10:00:00,hello,\n"
        "A2,,980.0,false,Paris,2020-12-31,,,\n"
        "A3,34,1200.5,true,Lyon,2021-03-04,2021-03-04 10:00:00,hello,\n"
    )
    data = read_table(path).data
    as_objects = pd.DataFrame({name: pd.Series(list(column), dtype=object)
                               for name, column in data.items()})
    assert list(row_keys(data)) == list(row_keys(as_objects))
    keys = row_keys(data.drop(columns="id"))
    assert keys[0] == keys[2] and keys[0] != keys[1]
    assert exact_copy_share(data, as_objects) == 1.0


def test_copied_rows_sees_copies_in_a_true_false_column():
    """Regression: a true/false column once made equal rows look different to copied_rows
    (a bool column was compared as 1.0, an object one as "True"), while the tree
    generator's own check matched them."""
    real = pd.DataFrame({"member": [True, False, True], "age": [30, 40, 50]})
    synthetic = pd.DataFrame({"member": pd.Series([True, False, None], dtype=object),
                              "age": [30.0, 41.0, 50.0]})
    assert list(copied_rows(real, synthetic)) == [True, False, False]
    assert exact_copy_share(real, synthetic) == pytest.approx(1 / 3, abs=1e-4)
    # The protection's rare rows use the same equality.
    doubled = pd.concat([real, synthetic.astype({"age": "int64"}, errors="ignore")],
                        ignore_index=True)
    assert len(rare_rows(doubled, threshold=2)) == 4  # (True, 30) is held by two rows


def test_copied_rows_keeps_the_synthetic_index():
    real = pd.DataFrame({"a": [1, 2]})
    synthetic = pd.DataFrame({"a": [2, 3]}, index=[10, 11])
    copies = copied_rows(real, synthetic)
    assert list(copies.index) == [10, 11] and list(copies) == [True, False]
    assert not copied_rows(real, pd.DataFrame({"b": [1]})).any()
