"""When two rows are equal: the one definition every copy check and reported figure uses.

Two cells are equal when they hold the same value of the same kind, whatever the column's
dtype says:

- numbers compare as floats, so 3, 3.0 and ``numpy.int8(3)`` are equal (and -0.0 equals 0.0);
- booleans compare as booleans, so ``True`` in a ``bool`` column equals ``True`` in an
  ``object`` column, but never equals 1 or the text "True";
- dates and times compare as instants: a ``Timestamp``, a ``datetime``, a
  ``numpy.datetime64`` and a ``date`` (midnight) at the same moment are equal, and a time
  with a zone equals the same instant in UTC;
- text compares as text (case and spaces count);
- missing (None, NaN, NaT, ``pd.NA``) equals missing and nothing else.

:func:`row_keys` turns each row into one 64-bit key: equal rows get equal keys, and
different rows different keys but for a chance of about one in 2**64 per pair.
"""

from __future__ import annotations

import datetime as dt
import numbers

import numpy as np
import pandas as pd

__all__ = ["row_keys", "copied_rows", "among", "MIN_ROWS"]

# A row held by at least this many real rows describes a group, not a person: copies of it
# may stay (see :func:`synthdesk.privacy.protection.replace_copies`); rarer rows may not.
MIN_ROWS = 5

# One tag per kind of value, so that equal bits of different kinds never collide.
_MISSING, _BOOLEAN, _NUMBER, _INSTANT, _TEXT = (np.uint64(t) for t in (
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
    0x85EBCA77C2B2AE63))
_MIX = np.uint64(0xFF51AFD7ED558CCD)
_STEP = np.uint64(1_000_003)


def row_keys(frame: pd.DataFrame) -> np.ndarray:
    """One ``uint64`` key per row of ``frame``, equal for rows equal in every column.

    The columns are compared in ``frame``'s order; their names and the index do not count.
    A frame with no columns gives every row the same key.
    """
    keys = np.full(len(frame), np.uint64(len(frame.columns)), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position in range(frame.shape[1]):
            keys = keys * _STEP ^ _cell_keys(frame.iloc[:, position])
    return keys


def copied_rows(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.Series:
    """True for each synthetic row identical to some real row on the columns both share."""
    columns = [c for c in synthetic.columns if c in real.columns]
    if not columns:
        return pd.Series(False, index=synthetic.index)
    found = among(row_keys(synthetic[columns]), np.unique(row_keys(real[columns])))
    return pd.Series(found, index=synthetic.index)


def among(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """True for each of ``keys`` found in ``sorted_keys`` (sorted, as ``np.unique`` gives).

    A binary search per key: checking many small blocks against one large set of rows
    costs the blocks' size, not the set's (``np.isin`` sorts both every call).
    """
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def _cell_keys(column: pd.Series) -> np.ndarray:
    """One key per cell of ``column``, by the rules of this module."""
    missing = column.isna().to_numpy()
    if isinstance(column.dtype, pd.CategoricalDtype):
        return _object_keys(column.astype(object).to_numpy(), missing)
    if pd.api.types.is_bool_dtype(column):
        values = column.to_numpy(dtype=bool, na_value=False)
        return _where_missing(_tagged(values.astype(np.uint64), _BOOLEAN), missing)
    if pd.api.types.is_datetime64_any_dtype(column):
        return _where_missing(_tagged(_instants(column), _INSTANT), missing)
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_complex_dtype(column):
        values = column.to_numpy(dtype="float64", na_value=np.nan) + 0.0  # -0.0 -> 0.0
        return _where_missing(_tagged(values, _NUMBER), missing)
    return _object_keys(column.to_numpy(dtype=object), missing)


def _object_keys(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Keys of a column that may mix kinds: each cell is sorted into its kind first."""
    out = np.full(len(values), _MISSING, dtype=np.uint64)
    if pd.api.types.infer_dtype(values, skipna=True) == "string":  # all text: no sorting
        present = ~missing
        if present.any():
            out[present] = _tagged(values[present], _TEXT)
        return out
    kinds = np.fromiter((_kind(v) for v in values), dtype=np.int8, count=len(values))
    kinds[missing] = 0
    for kind, tag in ((1, _BOOLEAN), (2, _NUMBER), (3, _INSTANT), (4, _TEXT)):
        where = kinds == kind
        if not where.any():
            continue
        part = values[where]
        if kind == 1:
            canonical = np.array([bool(v) for v in part], dtype=np.uint64)
        elif kind == 2:
            canonical = np.array([float(v) for v in part], dtype="float64") + 0.0
        elif kind == 3:
            canonical = _instants(pd.Series([_as_timestamp(v) for v in part], dtype=object))
        else:
            canonical = np.array([str(v) for v in part], dtype=object)
        out[where] = _tagged(canonical, tag)
    return out


def _kind(value) -> int:
    if value is None or value is pd.NA or value is pd.NaT:
        return 0
    if isinstance(value, bool | np.bool_):
        return 1
    if isinstance(value, numbers.Number) and not isinstance(value, complex):
        return 0 if value != value else 2  # NaN is missing
    if isinstance(value, dt.date | np.datetime64):
        return 0 if pd.isna(value) else 3
    return 4


def _as_timestamp(value) -> pd.Timestamp:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return pd.Timestamp(value.year, value.month, value.day)
    return pd.Timestamp(value)


def _instants(column: pd.Series) -> np.ndarray:
    """Nanoseconds since 1970 (UTC for times with a zone); missing cells give any value."""
    if column.dtype == object:
        # Times with and without a zone may mix: each becomes a UTC instant on its own.
        column = pd.Series([_utc_naive(v) for v in column], dtype="datetime64[ns]")
    elif getattr(column.dt, "tz", None) is not None:
        column = column.dt.tz_convert(None)
    return column.to_numpy(dtype="datetime64[ns]").astype("int64")


def _utc_naive(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_convert(None) if stamp.tzinfo is not None else stamp


def _tagged(values: np.ndarray, tag: np.uint64) -> np.ndarray:
    hashed = pd.util.hash_array(values, categorize=values.dtype == object)
    with np.errstate(over="ignore"):
        return (hashed ^ tag) * _MIX


def _where_missing(keys: np.ndarray, missing: np.ndarray) -> np.ndarray:
    if missing.any():
        keys = keys.copy()
        keys[missing] = _MISSING
    return keys
