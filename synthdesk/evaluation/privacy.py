"""How safe the synthetic table is: checks that need no model."""

from __future__ import annotations

import pandas as pd

__all__ = ["exact_copy_share"]


def exact_copy_share(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Share of synthetic rows identical, in every compared column, to some real row.

    Both tables are compared on the columns they share; missing equals missing.
    """
    columns = [c for c in synthetic.columns if c in real.columns]
    if synthetic.empty or not columns:
        return 0.0
    real_keys = _row_keys(real[columns])
    synth_keys = _row_keys(synthetic[columns])
    return round(float(synth_keys.isin(set(real_keys)).mean()), 4)


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    # Compare as text, numbers as floats, so that 3 and 3.0 hash alike.
    as_text = pd.DataFrame({
        name: (col.astype("float64") if pd.api.types.is_numeric_dtype(col) else col)
        .astype("string").fillna("\x00<NA>")
        for name, col in frame.items()
    })
    return pd.util.hash_pandas_object(as_text, index=False)
