"""How safe the synthetic table is: checks that need no model."""

from __future__ import annotations

import pandas as pd

from synthdesk.schema.rows import copied_rows

__all__ = ["exact_copy_share", "copied_rows"]


def exact_copy_share(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Share of synthetic rows identical, in every compared column, to some real row.

    Both tables are compared on the columns they share, by
    :func:`synthdesk.schema.rows.copied_rows` (the one row equality): numbers as floats,
    booleans as booleans, dates as instants, text as text, missing equals missing.
    """
    if synthetic.empty:
        return 0.0
    return round(float(copied_rows(real, synthetic).mean()), 4)
