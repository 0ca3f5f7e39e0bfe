"""Protection of the learned columns: what the generator may not see or give back.

- Rare categories (fewer than ``threshold`` real rows) are hidden behind one label.
- Numeric and date extremes are pulled in so that no value held by fewer than
  ``threshold`` rows (the CEO's salary) can be learned and read back.
- Synthetic rows that copy, in every learned column, a real row held by fewer than
  ``threshold`` real rows are replaced. A row that many real rows share describes a
  group, not a person: new real rows of the same population repeat it too (a fifth of
  the census rows in SynthDesk's benchmark equal another row), so removing every copy
  of it would only bend the table away from its most common rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.rows import MIN_ROWS, copied_rows, row_keys

__all__ = ["RARE_LABEL", "MIN_ROWS", "Protection", "protect_training_rows", "rare_rows",
           "replace_copies"]

RARE_LABEL = "(other)"
_MAX_ROUNDS = 5


@dataclass
class Protection:
    """What protection changed, for the report (counts only, never values)."""

    rare_categories: dict[str, int] = field(default_factory=dict)
    clipped_columns: dict[str, int] = field(default_factory=dict)
    copies_replaced: int = 0
    copies_removed: int = 0

    @property
    def rare_categories_protected(self) -> int:
        """How many categories were hidden, over all columns."""
        return sum(self.rare_categories.values())


def protect_training_rows(
    frame: pd.DataFrame, specs: Sequence[ColumnSpec], threshold: int = MIN_ROWS
) -> tuple[pd.DataFrame, Protection]:
    """Return the rows a generator may learn from, and what was changed.

    Only learned columns (``synthesize``) are touched; ``consistent`` columns are mapped
    to fakes afterwards, so their categories may stay.
    """
    out = frame.copy()
    report = Protection()
    for spec in specs:
        if spec.name not in out.columns or spec.action is not Action.SYNTHESIZE:
            continue
        column = out[spec.name]
        if spec.kind in (Kind.CATEGORY, Kind.TEXT):
            counts = column.value_counts()
            rare = counts[counts < threshold].index
            if len(rare):
                out[spec.name] = column.astype("object").where(~column.isin(rare), RARE_LABEL)
                report.rare_categories[spec.name] = int(len(rare))
        elif spec.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.DATE, Kind.DATETIME):
            clipped, changed = _clip(column, threshold)
            if changed:
                out[spec.name] = clipped
                report.clipped_columns[spec.name] = changed
    return out, report


def replace_copies(
    synthetic: pd.DataFrame,
    real: pd.DataFrame,
    columns: Sequence[str],
    draw: Callable[[int, int], pd.DataFrame],
    report: Protection,
    threshold: int = MIN_ROWS,
) -> pd.DataFrame:
    """Replace synthetic rows that equal a rare real row on ``columns`` with fresh draws.

    Args:
        synthetic: Generated rows.
        real: The rows the generator learned from.
        columns: The learned columns to compare.
        draw: ``draw(rows, round)`` returns that many new rows (a different seed each round).
        report: Updated with how many rows were replaced, and removed when no fresh row
            could be drawn.
        threshold: A real row held (in every compared column) by at least this many real
            rows may be repeated; a copy of any rarer row is replaced.

    """
    if not columns:
        return synthetic
    columns = list(columns)
    rare = rare_rows(real[columns], threshold)
    out = synthetic.reset_index(drop=True)
    if rare.empty:
        return out
    for attempt in range(1, _MAX_ROUNDS + 1):
        copies = copied_rows(rare, out[columns])
        if not copies.any():
            return out
        report.copies_replaced += int(copies.sum())
        fresh = draw(int(copies.sum()), attempt).reset_index(drop=True)
        kept = out[~copies]
        out = pd.concat([kept, fresh[out.columns]], ignore_index=True)
    copies = copied_rows(rare, out[columns])
    report.copies_removed = int(copies.sum())
    return out[~copies].reset_index(drop=True)


def rare_rows(frame: pd.DataFrame, threshold: int = MIN_ROWS) -> pd.DataFrame:
    """The rows of ``frame`` that fewer than ``threshold`` rows equal (missing equals missing)."""
    if frame.empty or threshold <= 1:
        return frame.iloc[:0] if threshold <= 1 else frame
    keys = pd.Series(row_keys(frame))
    sizes = keys.map(keys.value_counts())
    return frame[(sizes < threshold).to_numpy()]


def _clip(column: pd.Series, threshold: int) -> tuple[pd.Series, int]:
    present = column.dropna()
    if len(present) < threshold * 4:
        return column, 0
    ordered = present.sort_values()
    low, high = ordered.iloc[threshold - 1], ordered.iloc[-threshold]
    outside = int(((present < low) | (present > high)).sum())
    if not outside:
        return column, 0
    return column.clip(lower=low, upper=high), outside
