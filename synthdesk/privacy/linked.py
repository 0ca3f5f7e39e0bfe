"""Fakes that stay consistent between a parent and its children.

An invoice's billing address is its customer's address when the real data has them
equal. After each table's own fakes are filled in (a column with one value per parent,
such as the customer's name on each invoice, already gets one fake per synthetic parent:
``apply_treatments(..., subject=KEY)``), a replaced child column that *mirrors* a parent
column, holding the parent's value on nearly every real child row, takes its synthetic
parent's value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from synthdesk.privacy.leaks import PROTECTED_ACTIONS
from synthdesk.schema.columns import Action, ColumnSpec

__all__ = ["link_fakes", "MIRROR_SHARE"]

# A child column mirrors a parent column, or holds one value per parent, when this share
# of the real rows (or parents) agree.
MIRROR_SHARE = 0.95
_MIN_ROWS = 5


def link_fakes(child_out: pd.DataFrame, child_real: pd.DataFrame,
               child_specs: Sequence[ColumnSpec], child_parents: np.ndarray,
               parent_out: pd.DataFrame, parent_real: pd.DataFrame, links: np.ndarray,
               skip: Sequence[str] = ()) -> tuple[pd.DataFrame, dict[str, str]]:
    """Give each replaced child column that mirrors a parent column its parent's value.

    Args:
        child_out: The synthetic child rows, with their own fakes filled in.
        child_real: The real child rows (read only).
        child_specs: The child's columns.
        child_parents: For each real child row, the position of its real parent in
            ``parent_real`` (-1: an orphan).
        parent_out: The synthetic parents, fakes filled in.
        parent_real: The real parents.
        links: For each synthetic child row, the position of its parent in ``parent_out``.
        skip: Columns to leave alone (the key).

    Returns:
        The child rows, and column -> how it was linked (``"same as PARENT_COLUMN"``).

    """
    out = child_out.copy()
    how: dict[str, str] = {}
    linked = np.asarray(child_parents) >= 0
    if not linked.any() or not len(out):
        return out, how
    real_rows = child_real[linked]
    owners = np.asarray(child_parents)[linked]
    links = np.asarray(links)
    for spec in child_specs:
        if spec.action not in PROTECTED_ACTIONS or spec.action is Action.DROP or \
                spec.name in skip or spec.name not in out.columns:
            continue
        values = _text(real_rows[spec.name])
        mirror = _mirrored(values, parent_real, owners)
        if mirror is not None and mirror in parent_out.columns:
            out[spec.name] = parent_out[mirror].iloc[links].to_numpy()
            how[spec.name] = f"same as {mirror}"
    return out, how


def _mirrored(values: pd.Series, parent_real: pd.DataFrame, owners: np.ndarray) -> str | None:
    present = values.notna().to_numpy()
    if present.sum() < _MIN_ROWS:
        return None
    for name in parent_real.columns:
        theirs = _text(parent_real[name]).to_numpy()[owners]
        both = present & pd.notna(theirs)
        if both.sum() < _MIN_ROWS:
            continue
        if (values.to_numpy()[both] == theirs[both]).mean() >= MIRROR_SHARE:
            return name
    return None


def _text(column: pd.Series) -> pd.Series:
    text = column.astype("string").str.strip().str.casefold()
    return text.astype(object).where(text.notna(), None)
