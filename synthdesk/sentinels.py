"""Codes that legacy systems and surveys write for "unknown": 9, 99, 999, -1...

Both reading (a notice, ``--sentinels-missing``) and the column kinds (the evidence says
so) need to know them, so the rule is stated here, below both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["find_sentinels"]

# Values that legacy systems and surveys write for "unknown", "refused", "not measured".
_SENTINELS = (9, 99, 999, 9999, 99999, -1, -9, -99, -999, -9999, 98, 998, 9998, 88, 888)


def find_sentinels(present: np.ndarray) -> list[tuple[float, int]]:
    """Codes for "unknown" among numbers, repeated and far outside the other values.

    A candidate (9, 99, 999..., -1, -9, -99...) counts when it appears at least twice
    and lies far beyond the range of the rest: above three times their largest value
    (and above it by more than their spread), or negative where the rest never is.

    Args:
        present: The column's values, missing left out.

    Returns:
        ``(value, count)`` for each such value, most frequent first.

    """
    values = np.asarray(present, dtype="float64")
    if values.size < 10:
        return []
    candidates = np.isin(values, _SENTINELS)
    if not candidates.any():
        return []
    codes, counts = np.unique(values[candidates], return_counts=True)
    found = []
    for code, hits in zip(codes.tolist(), counts.tolist(), strict=True):
        if hits < 2:
            continue
        rest = values[values != code]
        others = [c for c in _SENTINELS if c != code]
        rest = rest[~np.isin(rest, others)] if rest.size else rest
        if rest.size < 5 or len(np.unique(rest)) < 3:
            continue
        low, high = float(rest.min()), float(rest.max())
        spread = high - low
        if code > 0 and high > 0 and code > 3 * high and code - high > spread:
            found.append((float(code), hits))
        elif code < 0 and low >= 0 and spread > 2 * abs(code):
            found.append((float(code), hits))
    return sorted(found, key=lambda item: -item[1])
