"""Protection of the learned columns: what the generator may not see or give back.

Every count is of distinct subjects (people, see ``synthdesk.privacy.subjects``): a
value on seven invoices of one customer is held by one subject. Without a subject
column, every row is its own subject.

- Rare categories (held by fewer than ``threshold`` subjects) are hidden behind one label.
- A column left mostly behind that label (names, addresses, free text, values tied to
  one person) cannot be learned: it is replaced with made-up values of its kind, and the
  report says why, rather than coming out as the label on every row.
- Numeric and date extremes are pulled in so that no value held by fewer than
  ``threshold`` subjects (the CEO's salary) can be learned and read back.
- Synthetic rows that copy, in every learned column, a real row held by fewer than
  ``threshold`` subjects are replaced. A row that many people share describes a
  group, not a person: new real rows of the same population repeat it too (a fifth of
  the census rows in SynthDesk's benchmark equal another row), so removing every copy
  of it would only bend the table away from its most common rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.rarity import RARE_LABEL, holders, subject_keys
from synthdesk.schema.rows import MIN_ROWS, copied_rows, row_keys

__all__ = ["RARE_LABEL", "MIN_ROWS", "UNLEARNABLE_SHARE", "MOSTLY_OTHER_SHARE", "Protection",
           "protect_training_rows", "rare_rows", "replace_copies", "replace_unlearnable",
           "hidden_columns_note"]

# A learned text column with at least this share of its values hidden is replaced with fakes.
UNLEARNABLE_SHARE = 0.5
# A learned column with at least this share hidden is named in the verdict and the report.
MOSTLY_OTHER_SHARE = 0.2
_MAX_ROUNDS = 5


@dataclass
class Protection:
    """What protection changed, for the report (counts only, never values).

    Attributes:
        rare_categories: Column -> categories hidden (held by fewer than k subjects).
        clipped_columns: Column -> values pulled in from the extremes.
        copies_replaced: Synthetic rows that copied a rare real row, drawn again.
        copies_removed: Such rows that kept coming back, left out.
        replaced_columns: Column -> why it could not be learned and was replaced by fakes.
        other_shares: Column -> share of its learned rows shown as ``(other)`` (those with
            at least :data:`MOSTLY_OTHER_SHARE`).
        leak_guard: Column -> synthetic cells equal to a rare real value (of any column),
            replaced after sampling.
        subject: The column counted as the person each row belongs to (None: each row).
        subjects: Distinct subjects in the rows learned from.

    """

    rare_categories: dict[str, int] = field(default_factory=dict)
    clipped_columns: dict[str, int] = field(default_factory=dict)
    copies_replaced: int = 0
    copies_removed: int = 0
    replaced_columns: dict[str, str] = field(default_factory=dict)
    other_shares: dict[str, float] = field(default_factory=dict)
    leak_guard: dict[str, int] = field(default_factory=dict)
    subject: str | None = None
    subjects: int = 0

    @property
    def rare_categories_protected(self) -> int:
        """How many categories were hidden, over all columns."""
        return sum(self.rare_categories.values())

    @property
    def leak_guard_replaced(self) -> int:
        """Synthetic cells replaced by the leak guard, over all columns."""
        return sum(self.leak_guard.values())

    @property
    def mostly_other(self) -> dict[str, float]:
        """Learned columns with a large share shown as ``(other)``, and that share."""
        return {name: share for name, share in self.other_shares.items()
                if name not in self.replaced_columns}


def protect_training_rows(
    frame: pd.DataFrame, specs: Sequence[ColumnSpec], threshold: int = MIN_ROWS,
    subjects: pd.Series | None = None,
) -> tuple[pd.DataFrame, Protection]:
    """Return the rows a generator may learn from, and what was changed.

    Only learned columns (``synthesize``) are touched; ``consistent`` columns are mapped
    to fakes afterwards, so their categories may stay. ``subjects`` (one label per row of
    ``frame``) makes every count one of distinct subjects; None counts rows.
    A text column left mostly hidden is listed in ``replaced_columns``: pass the result
    to :func:`replace_unlearnable` before fitting.
    """
    out = frame.copy()
    report = Protection()
    if subjects is not None:
        report.subjects = int(subject_keys(frame.index, subjects).nunique())
    else:
        report.subjects = len(frame)
    for spec in specs:
        if spec.name not in out.columns or spec.action is not Action.SYNTHESIZE:
            continue
        column = out[spec.name]
        if spec.kind in (Kind.CATEGORY, Kind.TEXT):
            counts = holders(column, subjects)
            rare = counts[counts < threshold].index
            if len(rare):
                hidden = column.isin(rare)
                out[spec.name] = column.astype("object").where(~hidden, RARE_LABEL)
                report.rare_categories[spec.name] = int(len(rare))
                present = int(column.notna().sum())
                share = float(hidden.sum()) / present if present else 0.0
                if share >= MOSTLY_OTHER_SHARE:
                    report.other_shares[spec.name] = round(share, 4)
                if share >= UNLEARNABLE_SHARE:
                    report.replaced_columns[spec.name] = _unlearnable_reason(share, threshold,
                                                                             subjects)
        elif spec.kind in (Kind.INTEGER, Kind.DECIMAL, Kind.DATE, Kind.DATETIME):
            clipped, changed = _clip(column, threshold, subjects)
            if changed:
                out[spec.name] = clipped
                report.clipped_columns[spec.name] = changed
    return out, report


def replace_unlearnable(specs: Sequence[ColumnSpec], report: Protection) -> list[ColumnSpec]:
    """Return ``specs`` with the columns that cannot be learned set to be replaced by fakes.

    Their reason (in ``report.replaced_columns``) becomes the column's reason, so the
    report's treatment table says why.
    """
    out = []
    for spec in specs:
        why = report.replaced_columns.get(spec.name)
        if why is not None and spec.action is Action.SYNTHESIZE:
            spec = spec.with_changes(action=Action.FAKE, reason=why)
        out.append(spec)
    return out


def hidden_columns_note(report: Protection | None) -> str:
    """One or two sentences naming the columns a run replaced or learned mostly as '(other)'.

    "" when there are none; the Columns page shows it after a run.
    """
    if report is None:
        return ""
    parts = []
    if report.replaced_columns:
        parts.append("Replaced with made-up values because most of their values are each held "
                     "by too few people to learn: " + ", ".join(report.replaced_columns) + ".")
    if report.mostly_other:
        listed = ", ".join(f"{name} ({share:.0%})" for name, share in report.mostly_other.items())
        parts.append(f"Learned with many values as '{RARE_LABEL}': {listed}.")
    return ("Last run: " + " ".join(parts)) if parts else ""


def _unlearnable_reason(share: float, threshold: int, subjects: pd.Series | None) -> str:
    who = "people" if subjects is not None else "rows"
    return (f"{share:.0%} of its values are each held by fewer than {threshold} {who}, so it "
            "cannot be learned without copying them: replaced with made-up values")


def replace_copies(
    synthetic: pd.DataFrame,
    real: pd.DataFrame,
    columns: Sequence[str],
    draw: Callable[[int, int], pd.DataFrame],
    report: Protection,
    threshold: int = MIN_ROWS,
    subjects: pd.Series | None = None,
) -> pd.DataFrame:
    """Replace synthetic rows that equal a rare real row on ``columns`` with fresh draws.

    Args:
        synthetic: Generated rows.
        real: The rows the generator learned from.
        columns: The learned columns to compare.
        draw: ``draw(rows, round)`` returns that many new rows (a different seed each round).
        report: Updated with how many rows were replaced, and removed when no fresh row
            could be drawn.
        threshold: A real row held (in every compared column) by at least this many
            subjects may be repeated; a copy of any rarer row is replaced.
        subjects: One subject label per row of ``real`` (None: each row is a subject).

    """
    if not columns:
        return synthetic
    columns = list(columns)
    rare = rare_rows(real[columns], threshold, subjects)
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


def rare_rows(frame: pd.DataFrame, threshold: int = MIN_ROWS,
              subjects: pd.Series | None = None) -> pd.DataFrame:
    """The rows of ``frame`` held by fewer than ``threshold`` subjects (missing equals missing)."""
    if frame.empty or threshold <= 1:
        return frame.iloc[:0] if threshold <= 1 else frame
    keys = pd.Series(row_keys(frame), index=frame.index)
    sizes = keys.map(holders(keys, subjects))
    return frame[(sizes < threshold).to_numpy()]


def _clip(column: pd.Series, threshold: int,
          subjects: pd.Series | None = None) -> tuple[pd.Series, int]:
    """Pull in values beyond the ``threshold``-th subject from each end.

    Each subject counts with its lowest value at the bottom and its highest at the top,
    so the kept range's ends are each reached by at least ``threshold`` subjects.
    """
    present = column.dropna()
    if subjects is None:  # every row its own subject
        lows = highs = present.sort_values()
    else:
        keys = subject_keys(present.index, subjects).to_numpy()
        lows = present.groupby(keys).min().sort_values()
        highs = present.groupby(keys).max().sort_values()
    if len(lows) < threshold * 4:
        return column, 0
    low, high = lows.iloc[threshold - 1], highs.iloc[-threshold]
    outside = int(((present < low) | (present > high)).sum())
    if not outside:
        return column, 0
    return column.clip(lower=low, upper=high), outside
