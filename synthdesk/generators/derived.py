"""Keep the relations of the training table in the generated rows, for every generator.

A generator learns each column from the others, so a rule that holds on every real row
(a code and its label, a total and its parts, see :mod:`synthdesk.schema.dependencies`)
comes out as "nearly always". :class:`DerivedColumns` wraps any
:class:`~synthdesk.generators.base.Generator`:

- a column that follows exactly from others on every row is left out of learning and
  rebuilt from the generated columns after sampling;
- a column that follows on nearly every row, or only where its source has some values,
  is learned as before, then set to what the rule gives on the rows it speaks of, except
  for as many rows as broke the rule in the real table (those keep the value the
  generator drew);
- where a value of the target comes only with one value of the source (two-way), a row
  with that target value and another source value takes the target of another generated
  row with its source value.

Every value written is a generated value or a function of generated values: no real
row's value is copied. The rules' values are each held by at least k people.
"""

from __future__ import annotations

from collections.abc import Mapping as AnyMapping
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice
from synthdesk.generators.base import Generator, table_columns
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress
from synthdesk.schema.dependencies import (
    PRESENT,
    Formula,
    Mapping,
    Rule,
    codes_of,
    find_relations,
    rebuilt_columns,
)

__all__ = ["DerivedColumns", "with_relations"]


def with_relations(model: Generator, data: pd.DataFrame, metadata: AnyMapping, *,
                   people: pd.Series | None = None, keep: Sequence[str] = (),
                   seed: int = 0, unclipped: pd.DataFrame | None = None) -> Generator:
    """``model`` wrapped to keep the relations found in ``data`` (itself when there are none).

    ``keep``: columns rows are generated to conditions on, or rebalanced; they are never
    rebuilt, so the conditions apply to them exactly. ``unclipped``: the rows of ``data``
    before extremes were pulled in (see :func:`~synthdesk.schema.dependencies.find_relations`).
    """
    sdtypes = {name: meta.get("sdtype") for name, meta in table_columns(metadata).items()}
    rules = find_relations(data, sdtypes, people=people, unclipped=unclipped,
                           keep=tuple(name for name in keep if name))
    if not rules:
        return model
    return DerivedColumns(model, rules, seed=seed)


class DerivedColumns(Generator):
    """A generator whose rows keep the relations found in its training table.

    Args:
        inner: The generator that learns the table (without the rebuilt columns).
        relations: The rules to keep (:func:`synthdesk.schema.dependencies.find_relations`).
        seed: Seed of the choice of the rows kept as exceptions.

    Attributes:
        rebuilt_: Columns left out of learning and computed after sampling.

    Other attributes are read from ``inner`` (what it learned).

    """

    def __init__(self, inner: Generator, relations: Sequence[Rule] = (), seed: int = 0):
        self.inner = inner
        self.relations = tuple(relations)
        self.seed = seed

    def __getattr__(self, name: str):
        inner = self.__dict__.get("inner")
        if inner is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(inner, name)

    def count_people(self, people: pd.Series | None) -> None:
        """Pass the person of each training row on to the generator that learns."""
        if hasattr(self.inner, "count_people"):
            self.inner.count_people(people)

    def fit(self, data: pd.DataFrame, metadata, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> DerivedColumns:
        """Learn ``data`` without the columns that are rebuilt; returns self."""
        self.columns_ = list(data.columns)
        self.dtypes_ = dict(data.dtypes)
        self.rebuilt_ = [name for name in rebuilt_columns(self.relations) if name in data]
        self.inner.fit(data.drop(columns=self.rebuilt_), _without(metadata, self.rebuilt_),
                       progress, cancel)
        self.loss_ = list(self.inner.loss_)
        return self

    def sample(self, rows: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions=None) -> pd.DataFrame:
        """Generated rows in which every kept rule holds (see the module's docstring).

        Raises:
            InvalidChoice: A condition is set on a column computed from others by a
                formula, or on a rebuilt column and its source at once.

        """
        if conditions is None:
            out = self.inner.sample(rows, seed=seed, progress=progress, cancel=cancel)
        else:
            conditions = self._conditions(conditions, rows, seed)
            out = self.inner.sample(rows, seed=seed, progress=progress, cancel=cancel,
                                    conditions=conditions)
        return self._apply(out.reset_index(drop=True), seed)

    # the rules ------------------------------------------------------------------------

    def _apply(self, frame: pd.DataFrame, seed: int) -> pd.DataFrame:
        rng = np.random.default_rng([seed, 15_485_863])  # a stream of its own
        out = frame.copy()
        for rule in self.relations:
            if rule.target in self.rebuilt_:
                applies, values = rule.predict(out)
                if isinstance(rule, Formula):
                    values = values.where(applies)
                out[rule.target] = _typed(np.asarray(values, dtype=object),
                                          self.dtypes_[rule.target], out.index)
            else:
                out[rule.target] = self._enforced(rule, out, rng)
        return out[self.columns_]

    def _enforced(self, rule: Rule, frame: pd.DataFrame, rng) -> pd.Series:
        """The rule's target on the rows it speaks of, but the exceptions the real rows had."""
        applies, held = rule.holds(frame)
        wrong = applies & ~held
        allowed = 1.0 - rule.share
        kept = np.zeros(len(frame), dtype=bool)
        if wrong.any() and allowed > 0:
            kept = wrong & (rng.random(len(frame)) <
                            min(1.0, allowed * applies.sum() / wrong.sum()))
            wrong &= ~kept
        _, predicted = rule.predict(frame)
        values = frame[rule.target].to_numpy(dtype=object).copy()
        if isinstance(rule, Formula):
            values[wrong] = np.asarray(predicted.astype(object))[wrong]
            return _typed(values, self.dtypes_[rule.target], frame.index)
        if rule.by_value[1]:
            values[wrong] = predicted[wrong]
        else:  # missing, or a value of another generated row with the same source
            values[wrong & (predicted == None)] = None  # noqa: E711 (elementwise)
            need = wrong & (predicted == PRESENT)
            if need.any():
                has = frame[rule.target].notna().to_numpy() & ~wrong
                values[need] = _donors(values, need, has, _groups(frame[rule.source]), rng)
        if rule.by_value[1] and any(rule.two_way):
            values = _two_way(rule, frame, values, ~kept, rng)
        return _typed(values, self.dtypes_[rule.target], frame.index)

    def _conditions(self, conditions, rows: int, seed: int):
        """Conditions on rebuilt columns set on their source instead (or refused in words)."""
        rng = np.random.default_rng([seed, 32_452_843])
        fixed, ranges = dict(conditions.fixed), dict(conditions.ranges)
        while True:  # a rebuilt column's source may be rebuilt too
            name = next((n for n in [*fixed, *ranges] if n in self.rebuilt_), None)
            if name is None:
                return replace(conditions, fixed=fixed, ranges=ranges)
            rule = next(r for r in self.relations if r.target == name)
            if isinstance(rule, Formula):
                raise InvalidChoice(
                    f"{name!r} is computed from {', '.join(rule.sources)} in this table "
                    f"({rule.describe()}), so rows cannot be generated to a condition on it: "
                    "set the condition on the columns it is computed from.")
            if rule.source in fixed or rule.source in ranges:
                raise InvalidChoice(
                    f"{name!r} follows from {rule.source!r} in this table, so rows cannot be "
                    f"generated to conditions on both: keep the one on {rule.source!r}.")
            fixed[rule.source] = _sources_for(rule, fixed.pop(name, None),
                                              ranges.pop(name, None), rows, rng)


def _without(metadata, columns: Sequence[str]) -> dict:
    """SDV's metadata dict without ``columns``."""
    if not columns:
        return metadata
    tables = {}
    for name, table in metadata.get("tables", {}).items():
        kept = {c: m for c, m in table["columns"].items() if c not in columns}
        tables[name] = {**table, "columns": kept}
    return {**metadata, "tables": tables}


def _typed(values: np.ndarray, dtype, index: pd.Index) -> pd.Series:
    """``values`` (objects, None or NaN missing) back in the column's learned type."""
    series = pd.Series(values, index=index, dtype=object)
    missing = series.isna()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return pd.to_datetime(series.where(~missing, None))
    if pd.api.types.is_bool_dtype(dtype) and not missing.any():
        return series.astype(bool)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        numbers = pd.to_numeric(series.where(~missing, np.nan), errors="coerce")
        if pd.api.types.is_integer_dtype(dtype) and not numbers.isna().any():
            return numbers.round().astype(dtype)
        return numbers.astype("float64")
    return series.where(~missing, np.nan)


def _groups(column: pd.Series) -> np.ndarray:
    codes, _ = pd.factorize(column, use_na_sentinel=True)
    return codes


def _donors(values: np.ndarray, need: np.ndarray, allowed: np.ndarray, groups: np.ndarray,
            rng) -> np.ndarray:
    """For each row in ``need``: the value of a random ``allowed`` row of its group (or any)."""
    out = np.empty(int(need.sum()), dtype=object)
    anywhere = np.flatnonzero(allowed)
    wanted = np.flatnonzero(need)
    for group in np.unique(groups[wanted]):
        here = wanted[groups[wanted] == group]
        pool = np.flatnonzero(allowed & (groups == group))
        pool = pool if len(pool) else anywhere
        slots = np.searchsorted(wanted, here)
        out[slots] = values[rng.choice(pool, len(here))] if len(pool) else values[here]
    return out


def _two_way(rule: Mapping, frame: pd.DataFrame, values: np.ndarray, free: np.ndarray,
             rng) -> np.ndarray:
    """Rows holding a two-way target value with another source value get another target.

    Only rows whose source holds one of the rule's other values (a value of the real
    table, not listed) change; only ``free`` rows (not those kept as the real rows'
    exceptions); and only where another generated row has a target no source value owns.
    A source value the real table never had (a generator's new number) says nothing.
    """
    others = codes_of(frame[rule.source], list(rule.others), rule.by_value[0]) >= 0
    owners = {}
    for (a, b), both in zip(rule.pairs, rule.two_way, strict=True):
        if both:
            owners[b] = a
    bad = np.zeros(len(frame), dtype=bool)
    for b in owners:
        bad |= np.array([_equal(v, b) for v in values])
    bad &= free & others
    allowed = ~np.array([any(_equal(v, b) for b in owners) for v in values])
    if not bad.any() or not allowed.any():
        return values
    values[bad] = _donors(values, bad, allowed, _groups(frame[rule.source]), rng)
    return values


def _equal(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and np.isnan(a)):
        return (a is None or (isinstance(a, float) and np.isnan(a))) and b is None
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _sources_for(rule: Mapping, fixed, bounds, rows: int, rng) -> np.ndarray:
    """One source value per row whose target meets that row's condition.

    Each is drawn among the source values mapped to a wanted target, in proportion to the
    real rows holding them.
    """
    sources = [a for a, _ in rule.pairs]
    targets = [b for _, b in rule.pairs]
    weights = np.asarray(rule.rows, dtype="float64")
    if fixed is None:
        low, high = bounds
        fits = np.array([(low is None or b >= low) and (high is None or b <= high)
                         for b in targets], dtype=bool)
        wanted = [fits] * rows
    else:
        wanted = [np.array([_equal(b, value) for b in targets]) for value in fixed]
    out = np.empty(len(wanted), dtype=object)
    for i, fits in enumerate(wanted):
        if not fits.any():
            raise InvalidChoice(f"No value of {rule.source!r} comes with that value of "
                                f"{rule.target!r} in this table, so no row can be generated "
                                "to that condition.")
        share = np.where(fits, weights, 0.0)
        out[i] = sources[rng.choice(len(sources), p=share / share.sum())]
    return out
