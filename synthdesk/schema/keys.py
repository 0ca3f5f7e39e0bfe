"""The key that links a child table to its parent: found from the values, or checked.

A parent table (customers) has a column of unique values (``customer_id``); a child table
(invoices) holds those values in one of its columns, once per row, pointing each row at
its parent. A child row whose value is in no parent row is an *orphan*.

Keys are compared as text (trimmed; whole numbers without ``.0``), so a key read as
numbers in one file and as text in the other still matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice
from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["KeyMatch", "find_relation", "key_text", "orphan_mask", "check_parent_key",
           "order_column"]

# Most child rows must point at a parent for a pair of columns to be taken as the key.
_MIN_COVERAGE = 0.5
# Without a name in common, a text column is taken only when nearly every row matches.
_MIN_COVERAGE_UNNAMED = 0.95
# Rows compared per table when looking for the key (every row is used to count orphans).
_SCAN_ROWS = 200_000
_WORDS = re.compile(r"[a-z0-9]+")
_KEY_WORDS = {"id", "key", "code", "no", "nr", "num", "number", "ref"}
# Words that name a column putting a parent's children in order (beside date columns).
_ORDER_WORDS = {"date", "time", "year", "month", "week", "day", "quarter", "period", "seq",
                "sequence", "order", "step", "position", "visit", "timestamp", "datetime"}


@dataclass(frozen=True)
class KeyMatch:
    """How a child table points at its parent.

    Attributes:
        parent_key: The parent's column of unique values.
        child_key: The child's column that holds them.
        parent_rows: Rows of the parent table.
        child_rows: Rows of the child table.
        orphans: Child rows whose key is missing or names no parent row.
        parents_with_children: Parent rows that at least one child row points at.
        most_children: The most child rows that point at one parent.

    """

    parent_key: str
    child_key: str
    parent_rows: int
    child_rows: int
    orphans: int
    parents_with_children: int
    most_children: int

    @property
    def valid_share(self) -> float:
        """Share of child rows that point at a parent row."""
        return 1.0 if not self.child_rows else 1 - self.orphans / self.child_rows

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return {**asdict(self), "valid_share": round(self.valid_share, 4)}


def key_text(values: pd.Series) -> pd.Series:
    """Keys as comparable text: trimmed; whole numbers without ``.0``; missing stays missing."""
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        if len(whole) and np.all(np.mod(whole.to_numpy(), 1) == 0):
            values = values.astype("Int64")
    text = values.astype("string").str.strip()
    return text.where(text.notna() & (text != ""), pd.NA)


def orphan_mask(parent_key: pd.Series, child_key: pd.Series) -> np.ndarray:
    """True for each child row whose key is missing or names no parent row."""
    known = set(key_text(parent_key).dropna())
    child = key_text(child_key)
    return (~child.isin(known) | child.isna()).to_numpy()


def check_parent_key(parent: pd.DataFrame, key: str, parent_name: str = "the parent table"
                     ) -> None:
    """Check ``key`` is a column of ``parent`` holding one distinct value per row.

    Raises:
        InvalidChoice: The column is missing, has empty cells or repeats a value.

    """
    if key not in parent.columns:
        raise InvalidChoice(f"{parent_name} has no column named {key!r} to link the tables "
                            "by. Name the key column as CHILD:KEY (a column both tables "
                            "hold).")
    values = key_text(parent[key])
    empty = int(values.isna().sum())
    if empty:
        raise InvalidChoice(f"{key!r} cannot be the key of {parent_name}: {empty:,} of its "
                            "rows have no value in it, and each parent row needs one.")
    repeated = int(values.duplicated(keep=False).sum())
    if repeated:
        shown = values[values.duplicated()].nunique()
        raise InvalidChoice(
            f"{key!r} cannot be the key of {parent_name}: {shown:,} of its values are on "
            f"more than one row ({repeated:,} rows), so a child row could point at several "
            "parents. Choose a column with one different value on every row.")


def find_relation(parent: pd.DataFrame, child: pd.DataFrame, child_key: str | None = None,
                  parent_key: str | None = None, *, parent_name: str = "the parent table",
                  child_name: str = "the child table") -> KeyMatch:
    """Find (or check) the column pair that links ``child`` rows to ``parent`` rows.

    With ``child_key`` the child's key is given; the parent's is ``parent_key``, else the
    column of the same name, else the parent column of unique values that holds the most
    of its values. With neither, every pair is tried: a parent column of unique values
    (no empty cells; no decimals), and a child column of the same kind most of whose
    values are among them. A name in common (``playerID`` and ``playerID``, ``id`` in
    ``customers`` and ``customer_id``) is needed for numbers, which match by chance
    (small counts sit inside any 1..n key); text without one needs nearly every row to
    match. A column that repeats in the parent is never a key, even when it and another
    column together name each row once.

    Raises:
        InvalidChoice: A named column is missing, the parent's key repeats or has empty
            cells, no child row matches, or no key could be found.

    """
    if child_key is not None and child_key not in child.columns:
        raise InvalidChoice(f"{child_name} has no column named {child_key!r} to link it to "
                            f"{parent_name}.")
    if parent_key is not None:
        check_parent_key(parent, parent_key, parent_name)
    if child_key is not None and parent_key is None and child_key in parent.columns:
        parent_key = child_key
        check_parent_key(parent, parent_key, parent_name)
    if child_key is not None and parent_key is not None:
        match = _match(parent, child, parent_key, child_key)
        if match.orphans == match.child_rows and match.child_rows:
            raise InvalidChoice(f"No row of {child_name} points at a row of {parent_name}: "
                                f"none of the values of {child_key!r} is a value of "
                                f"{parent_key!r}.")
        return match
    best = _best_pair(parent, child, parent_key, child_key, parent_name)
    if best is None:
        if child_key is not None:
            raise InvalidChoice(
                f"No column of {parent_name} with one different value per row holds the "
                f"values of {child_key!r}: name the parent's key too, or check the tables.")
        raise InvalidChoice(
            f"SynthDesk found no column linking {child_name} to {parent_name}: a column of "
            f"{parent_name} with one different value on every row, whose values "
            f"{child_name} holds. Name the key as CHILD:KEY.")
    return _match(parent, child, *best)


def _match(parent: pd.DataFrame, child: pd.DataFrame, parent_key: str,
           child_key: str) -> KeyMatch:
    orphans = orphan_mask(parent[parent_key], child[child_key])
    linked = key_text(child[child_key])[~orphans]
    counts = linked.value_counts()
    return KeyMatch(parent_key, child_key, len(parent), len(child), int(orphans.sum()),
                    int(len(counts)), int(counts.max()) if len(counts) else 0)


def _unique_columns(parent: pd.DataFrame) -> list[str]:
    out = []
    for name in parent.columns:
        column = parent[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        values = key_text(column)
        if pd.api.types.is_float_dtype(column) and not pd.api.types.is_integer_dtype(
                values.dtype) and values.notna().any():
            if not np.all(np.mod(column.dropna().to_numpy(), 1) == 0):
                continue  # decimals are measurements, not keys
        if values.isna().any() or len(values) < 2 or values.duplicated().any():
            continue
        out.append(name)
    return out


def _best_pair(parent: pd.DataFrame, child: pd.DataFrame, parent_key: str | None,
               child_key: str | None, parent_name: str) -> tuple[str, str] | None:
    parents = [parent_key] if parent_key is not None else _unique_columns(parent)
    children = [child_key] if child_key is not None else list(child.columns)
    scan = child.head(_SCAN_ROWS)
    best, best_score = None, None
    for p in parents:
        known = set(key_text(parent[p]))
        numeric = _is_number(parent[p])
        for c in children:
            column = scan[c]
            if pd.api.types.is_bool_dtype(column) or \
                    pd.api.types.is_datetime64_any_dtype(column):
                continue
            values = key_text(column).dropna()
            if values.nunique() < 2 and len(parent) > 1:
                continue
            coverage = float(values.isin(known).mean()) if len(values) else 0.0
            named = _name_score(p, c, parent_name)
            given = child_key is not None or parent_key is not None
            if coverage < _MIN_COVERAGE:
                continue
            if not named and not given:
                if numeric or _is_number(column) or coverage < _MIN_COVERAGE_UNNAMED:
                    continue
            score = (named, coverage, values.nunique())
            if best_score is None or score > best_score:
                best, best_score = (p, c), score
    return best


def _is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _name_score(parent_col: str, child_col: str, parent_name: str) -> int:
    """2: the same name; 1: names that say the same key; 0: nothing in common."""
    a, b = _words(parent_col), _words(child_col)
    if a == b and a:
        return 2
    table = _words(parent_name)
    singular = {w[:-1] if w.endswith("s") else w for w in table}
    # ``id`` in ``customers`` and ``customer_id`` in the child.
    if a and a <= _KEY_WORDS and b - _KEY_WORDS and (b - _KEY_WORDS) <= (table | singular):
        return 1
    core_a, core_b = a - _KEY_WORDS, b - _KEY_WORDS
    if core_a and core_a == core_b:
        return 1
    return 0


def _words(name: str) -> set[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name)).lower()
    return set(_WORDS.findall(text))


def order_column(child: pd.DataFrame, specs: Sequence[ColumnSpec], key: str) -> str | None:
    """The learned column that puts each parent's children in order, or None.

    Candidates are dates, and numbers named like an order (``year``, ``period``,
    ``visit``, ``seq``...). The one that tells a parent's children apart best (most
    distinct values per parent) wins; dates win ties.
    """
    by_name = {s.name: s for s in specs}
    candidates = []
    for name in child.columns:
        spec = by_name.get(name)
        if spec is None or spec.action is not Action.SYNTHESIZE or name == key:
            continue
        if child[name].isna().mean() > 0.5:
            continue
        if spec.kind in (Kind.DATE, Kind.DATETIME):
            candidates.append((name, 1))
        elif spec.kind in (Kind.INTEGER, Kind.DECIMAL) and _words(name) & _ORDER_WORDS:
            candidates.append((name, 0))
    if not candidates:
        return None
    owners = key_text(child[key])
    best, best_score = None, None
    for name, is_date in candidates:
        frame = pd.DataFrame({"p": owners.to_numpy(), "v": child[name].to_numpy()})
        per_parent = frame.groupby("p")["v"].agg(["nunique", "size"])
        several = per_parent[per_parent["size"] > 1]
        if several.empty:
            continue
        score = (float((several["nunique"] / several["size"]).mean()), is_date)
        if best_score is None or score > best_score:
            best, best_score = name, score
    return best
