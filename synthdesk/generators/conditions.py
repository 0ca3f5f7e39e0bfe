"""What the user asks of the generated rows: fixed values, ranges, the share of a group.

- :class:`Condition`: ``COL=VALUE`` (every row holds VALUE) or ``COL=LOW..HIGH`` (every
  row's number or date lies in the range, both ends included).
- :class:`Rebalance`: ``COL`` (every value of COL gets an equal share of the rows) or
  ``COL=VALUE:SHARE`` (VALUE gets SHARE of the rows; the other values share the rest in
  their real proportions).

Generators that can honour them exactly (the decision trees: the conditioned columns are
learned first, so every other column is drawn given them) take a :class:`RowConditions`:
per-row fixed values and ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice

__all__ = [
    "Condition", "Rebalance", "RowConditions", "parse_condition", "parse_rebalance",
    "rebalanced_counts", "row_conditions", "augmented_table", "ROW_MARK",
]

# The column an augmented table gains: which rows are real and which synthetic.
ROW_MARK = "synthdesk_row"


@dataclass(frozen=True)
class Condition:
    """One fixed value or range.

    Attributes:
        column: The column it applies to.
        value: The value every row holds (as text, matched against the column's values),
            or None for a range.
        low: Lower end of a range, as written (a number or a date), or None.
        high: Upper end of a range, as written, or None.

    """

    column: str
    value: str | None = None
    low: str | None = None
    high: str | None = None

    @property
    def is_range(self) -> bool:
        """Whether this is a range rather than one value."""
        return self.value is None

    def describe(self) -> str:
        """The condition as the user wrote it."""
        if not self.is_range:
            return f"{self.column}={self.value}"
        return f"{self.column}={self.low or ''}..{self.high or ''}"


@dataclass(frozen=True)
class Rebalance:
    """The share each value of one column should have in the output.

    Attributes:
        column: A category or yes/no column.
        shares: ``(value, share)`` pairs; empty means equal shares for every value.

    """

    column: str
    shares: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class RowConditions:
    """Conditions for each generated row.

    Attributes:
        fixed: Column -> one value per row (in the column's own type).
        ranges: Column -> ``(low, high)`` in the column's own type (numbers, or
            timestamps for dates); None at either end means open.

    """

    fixed: dict[str, np.ndarray] = field(default_factory=dict)
    ranges: dict[str, tuple] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Every column that is conditioned, fixed ones first."""
        return list(self.fixed) + [c for c in self.ranges if c not in self.fixed]

    def rows(self, start: int, stop: int) -> RowConditions:
        """The conditions of rows ``start`` to ``stop``."""
        return RowConditions({name: values[start:stop] for name, values in self.fixed.items()},
                             dict(self.ranges))

    def take(self, positions: np.ndarray) -> RowConditions:
        """The conditions of the rows at ``positions``."""
        return RowConditions({name: values[positions] for name, values in self.fixed.items()},
                             dict(self.ranges))

    def satisfied(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows of ``frame`` meet every range (fixed values are set, not checked)."""
        ok = np.ones(len(frame), dtype=bool)
        for name, (low, high) in self.ranges.items():
            values = frame[name]
            inside = values.notna().to_numpy()
            if low is not None:
                inside &= (values >= low).fillna(False).to_numpy()
            if high is not None:
                inside &= (values <= high).fillna(False).to_numpy()
            ok &= inside
        return ok


def parse_condition(text: str) -> Condition:
    """Parse ``COL=VALUE`` or ``COL=LOW..HIGH`` (either end may be left out).

    Raises:
        InvalidChoice: The text is not in one of these forms.

    """
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise InvalidChoice(f"{text!r}: write COLUMN=VALUE, or COLUMN=LOW..HIGH for a range.")
    name, value = name.strip(), value.strip()
    if ".." in value:
        low, _, high = value.partition("..")
        if not low.strip() and not high.strip():
            raise InvalidChoice(f"{text!r}: a range needs at least one end (LOW..HIGH).")
        return Condition(name, None, low.strip() or None, high.strip() or None)
    return Condition(name, value)


def parse_rebalance(texts: Sequence[str]) -> Rebalance | None:
    """Parse ``--rebalance`` options: ``COL`` once, or ``COL=VALUE:SHARE`` (repeatable).

    A share is a fraction (0.5) or a percentage (50%).

    Raises:
        InvalidChoice: The options name several columns, or a share is not in (0, 1).

    """
    if not texts:
        return None
    columns, shares = set(), []
    for text in texts:
        name, sep, rest = text.partition("=")
        name = name.strip()
        if not name:
            raise InvalidChoice(f"{text!r}: write COLUMN, or COLUMN=VALUE:SHARE.")
        columns.add(name)
        if not sep:
            continue
        value, colon, share = rest.rpartition(":")
        if not colon or not value.strip():
            raise InvalidChoice(f"{text!r}: write COLUMN=VALUE:SHARE, e.g. fraud=yes:0.5.")
        shares.append((value.strip(), _share(share, text)))
    if len(columns) > 1:
        raise InvalidChoice("Rebalance one column at a time: "
                            f"{', '.join(sorted(columns))} were named.")
    if sum(s for _, s in shares) > 1 + 1e-9:
        raise InvalidChoice("The shares asked for add up to more than 100%.")
    return Rebalance(columns.pop(), tuple(shares))


def _share(text: str, whole: str) -> float:
    text = text.strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InvalidChoice(f"{whole!r}: {text!r} is not a share (write 0.5 or 50%).") from None
    if not 0 < value <= 1:
        raise InvalidChoice(f"{whole!r}: a share must be more than 0 and at most 1 (100%).")
    return value


def rebalanced_counts(rebalance: Rebalance, column: pd.Series, rows: int) -> dict:
    """How many of ``rows`` generated rows get each value of ``column``.

    Values named in ``rebalance.shares`` get their share; the others share the rest in
    their real proportions (equally, when no share is named). The counts add up to
    ``rows``.

    Raises:
        InvalidChoice: A named value never occurs in the column.

    """
    counts = column.dropna().value_counts()
    by_text = {str(value): value for value in counts.index}
    wanted: dict = {}
    for text, share in rebalance.shares:
        if text not in by_text:
            known = ", ".join(list(by_text)[:8])
            raise InvalidChoice(f"{rebalance.column!r} never holds {text!r}; its values are: "
                                f"{known}.")
        wanted[by_text[text]] = share
    rest = [value for value in counts.index if value not in wanted]
    if not rebalance.shares:
        shares = {value: 1 / len(counts) for value in counts.index}
    else:
        left = max(0.0, 1 - sum(wanted.values()))
        total = float(counts[rest].sum()) if rest else 0.0
        shares = dict(wanted)
        for value in rest:
            shares[value] = left * float(counts[value]) / total if total else 0.0
    raw = {value: share * rows for value, share in shares.items()}
    out = {value: int(np.floor(n)) for value, n in raw.items()}
    # Hand the rows lost to rounding to the largest remainders.
    for value in sorted(raw, key=lambda v: raw[v] - out[v], reverse=True)[:rows - sum(
            out.values())]:
        out[value] += 1
    return {value: n for value, n in out.items() if n}


def row_conditions(conditions: Sequence[Condition], rebalance: Rebalance | None,
                   real: pd.DataFrame, rows: int, seed: int) -> RowConditions | None:
    """Turn the user's conditions into per-row conditions for ``rows`` rows of ``real``'s columns.

    Values are matched as the column holds them (text as written, numbers and dates
    parsed); the rebalanced column's values are shuffled over the rows.

    Raises:
        InvalidChoice: A column is unknown, a value never occurs, a range is empty or
            cannot be read in the column's kind.

    """
    if not conditions and rebalance is None:
        return None
    fixed: dict[str, np.ndarray] = {}
    ranges: dict[str, tuple] = {}
    rng = np.random.default_rng([seed, 1_000_003])
    for condition in conditions:
        column = _column(real, condition.column)
        if condition.is_range:
            low, high = (_parse_end(column, end, condition) for end in
                         (condition.low, condition.high))
            if low is not None and high is not None and low > high:
                raise InvalidChoice(f"{condition.describe()}: the range is empty (its low end "
                                    "is above its high end).")
            present = column.dropna()
            inside = present[((present >= low) if low is not None else True)
                             & ((present <= high) if high is not None else True)]
            if inside.empty:
                raise InvalidChoice(f"{condition.describe()}: no real row lies in this range, "
                                    "so there is nothing to learn such rows from.")
            ranges[condition.column] = (low, high)
        else:
            value = _match(column, condition)
            fixed[condition.column] = np.full(rows, value, dtype=object)
    if rebalance is not None:
        column = _column(real, rebalance.column)
        if rebalance.column in fixed or rebalance.column in ranges:
            raise InvalidChoice(f"{rebalance.column!r} cannot be both rebalanced and fixed.")
        counts = rebalanced_counts(rebalance, column, rows)
        values = np.concatenate([np.full(n, value, dtype=object)
                                 for value, n in counts.items()])
        fixed[rebalance.column] = values[rng.permutation(len(values))]
    return RowConditions(fixed, ranges)


def _column(real: pd.DataFrame, name: str) -> pd.Series:
    if name not in real.columns:
        raise InvalidChoice(f"{name!r} is not a learned column of the table, so rows cannot "
                            "be generated to a condition on it.")
    return real[name]


def _match(column: pd.Series, condition: Condition):
    text = str(condition.value)
    for value in column.dropna().unique():
        if str(value) == text or (isinstance(value, bool | np.bool_) and
                                  text.lower() in ("true", "yes") and bool(value)) or (
                isinstance(value, bool | np.bool_) and text.lower() in ("false", "no")
                and not bool(value)):
            return value
        if pd.api.types.is_number(value) and not isinstance(value, bool | np.bool_):
            try:
                if float(text) == float(value):
                    return value
            except ValueError:
                pass
    raise InvalidChoice(f"{condition.describe()}: {condition.column!r} never holds "
                        f"{text!r} in the rows learned (rare values are hidden to protect "
                        "the people who hold them), so no row can be generated with it.")


def _parse_end(column: pd.Series, end: str | None, condition: Condition):
    if end is None:
        return None
    if pd.api.types.is_datetime64_any_dtype(column):
        try:
            stamp = pd.Timestamp(end)
        except ValueError:
            raise InvalidChoice(f"{condition.describe()}: {end!r} is not a date.") from None
        tz = getattr(column.dt, "tz", None)
        return stamp.tz_localize(tz) if tz is not None and stamp.tzinfo is None else stamp
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        try:
            return float(end)
        except ValueError:
            raise InvalidChoice(f"{condition.describe()}: {end!r} is not a number.") from None
    raise InvalidChoice(f"{condition.describe()}: ranges need a number or date column; "
                        f"{condition.column!r} holds categories (write COLUMN=VALUE).")


def augmented_table(real: pd.DataFrame, synthetic: pd.DataFrame, rebalance: Rebalance,
                    keep: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """The real rows plus the synthetic rows of the rare group, marked in :data:`ROW_MARK`.

    This is the table a fraud model is trained on; it holds the user's real rows, so it is
    for their own use, never for sharing. Only the columns in ``keep`` (the learned ones:
    replaced and dropped columns are left out, so no real name or identifier is in it)
    are written.

    Returns:
        The table and the rare value(s) added, in words.

    """
    column = rebalance.column
    counts = real[column].astype(str).value_counts()
    wanted = [text for text, _ in rebalance.shares] or [str(counts.index[-1])]
    rare = synthetic[synthetic[column].astype(str).isin(wanted)]
    columns = [name for name in real.columns if name in keep and name in synthetic.columns]
    out = pd.concat([real[columns].assign(**{ROW_MARK: "real"}),
                     rare[columns].assign(**{ROW_MARK: "synthetic"})], ignore_index=True)
    return out, ", ".join(wanted)
