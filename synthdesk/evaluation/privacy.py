"""How safe the synthetic table is: checks that need no model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthdesk.schema.rows import row_keys

__all__ = ["exact_copy_share", "copied_rows"]


def exact_copy_share(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Share of synthetic rows identical, in every compared column, to some real row.

    Both tables are compared on the columns they share; missing equals missing.
    """
    if synthetic.empty:
        return 0.0
    return round(float(copied_rows(real, synthetic).mean()), 4)


def copied_rows(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.Series:
    """True for each synthetic row identical to some real row on the columns both share.

    Equality is :func:`synthdesk.schema.rows.row_keys`'s: numbers as floats, booleans as
    booleans, dates as instants, text as text, missing equals missing.
    """
    columns = [c for c in synthetic.columns if c in real.columns]
    if not columns:
        return pd.Series(False, index=synthetic.index)
    found = np.isin(row_keys(synthetic[columns]), row_keys(real[columns]))
    return pd.Series(found, index=synthetic.index)
