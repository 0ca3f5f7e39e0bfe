"""Parents and their children: decision trees for related tables and sequences.

A parent table (customers) and child tables (invoices) are learned in three parts, each
with :class:`synthdesk.generators.cart.CartGenerator` and its privacy guards:

1. the parents, with one more column per child table: how many children each has, so
   that the number of children is drawn given the parent's columns (and they given it);
2. each child's first row (or every row, when the children have no order), drawn given
   its parent's columns;
3. when a child table has a date or order column, each later child drawn given its
   parent's columns, its position and the previous child of the same parent: the
   previous child's values and the gap since it (*lag features*). The date is the
   previous date plus the gap drawn, so the order of a parent's children, the gaps
   between them and each parent's trend survive. A sequence that runs past the real
   data's last date is moved back to end there (its length and gaps kept), so no
   synthetic child lies beyond the real range.

Every child is generated for a synthetic parent, so every child points at one; links are
row positions here, and the pipeline gives parents fresh keys. SDV's HMA is offered
behind the same interface (:mod:`synthdesk.generators.hma`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from synthdesk.errors import TrainingFailed
from synthdesk.generators.cart import CartGenerator
from synthdesk.generators.conditions import RowConditions
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled
from synthdesk.schema.rarity import MIN_SUBJECTS

__all__ = ["RelatedTables", "RelatedGenerator", "RelatedCartGenerator", "COUNT_PREFIX",
           "children_per_parent", "sequence_gaps", "order_within_parents"]

COUNT_PREFIX = "__children:"
_CONTEXT = "__parent:"
_PREVIOUS = "__previous:"
_POSITION = "__position"
_GAP = "__gap"
_DAY_NS = 86_400 * 10**9
# Below this many parents, their children's first rows are smoothed more.
_START_PARENTS = 500


@dataclass(frozen=True, eq=False)
class RelatedTables:
    """A parent table and its child tables, linked by row positions.

    Attributes:
        parent: The parent table's name.
        frames: Each table's learned columns by name (no key columns), the parent's first.
        links: Child name -> for each child row, the position of its parent's row in
            ``frames[parent]``.
        sequences: Child name -> the column that orders a parent's children, or None.
        metadata: SDV's metadata dict (``MULTI_TABLE_V1``) of the tables, key columns and
            relationships included (see :meth:`synthdesk.core.dataset.Dataset.to_sdv_metadata`).

    """

    parent: str
    frames: dict[str, pd.DataFrame]
    links: dict[str, np.ndarray]
    sequences: dict[str, str | None] = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    @property
    def children(self) -> list[str]:
        """The child tables' names."""
        return [name for name in self.frames if name != self.parent]

    def columns_of(self, name: str) -> dict[str, dict]:
        """Table ``name``'s learned columns' metadata (its key columns left out)."""
        columns = self.metadata.get("tables", {}).get(name, {}).get("columns", {})
        frame = self.frames[name]
        return {c: dict(columns.get(c, {"sdtype": _sdtype(frame[c])})) for c in frame}


class RelatedGenerator(ABC):
    """Learns a parent table with its children and draws new ones like them."""

    @abstractmethod
    def fit(self, tables: RelatedTables, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> RelatedGenerator:
        """Learn ``tables``; returns self."""

    #: Whether :meth:`sample` honours ``conditions`` on the parent's columns.
    takes_conditions = False

    @abstractmethod
    def sample(self, parents: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions: RowConditions | None = None
               ) -> RelatedTables:
        """``parents`` new parents and their children; links are positions among them.

        ``conditions`` (for ``parents`` rows) fixes the parents' columns or keeps them in
        ranges; their children are drawn given them. Only generators whose
        ``takes_conditions`` is true take them.
        """


def children_per_parent(links: np.ndarray, parents: int) -> np.ndarray:
    """How many children each of ``parents`` parents has."""
    return np.bincount(np.asarray(links, dtype=np.intp), minlength=parents)[:parents]


def order_within_parents(links: np.ndarray, order: pd.Series | None) -> np.ndarray:
    """Row positions sorting children by parent, then by ``order`` (stable)."""
    links = np.asarray(links)
    if order is None:
        return np.argsort(links, kind="stable")
    values = _as_float(order)
    values = np.where(np.isnan(values), np.inf, values)
    return np.lexsort((values, links))


def sequence_gaps(links: np.ndarray, order: pd.Series) -> np.ndarray:
    """The gaps between each parent's consecutive children (days for dates), in order."""
    sort = order_within_parents(links, order)
    values = _as_float(order.iloc[sort]) / (_DAY_NS if _is_datetime(order) else 1)
    same = np.asarray(links)[sort][1:] == np.asarray(links)[sort][:-1]
    gaps = np.diff(values)[same]
    return gaps[~np.isnan(gaps)]


class RelatedCartGenerator(RelatedGenerator):
    """Decision trees for a parent table, its number of children and the children.

    Args:
        seed: Seed of the fits (sampling takes its own).
        min_leaf: Fewest real rows in any leaf of any tree (see ``CartGenerator``).
        min_gain: Smallest useful split (see ``CartGenerator``).
        smoothing: Kernel width for numeric donors (see ``CartGenerator``).
        first_columns: Parent columns learned first, so that parents can be generated to
            conditions on them (see ``CartGenerator``).
        strata_column: A parent column whose values also get trees of their own (the one
            rebalanced; see ``CartGenerator``).

    Attributes:
        parent_model_: The parents and their numbers of children.
        context_: How a parent's columns are encoded for the children's trees.
        children_: Child name -> its :class:`_ChildModel`.

    """

    takes_conditions = True

    def __init__(self, seed: int = 0, min_leaf: int = 30, min_gain: float = 1e-4,
                 smoothing: float = 0.5, first_columns=(), strata_column: str | None = None):
        self.seed = seed
        self.min_leaf = min_leaf
        self.min_gain = min_gain
        self.smoothing = smoothing
        self.first_columns = tuple(first_columns)
        self.strata_column = strata_column

    def _cart(self, first=(), min_leaf: int | None = None,
              smoothing: float | None = None, strata: str | None = None) -> CartGenerator:
        return CartGenerator(seed=self.seed, min_leaf=min_leaf or self.min_leaf,
                             min_gain=self.min_gain,
                             smoothing=self.smoothing if smoothing is None else smoothing,
                             first_columns=first, strata_column=strata)

    def fit(self, tables: RelatedTables, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> RelatedCartGenerator:
        """Learn the parents (with their numbers of children), then each child table."""
        parent = tables.frames[tables.parent].reset_index(drop=True)
        if not len(parent):
            raise TrainingFailed("The parent table needs at least one row to learn from.")
        self.parent_name_ = tables.parent
        self.parent_columns_ = list(parent.columns)
        counts = {COUNT_PREFIX + c: children_per_parent(tables.links[c], len(parent))
                  for c in tables.children}
        frame = parent.assign(**counts)
        # Counts are drawn as categories: exact donors. Smoothed as numbers (more than 20
        # of them), a kernel moved parents with one child to none, and none, the most
        # common count, never back: 4.2% of the baseball players had one salary, not 6.0%.
        columns = {**tables.columns_of(tables.parent),
                   **{name: {"sdtype": "categorical"} for name in counts}}
        cancel.raise_if_set()
        progress(0.0, f"Learning {tables.parent} and how many children each has")
        share = 1 / (1 + len(tables.children))
        self.parent_model_ = self._cart(first=self.first_columns,
                                        strata=self.strata_column).fit(
            frame, _metadata(columns), scaled(progress, 0.0, share), cancel)
        self.context_ = _Encoder(_CONTEXT).fit(frame)
        context = self.context_.encode(frame)
        self.children_ = {}
        for i, name in enumerate(tables.children):
            cancel.raise_if_set()
            part = scaled(progress, share * (i + 1), share * (i + 2))
            part(0.0, f"Learning {name}")
            self.children_[name] = _ChildModel(self, tables.sequences.get(name)).fit(
                tables.frames[name].reset_index(drop=True), np.asarray(tables.links[name]),
                context, tables.columns_of(name), part, cancel)
        progress(1.0, "Learned every table")
        return self

    def sample(self, parents: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions: RowConditions | None = None
               ) -> RelatedTables:
        """``parents`` parents, then each one's children; the same seed, the same tables.

        With ``conditions`` the parents meet them and each one's number of children and
        children are drawn given it, as for any parent: children follow their parents.
        """
        if parents < 1:
            raise TrainingFailed("The number of parents to generate must be at least 1.")
        share = 1 / (1 + len(self.children_))
        drawn = self.parent_model_.sample(parents, seed, scaled(progress, 0.0, share), cancel,
                                          conditions=conditions)
        drawn = drawn.reset_index(drop=True)
        context = self.context_.encode(drawn)
        frames = {self.parent_name_: drawn[self.parent_columns_]}
        links, sequences = {}, {}
        for i, (name, model) in enumerate(self.children_.items()):
            counts = pd.to_numeric(drawn[COUNT_PREFIX + name], errors="coerce") \
                .fillna(0).clip(lower=0).round().astype(np.intp).to_numpy()
            frames[name], links[name] = model.sample(
                context, counts, seed * 31 + 7 * (i + 1),
                scaled(progress, share * (i + 1), share * (i + 2)), cancel)
            sequences[name] = model.sequence
        progress(1.0, "Generated every table")
        return RelatedTables(self.parent_name_, frames, links, sequences)


class _ChildModel:
    """One child table's trees: its first (or every) child, and each next one."""

    def __init__(self, owner: RelatedCartGenerator, sequence: str | None):
        self.owner = owner
        self.sequence = sequence

    def fit(self, data: pd.DataFrame, links: np.ndarray, context: pd.DataFrame,
            columns: dict, progress: ProgressFn, cancel: CancelToken) -> _ChildModel:
        if not len(data):
            raise TrainingFailed("A child table needs at least one row pointing at a parent "
                                 "to learn from.")
        order = data[self.sequence] if self.sequence else None
        sort = order_within_parents(links, order)
        data, links = data.iloc[sort].reset_index(drop=True), links[sort]
        self.columns_ = list(data.columns)
        self.dtypes_ = dict(data.dtypes)
        ctx = context.iloc[links].reset_index(drop=True)
        self.context_columns_ = list(ctx.columns)
        starts = np.r_[True, links[1:] != links[:-1]]
        first = starts if self.sequence else np.ones(len(data), dtype=bool)
        start_frame = pd.concat([ctx[first].reset_index(drop=True),
                                 data[first].reset_index(drop=True)], axis=1)
        start_columns = {**{c: {"sdtype": "numerical"} for c in ctx}, **columns}
        # Each parent has one first child: with few parents, each one's start is a person's
        # own, so it is smoothed more (up to 4x for tens of parents, as usual from 500 on).
        parents = max(1, int(first.sum()))
        start_smoothing = self.owner.smoothing * float(np.clip(np.sqrt(_START_PARENTS / parents),
                                                               1.0, 4.0))
        self.start_ = self.owner._cart(first=tuple(ctx.columns),
                                       smoothing=start_smoothing).fit(
            start_frame, _metadata(start_columns), scaled(progress, 0.0, 0.4), cancel)
        self.next_ = None
        later = ~first
        if not self.sequence or later.sum() < 2:
            return self
        position = np.arange(len(data)) - np.maximum.accumulate(
            np.where(starts, np.arange(len(data)), 0))
        self.lags_ = _Encoder(_PREVIOUS).fit(data)
        order_values = _as_float(data[self.sequence])
        # The real data's first and last order values: no child is drawn outside them.
        seen = np.isfinite(order_values).any()
        self.first_ = float(np.nanmin(order_values)) if seen else -np.inf
        self.last_ = float(np.nanmax(order_values)) if seen else np.inf
        previous = self.lags_.encode(data.shift(1))  # row i-1 is the same parent's for later rows
        gap = _as_float(data[self.sequence]) - _as_float(data[self.sequence].shift(1))
        if _is_datetime(data[self.sequence]):
            gap = gap / _DAY_NS
        rows = np.flatnonzero(later)
        given = pd.concat([
            ctx.iloc[rows].reset_index(drop=True),
            pd.DataFrame({_POSITION: position[rows].astype("float64")}),
            previous.loc[rows].reset_index(drop=True),
        ], axis=1)
        self.given_columns_ = list(given.columns)
        frame = pd.concat([given, pd.DataFrame({_GAP: gap[rows]}),
                           data.iloc[rows].drop(columns=self.sequence).reset_index(drop=True)],
                          axis=1)
        next_columns = {**{c: {"sdtype": "numerical"} for c in given},
                        _GAP: {"sdtype": "numerical"},
                        **{c: m for c, m in columns.items() if c != self.sequence}}
        # A leaf must pool the children of several parents, not one parent's long run of
        # children (a city's 187 months): k parents' worth of rows at least.
        per_parent = later.sum() / max(1, len(np.unique(links[later])))
        leaf = max(self.owner.min_leaf, int(np.ceil(MIN_SUBJECTS * per_parent)))
        self.next_ = self.owner._cart(first=tuple(given.columns), min_leaf=leaf).fit(
            frame, _metadata(next_columns), scaled(progress, 0.4, 1.0), cancel)
        return self

    def sample(self, context: pd.DataFrame, counts: np.ndarray, seed: int,
               progress: ProgressFn, cancel: CancelToken) -> tuple[pd.DataFrame, np.ndarray]:
        if self.next_ is None:
            links = np.repeat(np.arange(len(counts)), counts)
            rows = self._draw(self.start_, context.iloc[links], seed, progress, cancel)
            return rows, links
        alive = np.flatnonzero(counts >= 1)
        previous = self._draw(self.start_, context.iloc[alive], seed, no_progress, cancel)
        parts, links = [previous], [alive]
        longest = int(counts.max()) if len(counts) else 0
        for step in range(1, longest):
            cancel.raise_if_set()
            progress(step / longest, f"Generated children up to number {step:,} of {longest:,}")
            keep = counts[alive] > step
            alive, previous = alive[keep], previous[keep].reset_index(drop=True)
            if not len(alive):
                break
            given = pd.concat([
                context.iloc[alive].reset_index(drop=True),
                pd.DataFrame({_POSITION: np.full(len(alive), float(step))}),
                self.lags_.encode(previous),
            ], axis=1)[self.given_columns_]
            drawn = self._draw(self.next_, given, seed + 7919 * step, no_progress, cancel,
                               keep_gap=True)
            drawn[self.sequence] = _shifted(previous[self.sequence],
                                            drawn.pop(_GAP).to_numpy(dtype="float64"),
                                            self.dtypes_[self.sequence])
            previous = drawn[self.columns_]
            parts.append(previous)
            links.append(alive)
        progress(1.0, "Generated children")
        rows = pd.concat(parts, ignore_index=True)
        link = np.concatenate(links)
        sort = np.argsort(link, kind="stable")  # by parent, each parent's children in order
        return self._within_range(rows.iloc[sort].reset_index(drop=True), link[sort])

    def _within_range(self, rows: pd.DataFrame, link: np.ndarray
                      ) -> tuple[pd.DataFrame, np.ndarray]:
        """Each sequence that runs past the real data's end moved back to end there.

        Its number of children and the gaps between them are kept; a sequence longer
        than the real range starts at the real start and ends at the real end: its
        children past it are left out.
        """
        values = _as_float(rows[self.sequence])
        if not len(values) or not (values > self.last_).any():
            return rows, link
        frame = pd.DataFrame({"p": link, "v": values})
        first = frame.groupby("p")["v"].transform("min").to_numpy()
        last = frame.groupby("p")["v"].transform("max").to_numpy()
        excess = np.nan_to_num(np.maximum(last - self.last_, 0.0))
        back = np.minimum(excess, np.maximum(np.nan_to_num(first - self.first_), 0.0))
        moved = values - back
        column = rows[self.sequence]
        if _is_datetime(column):
            shifted = pd.to_datetime(column).reset_index(drop=True) - \
                pd.to_timedelta(back.round().astype("int64"), unit="ns")
        elif pd.api.types.is_integer_dtype(column.dtype):
            shifted = pd.Series(np.round(moved)).astype(column.dtype)
        else:
            shifted = pd.Series(moved)
        rows = rows.assign(**{self.sequence: shifted.to_numpy()})
        keep = ~(moved > self.last_ + 1e-9 * max(1.0, abs(self.last_)))
        return rows[keep].reset_index(drop=True), link[keep]

    def _draw(self, model: CartGenerator, given: pd.DataFrame, seed: int,
              progress: ProgressFn, cancel: CancelToken, keep_gap: bool = False
              ) -> pd.DataFrame:
        wanted = self.columns_ if not keep_gap else \
            [_GAP, *(c for c in self.columns_ if c != self.sequence)]
        if not len(given):
            return pd.DataFrame({c: pd.Series(dtype=self.dtypes_.get(c, "float64"))
                                 for c in wanted})
        conditions = RowConditions({c: given[c].to_numpy(dtype="float64") for c in given})
        rows = model.sample(len(given), seed=seed, progress=progress, cancel=cancel,
                            conditions=conditions)
        return rows[wanted].reset_index(drop=True)


class _Encoder:
    """Columns as numbers a tree can split on, never missing (fixed values must be numbers).

    Numbers and dates (nanoseconds) stay as they are, with missing values put below the
    smallest; categories become codes by frequency, with -1 for a value never seen.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix

    def fit(self, frame: pd.DataFrame) -> _Encoder:
        self.kinds_, self.fill_, self.codes_ = {}, {}, {}
        for name in frame:
            column = frame[name]
            if _is_datetime(column) or (pd.api.types.is_numeric_dtype(column)
                                        and not pd.api.types.is_bool_dtype(column)):
                values = _as_float(column)
                valid = values[~np.isnan(values)]
                low, high = (valid.min(), valid.max()) if len(valid) else (0.0, 0.0)
                self.kinds_[name] = "number"
                self.fill_[name] = float(low - (high - low) - 1.0)
            else:
                counts = column.astype(object).where(column.notna(), None).value_counts(
                    dropna=False)
                self.kinds_[name] = "category"
                self.codes_[name] = pd.Index(counts.index)
        return self

    def encode(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = {}
        for name, kind in self.kinds_.items():
            column = frame[name]
            if kind == "number":
                values = _as_float(column).copy()  # never the caller's rows, filled
                values[np.isnan(values)] = self.fill_[name]
            else:
                text = column.astype(object).where(column.notna(), None)
                values = self.codes_[name].get_indexer(text).astype("float64")
            out[self.prefix + str(name)] = values
        return pd.DataFrame(out, index=np.arange(len(frame)))


def _shifted(previous: pd.Series, gap: np.ndarray, dtype) -> pd.Series:
    """The previous child's order value plus the gap drawn (days for dates)."""
    gap = np.where(np.isnan(gap), 0.0, np.maximum(gap, 0.0))
    if _is_datetime(previous):
        values = pd.to_datetime(previous).reset_index(drop=True) + \
            pd.to_timedelta(gap, unit="D")
        return values.astype(dtype) if str(dtype).startswith("datetime64") else values
    values = pd.Series(_as_float(previous) + gap)
    if pd.api.types.is_integer_dtype(dtype) and not values.isna().any():
        return values.round().astype(dtype)
    return values


def _metadata(columns: dict) -> dict:
    return {"tables": {"table": {"columns": columns}}}


def _sdtype(column: pd.Series) -> str:
    if _is_datetime(column):
        return "datetime"
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return "numerical"
    return "categorical"


def _is_datetime(column: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(column)


def _as_float(column: pd.Series) -> np.ndarray:
    if _is_datetime(column):
        stamps = pd.to_datetime(column)
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert(None)
        values = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
        values[stamps.isna().to_numpy()] = np.nan
        return values
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
