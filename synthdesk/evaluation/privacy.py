"""How safe the synthetic table is: checks that need no model."""

from __future__ import annotations

import pandas as pd

__all__ = ["exact_copy_share", "copied_rows"]


def exact_copy_share(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Share of synthetic rows identical, in every compared column, to some real row.

    Both tables are compared on the columns they share; missing equals missing.
    """
    if synthetic.empty:
        return 0.0
    return round(float(copied_rows(real, synthetic).mean()), 4)


def copied_rows(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.Series:
    """True for each synthetic row identical to some real row on the columns both share."""
    columns = [c for c in synthetic.columns if c in real.columns]
    if not columns:
        return pd.Series(False, index=synthetic.index)
    real_keys = set(_row_keys(real[columns]))
    return _row_keys(synthetic[columns]).isin(real_keys)


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    # Compare as text, numbers as floats, so that 3 and 3.0 hash alike.
    as_text = pd.DataFrame({
        name: (col.astype("float64") if pd.api.types.is_numeric_dtype(col) else col)
        .astype("string").fillna("\x00<NA>")
        for name, col in frame.items()
    })
    return pd.util.hash_pandas_object(as_text, index=False)
