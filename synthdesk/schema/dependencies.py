"""Relations between columns that hold on (nearly) every row of the training table.

Generators learn each column from the others, so a relation that holds on every real row
comes out as "nearly always". Two kinds are found here, each a frozen rule that says, for
any table with the same columns, what its target should be on each row:

- :class:`Mapping`: each listed value of ``source`` comes with one value of ``target``.
  A *function* lists every value of the source held by enough people (a code and its
  label, ``education`` -> ``education-num``, a team and its league, a county and its
  code). An *implication* lists only the values that force one value ("nest never
  observed" -> clutch completion "No"); a pair is *two-way* when that value of the
  target also comes only with that value of the source. A column that is a number
  with many values takes part only through being missing or not ("no death year"
  -> "no death city").
- :class:`Formula`: ``target = intercept + sum(coefficient x source)`` (totals, differences,
  unit changes, a date plus a duration, a decimal year from year and month), or
  ``target = a x b`` (a total cost from quantity and unit cost). Dates take part as seconds.

A rule must hold on at least :data:`RULE_SHARE` of the rows it speaks of; the rows where
it does not are kept as exceptions when rows are generated
(:mod:`synthdesk.generators.derived`). Every value a rule names is one that at least k
people hold (:data:`synthdesk.schema.rarity.MIN_SUBJECTS`), and its words
(:meth:`Mapping.describe`, :meth:`Formula.describe`) name columns and counts, never values.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from synthdesk.schema.rarity import MIN_SUBJECTS, RARE_LABEL, subject_codes

__all__ = ["Mapping", "Formula", "Rule", "RULE_SHARE", "PRESENT", "find_relations",
           "rule_share", "rebuilt_columns", "numbers_of", "codes_of"]

# A rule must hold on this share of the rows it speaks of.
RULE_SHARE = 0.99
# The label a number column with many values has where it is not missing.
PRESENT = "(a value)"
# Numbers and dates with at most this many distinct values take part in mappings by value.
_DISCRETE = 100
# A function must speak of at least this share of the rows.
_FUNCTION_COVERS = 0.5
# An implication must be this unlikely under independence (binomial tail).
_ALPHA = 1e-9
# Rows used to find relations (all of them are used to check what was found).
_MAPPING_ROWS = 50_000
_FORMULA_ROWS = 600
_PRODUCT_ROWS = 64
_MAX_SOURCES = 6
# Above this many number columns, products of two are not looked for.
_MAX_PRODUCT_COLUMNS = 60
_DAY = 86_400.0


@dataclass(frozen=True)
class Mapping:
    """Each listed value of ``source`` comes with one value of ``target``.

    Attributes:
        source: The column whose value decides.
        target: The column that follows.
        pairs: ``(source value, target value)``; None stands for missing and
            :data:`PRESENT` for "has a value" (columns compared by being missing).
        rows: Real rows holding each pair's source value.
        two_way: Per pair, whether that target value also comes only with that source value.
        function: Every value of the source held by enough people is listed.
        by_value: Whether the source and the target are compared by value (else only by
            being missing), as a pair (source, target).
        share: Share of the real rows with a listed source value whose target follows.
        covers: Share of the real rows whose source value is listed.
        others: The source's other values held by enough people: where the source has one
            of them, a two-way target value may not appear.

    """

    source: str
    target: str
    pairs: tuple[tuple[object, object], ...]
    rows: tuple[int, ...]
    two_way: tuple[bool, ...]
    function: bool
    by_value: tuple[bool, bool]
    share: float
    covers: float
    others: tuple = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The columns the target is computed from."""
        return (self.source,)

    @property
    def exact(self) -> bool:
        """Whether it holds on every real row it speaks of."""
        return self.share >= 1.0

    @property
    def rebuilds(self) -> bool:
        """Whether the target can be left out of learning and rebuilt from the source alone.

        True when the mapping speaks of every real row and holds on all of them.
        """
        return self.function and self.exact and self.covers >= 1.0 and all(self.by_value)

    def predict(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Which rows of ``frame`` the rule speaks of, and the target value it gives them."""
        keys = [source for source, _ in self.pairs]
        codes = codes_of(frame[self.source], keys, self.by_value[0])
        applies = codes >= 0
        values = np.empty(len(frame), dtype=object)
        targets = np.array([target for _, target in self.pairs] + [None], dtype=object)
        values[:] = targets[np.where(applies, codes, len(self.pairs))]
        return applies, values

    def holds(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Which rows the rule speaks of, and on which of them the target follows."""
        codes = codes_of(frame[self.source], [s for s, _ in self.pairs], self.by_value[0])
        targets = list(dict.fromkeys(t for _, t in self.pairs))
        wanted = np.array([targets.index(t) for _, t in self.pairs] + [-2])
        actual = codes_of(frame[self.target], targets, self.by_value[1])
        applies = codes >= 0
        return applies, applies & (actual == wanted[np.where(applies, codes, -1)])

    def describe(self) -> str:
        """The rule in words: column names and counts, never a value."""
        if not self.by_value[1]:
            text = f"whether {self.target} is missing follows from {self.source}"
        elif self.function and all(self.by_value):
            text = (f"{self.target} follows from {self.source}: each of its {len(self.pairs)} "
                    f"values comes with one {self.target}")
            if all(self.two_way):
                text += ", and back"
        elif not self.by_value[0]:
            text = f"{self.target} follows from whether {self.source} is missing"
        else:
            values = "value" if len(self.pairs) == 1 else "values"
            come = "comes" if len(self.pairs) == 1 else "come"
            text = (f"{len(self.pairs)} {values} of {self.source} always {come} with one value "
                    f"of {self.target}")
            if any(self.two_way):
                text += f" ({sum(self.two_way)} of them both ways)"
        return f"{text} ({_rows_words(self.share, self.covers)})"


@dataclass(frozen=True)
class Formula:
    """``target = intercept + sum(coefficients x sources)``, or the product of two sources.

    Attributes:
        target: The column computed.
        sources: The columns it is computed from.
        coefficients: One per source (1.0 each for a product).
        intercept: The constant term (0 for a product).
        product: Whether the target is the product of its two sources.
        step: The target's granularity (it is rounded to a multiple of it), or None.
        dates: Whether the target, then each source, is a date (taken as seconds).
        share: Share of the real rows with every source present where the target follows.
        covers: Share of the real rows with every source present.
        missing_follows: The target is missing exactly where a source is missing.

    """

    target: str
    sources: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    product: bool
    step: float | None
    dates: tuple[bool, ...]
    share: float
    covers: float
    missing_follows: bool

    @property
    def exact(self) -> bool:
        """Whether it holds on every real row it speaks of."""
        return self.share >= 1.0

    @property
    def rebuilds(self) -> bool:
        """Whether the target can be left out of learning and computed from its sources."""
        return self.exact and self.missing_follows

    def numbers(self, frame: pd.DataFrame, rounded: bool = True,
                ) -> tuple[np.ndarray, np.ndarray]:
        """Which rows have every source, and the target's value there (as a number).

        ``rounded``: to the target's granularity, as it is written.
        """
        values = [numbers_of(frame[name]) for name in self.sources]
        applies = np.logical_and.reduce([~np.isnan(v) for v in values])
        if self.product:
            out = values[0] * values[1]
        else:
            out = np.full(len(frame), self.intercept, dtype="float64")
            for coefficient, v in zip(self.coefficients, values, strict=True):
                out = out + coefficient * v
        if self.step and rounded:
            out = np.round(out / self.step) * self.step
        return applies, out

    def predict(self, frame: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
        """Which rows the rule speaks of, and the target it gives them, in the target's type."""
        applies, out = self.numbers(frame)
        out = np.where(applies, out, np.nan)
        if self.dates[0]:
            return applies, pd.Series(pd.to_datetime(out, unit="s"), index=frame.index)
        return applies, pd.Series(out, index=frame.index)

    def holds(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Which rows the rule speaks of, and on which of them the target follows."""
        applies, out = self.numbers(frame)
        actual = numbers_of(frame[self.target])
        return applies, applies & _close(out, actual, self.step)

    def describe(self) -> str:
        """The rule in words: column names and its constants, never a value of the table."""
        if self.product:
            expression = f"{self.sources[0]} × {self.sources[1]}"
        else:
            parts = []
            for coefficient, name, is_date in zip(self.coefficients, self.sources,
                                                  self.dates[1:], strict=True):
                size = abs(coefficient)
                term = name if np.isclose(size, 1.0) else f"{_constant(size)} × {name}"
                if not is_date and self.dates[0]:
                    term += " seconds"
                parts.append(("− " if coefficient < 0 else "+ ") + term)
            if self.intercept:
                parts.append(("− " if self.intercept < 0 else "+ ") +
                             _constant(abs(self.intercept)))
            expression = " ".join(parts)
            expression = expression[2:] if expression.startswith("+ ") else \
                "−" + expression[2:]
        return f"{self.target} = {expression} ({_rows_words(self.share, self.covers)})"


Rule = Mapping | Formula


def find_relations(frame: pd.DataFrame, sdtypes: dict[str, str], *,
                   people: pd.Series | None = None, keep: tuple[str, ...] = (),
                   threshold: int = MIN_SUBJECTS,
                   unclipped: pd.DataFrame | None = None) -> tuple[Rule, ...]:
    """Find the relations that hold on (nearly) every row of ``frame``.

    Args:
        frame: The rows a generator learns from (rare values already hidden).
        sdtypes: Column -> SDV sdtype; only ``categorical``, ``boolean``, ``numerical``
            and ``datetime`` columns take part.
        people: The person of each row (by index); values are then counted in people.
        keep: Columns that must stay learned (conditioned or rebalanced ones): never a
            rule's target.
        threshold: The fewest people a value named by a rule must have.
        unclipped: The same rows before extremes were pulled in, where ``frame`` is
            protected: formulas are found on them (a total holds on the rows pulled in
            only before), mappings on ``frame`` (rare values hidden as the generator sees
            them). A formula names no value, so finding it there shows none.

    Returns:
        The rules, no column the target of two and none computed from itself, each after
        the rules that compute its sources.

    """
    names = [n for n in frame.columns
             if sdtypes.get(n) in ("categorical", "boolean", "numerical", "datetime")
             and not _tz_aware(frame[n]) and not _constant_column(frame[n])]
    if len(frame) < 2 * threshold or len(names) < 2:
        return ()
    continuous = [n for n in names if sdtypes[n] in ("numerical", "datetime")]
    numbers = frame if unclipped is None else unclipped[list(frame.columns)]
    candidates = _formulas(numbers, continuous, sdtypes)
    candidates += _mappings(frame, names, sdtypes, people, threshold)
    # Those that speak of more rows first; among those that speak of about as many, rules
    # from categories before rules from numbers (a generator may draw numbers the real
    # table never had, and a rule says nothing of them).
    numeric = set(continuous)
    candidates.sort(key=lambda rule: (-round(rule.covers, 1), bool(set(rule.sources) & numeric),
                                      _rank(rule), -rule.covers, -rule.share))
    chosen: list[Rule] = []
    follows: dict[str, set[str]] = {}  # column -> the targets computed from it
    for rule in candidates:
        if rule.target in keep or any(rule.target == r.target for r in chosen) or \
                any(source in _downstream(follows, rule.target) | {rule.target}
                    for source in rule.sources):
            continue  # a second rule for one column, or a circle
        chosen.append(rule)
        for source in rule.sources:
            follows.setdefault(source, set()).add(rule.target)
    return _in_order(chosen)


def _downstream(follows: dict[str, set[str]], column: str) -> set[str]:
    """Every column computed, directly or not, from ``column``."""
    seen, todo = set(), [column]
    while todo:
        for target in follows.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _in_order(rules: list[Rule]) -> tuple[Rule, ...]:
    """The rules so that a column is computed before the rules computed from it."""
    done: list[Rule] = []
    left = list(rules)
    while left:
        pending = {r.target for r in left}
        ready = [r for r in left if not set(r.sources) & pending]
        done += ready
        left = [r for r in left if r not in ready]
    return tuple(done)


def rule_share(rule: Rule, frame: pd.DataFrame) -> float | None:
    """Share of the rows of ``frame`` the rule speaks of where it holds (None: none)."""
    applies, held = rule.holds(frame)
    if not applies.any():
        return None
    return float(held.sum() / applies.sum())


def rebuilt_columns(rules: tuple[Rule, ...]) -> list[str]:
    """The targets that can be left out of learning and rebuilt from their sources."""
    return [rule.target for rule in rules if rule.rebuilds]


def numbers_of(column: pd.Series) -> np.ndarray:
    """A number or date column as floats (dates in seconds since 1970), missing as NaN."""
    if pd.api.types.is_datetime64_any_dtype(column):
        seconds = (column - pd.Timestamp(0)).dt.total_seconds()
        return seconds.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


# --- mappings ---------------------------------------------------------------------------


@dataclass
class _View:
    codes: np.ndarray  # one per row; every code names a label
    labels: list  # the label of each code; None is missing
    by_value: bool


def _view(column: pd.Series, sdtype: str) -> _View | None:
    """A column as codes: by value (categories, numbers with few values) or by being missing."""
    if sdtype in ("categorical", "boolean") or column.nunique() <= _DISCRETE:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        labels = list(uniques)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes)
            labels.append(None)
        return _View(codes.astype(np.int64), labels, True)
    missing = column.isna().to_numpy()
    if not missing.any():
        return None
    return _View(missing.astype(np.int64), [PRESENT, None], False)


def _mappings(frame: pd.DataFrame, names: list[str], sdtypes: dict[str, str],
              people: pd.Series | None, threshold: int) -> list[Mapping]:
    sample = _rows(frame, _MAPPING_ROWS)
    views = {n: _view(sample[n], sdtypes[n]) for n in names}
    views = {n: v for n, v in views.items() if v is not None}
    rows = len(sample)
    subjects = subject_codes(sample.index, people)
    # A value a rule names as a target must be held by enough people too.
    common = {n: (_support(v.codes, len(v.labels), subjects) >= threshold) if v.by_value
              else np.ones(len(v.labels), dtype=bool) for n, v in views.items()}
    found = []
    for source, view in views.items():
        size = len(view.labels)
        if size > rows / threshold:
            continue  # nearly every value its own: nothing is held by enough people
        support = _support(view.codes, size, subjects)
        # The label rare values are hidden behind is many values, not one: it decides nothing.
        held = (support >= threshold) & np.array([label != RARE_LABEL for label in view.labels])
        if held.sum() < 1:
            continue
        for target, other in views.items():
            if target == source:
                continue
            width = len(other.labels)
            joint = np.bincount(view.codes * width + other.codes,
                                minlength=size * width).reshape(size, width)
            totals = joint.sum(axis=0)
            if totals.max() > RULE_SHARE * rows:
                continue  # the target is (nearly) one value anyway
            named = held & common[target][joint.argmax(axis=1)]
            rule = _function(source, target, view, other, joint, named, rows, held) or \
                _implication(source, target, view, other, joint, named, rows, held)
            if rule is not None:
                found.append(rule)
    if len(sample) < len(frame):
        found = [_checked(rule, frame) for rule in found]
    return [rule for rule in found if rule is not None]


def _support(codes: np.ndarray, size: int, subjects: np.ndarray) -> np.ndarray:
    """Distinct subjects holding each code."""
    pairs = np.unique(np.column_stack([codes, subjects]), axis=0) if len(codes) else \
        np.empty((0, 2), dtype=np.int64)
    return np.bincount(pairs[:, 0], minlength=size)


def _function(source, target, view: _View, other: _View, joint: np.ndarray,
              held: np.ndarray, rows: int, known: np.ndarray) -> Mapping | None:
    if held.sum() < 2:
        return None
    counts, best, top = joint.sum(axis=1), joint.argmax(axis=1), joint.max(axis=1)
    covered = int(counts[held].sum())
    if covered < _FUNCTION_COVERS * rows:
        return None
    share = top[held].sum() / covered
    baseline = 1 - joint[held].sum(axis=0).max() / covered
    if share < RULE_SHARE or (1 - share) > 0.1 * baseline or len(set(best[held])) < 2:
        return None
    return _mapping(source, target, view, other, joint, np.flatnonzero(held), rows,
                    function=True, known=known)


def _implication(source, target, view: _View, other: _View, joint: np.ndarray,
                 held: np.ndarray, rows: int, known: np.ndarray) -> Mapping | None:
    counts, best, top = joint.sum(axis=1), joint.argmax(axis=1), joint.max(axis=1)
    shares = joint.sum(axis=0) / rows
    with np.errstate(divide="ignore", invalid="ignore"):
        strong = held & (top >= RULE_SHARE * counts) & (counts > 0)
    if not strong.any():
        return None
    index = np.flatnonzero(strong)
    index = index[_chance(top[index], counts[index], shares[best[index]]) <= _ALPHA]
    if not len(index):
        return None
    return _mapping(source, target, view, other, joint, index, rows, function=False,
                    known=known)


def _chance(hits: np.ndarray, tries: np.ndarray, share: np.ndarray) -> np.ndarray:
    """An upper bound on the chance of ``hits`` or more in ``tries`` draws of ``share``.

    Chernoff's bound, ``exp(-tries x KL(hits/tries, share))``: the binomial tail is never
    larger, so a value found this unlikely is at least as unlikely.
    """
    q = np.clip(hits / tries, 1e-12, 1.0)
    p = np.clip(share, 1e-12, 1 - 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = q * np.log(q / p) + np.where(q < 1, (1 - q) * np.log((1 - q) / (1 - p)), 0.0)
    return np.where(q > p, np.exp(-tries * kl), 1.0)


def _mapping(source, target, view: _View, other: _View, joint: np.ndarray,
             listed: np.ndarray, rows: int, function: bool, known: np.ndarray) -> Mapping:
    counts, best = joint.sum(axis=1), joint.argmax(axis=1)
    column_totals = joint.sum(axis=0)
    pairs, sizes, two_way = [], [], []
    for code in listed:
        pairs.append((view.labels[code], other.labels[best[code]]))
        sizes.append(int(counts[code]))
        two_way.append(bool(joint[code, best[code]] >= RULE_SHARE * column_totals[best[code]]))
    covered = int(counts[listed].sum())
    kept = int(joint[listed, best[listed]].sum())
    others = np.setdiff1d(np.flatnonzero(known), listed)
    return Mapping(source, target, tuple(pairs), tuple(sizes), tuple(two_way), function,
                   (view.by_value, other.by_value), round(kept / covered, 6),
                   round(covered / rows, 6), tuple(view.labels[code] for code in others))


def _checked(rule: Rule, frame: pd.DataFrame) -> Rule | None:
    """The rule with its shares measured on every row (None if it no longer holds)."""
    applies, held = rule.holds(frame)
    if not applies.any():
        return None
    share = float(held.sum() / applies.sum())
    if share < RULE_SHARE:
        return None
    from dataclasses import replace

    return replace(rule, share=round(share, 6), covers=round(float(applies.mean()), 6))


def codes_of(column: pd.Series, keys: list, by_value: bool) -> np.ndarray:
    """Each row's position among ``keys`` (None is missing), -1 where it has none."""
    missing = column.isna().to_numpy()
    codes = np.full(len(column), -1, dtype=np.int64)
    position = {k: i for i, k in enumerate(keys)}
    if None in position:
        codes[missing] = position[None]
    if not by_value:
        if PRESENT in position:
            codes[~missing] = position[PRESENT]
        return codes
    present = [(i, k) for i, k in enumerate(keys) if k is not None]
    if not present or missing.all():
        return codes
    index = pd.Index([k for _, k in present])
    if not index.is_unique:
        return codes
    found = index.get_indexer(column[~missing])
    lookup = np.array([i for i, _ in present] + [-1], dtype=np.int64)
    codes[~missing] = lookup[np.where(found < 0, len(present), found)]
    return codes


# --- formulas ---------------------------------------------------------------------------


def _formulas(frame: pd.DataFrame, names: list[str], sdtypes: dict[str, str]) -> list[Formula]:
    if len(names) < 2:
        return []
    sample = _rows(frame, _FORMULA_ROWS)
    matrix = np.column_stack([numbers_of(sample[n]) for n in names])
    dates = [sdtypes[n] == "datetime" for n in names]
    steps = [_step(matrix[:, i], dates[i]) for i in range(len(names))]
    found: list[Formula] = []
    seen: set[frozenset] = set()
    order = sorted(range(len(names)), key=lambda i: -np.nanmean(np.abs(matrix[:, i])))
    for t in order:
        y = matrix[:, t]
        if not _varied(y):
            continue
        picked = _linear(matrix, t, steps[t])
        if picked is not None:
            columns, coefficients, intercept = picked
            key = frozenset([t, *columns])
            if key not in seen:
                rule = _formula(frame, names, dates, steps, t, columns, coefficients,
                                intercept, product=False)
                if rule is not None:
                    seen.add(key)
                    found.append(rule)
                    continue
        if len(names) <= _MAX_PRODUCT_COLUMNS:
            for a, b in _product_candidates(matrix, t, dates, steps[t]):
                key = frozenset([t, a, b])
                if key in seen or not _fits(matrix[:, a] * matrix[:, b], y, steps[t]):
                    continue
                rule = _formula(frame, names, dates, steps, t, [a, b], [1.0, 1.0], 0.0,
                                product=True)
                if rule is not None:
                    seen.add(key)
                    found.append(rule)
                    break
    return found


def _product_candidates(matrix: np.ndarray, t: int, dates: list[bool],
                        step: float | None) -> list[tuple[int, int]]:
    """Pairs of number columns whose product is column ``t`` on nearly all of a few rows."""
    head = matrix[:_PRODUCT_ROWS]
    numbers = [i for i in range(matrix.shape[1]) if i != t and not dates[i]]
    pairs = list(itertools.combinations(numbers, 2))
    if not pairs:
        return []
    first, second = (np.array(side) for side in zip(*pairs, strict=True))
    products = head[:, first] * head[:, second]
    y = head[:, t][:, None]
    present = ~np.isnan(products) & ~np.isnan(y)
    close = _close(products, np.broadcast_to(y, products.shape), step) & present
    counts = present.sum(axis=0)
    good = (counts >= 10) & (close.sum(axis=0) >= 0.9 * counts)
    return [pairs[i] for i in np.flatnonzero(good)]


def _linear(matrix: np.ndarray, t: int, step: float | None):
    """Up to :data:`_MAX_SOURCES` columns whose linear combination gives column ``t``.

    Columns are added one at a time, each the one most correlated with what is left
    unexplained (orthogonal matching pursuit); None when no combination fits.
    """
    y = matrix[:, t]
    rows = ~np.isnan(y)
    filled = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
    spread = filled.std(axis=0)
    usable = [i for i in range(matrix.shape[1]) if i != t and spread[i] > 0]
    chosen: list[int] = []
    residual = np.where(rows, y - np.nanmean(y), 0.0)
    for _ in range(_MAX_SOURCES):
        left = [i for i in usable if i not in chosen]
        if not left:
            return None
        centred = filled[:, left] - filled[rows][:, left].mean(axis=0)
        score = np.abs((centred[rows] * residual[rows, None]).sum(axis=0)) / \
            (spread[left] * len(rows))
        chosen.append(left[int(np.argmax(score))])
        present = rows & ~np.isnan(matrix[:, chosen]).any(axis=1)
        if present.sum() < max(30, 3 * (len(chosen) + 1)):
            return None
        design = np.column_stack([matrix[present][:, chosen], np.ones(present.sum())])
        coefficients, *_ = np.linalg.lstsq(design, y[present], rcond=None)
        fitted = design @ coefficients
        if _fits(fitted, y[present], step):
            return chosen, list(coefficients[:-1]), float(coefficients[-1])
        residual = np.zeros_like(y)
        residual[present] = y[present] - fitted
    return None


def _formula(frame, names, dates, steps, t, columns, coefficients, intercept,
             product: bool) -> Formula | None:
    """The rule found on the sample, with nice constants, checked on every row."""
    if not product:
        kept = [(c, k) for c, k in zip(columns, coefficients, strict=True) if k != 0]
        if not kept:
            return None
        columns, coefficients = [c for c, _ in kept], [k for _, k in kept]
    if dates[t] and not product and not any(dates[c] for c in columns):
        return None  # a date made of plain numbers: no rule a person would name
    plain = Formula(names[t], tuple(names[c] for c in columns), tuple(coefficients),
                    intercept, product, steps[t], (dates[t], *(dates[c] for c in columns)),
                    0.0, 0.0, False)
    best = None
    nice = plain if product else _nicer(plain)
    for rule in (nice, plain):
        measured = _measured(rule, frame)
        if measured is not None and (best is None or measured.share > best.share):
            best = measured
    return best


def _measured(rule: Formula, frame: pd.DataFrame) -> Formula | None:
    """``rule`` with its shares on every row of ``frame``, or None if it does not hold."""
    from dataclasses import replace

    applies, held = rule.holds(frame)
    if applies.sum() < 30:
        return None
    share = float(held.sum() / applies.sum())
    if share < RULE_SHARE:
        return None
    target = numbers_of(frame[rule.target])
    applies_target = target[applies]
    mode = pd.Series(applies_target).mode()
    informative = applies & (target != (mode.iloc[0] if len(mode) else np.nan))
    if informative.sum() < 20 or held[informative].mean() < RULE_SHARE:
        return None
    _, predicted = rule.numbers(frame, rounded=False)
    error = (predicted - target)[held]
    if np.sqrt(np.mean(error ** 2)) > 1e-4 * np.nanstd(target) + 1e-12:
        return None
    missing_follows = bool(np.array_equal(np.isnan(target), ~applies))
    return replace(rule, share=round(share, 6), covers=round(float(applies.mean()), 6),
                   missing_follows=missing_follows)


def _nicer(rule: Formula) -> Formula:
    """The rule with its constants as simple fractions, where that changes them little."""
    from dataclasses import replace

    def nice(value: float) -> float:
        if value == 0:
            return 0.0
        fraction = Fraction(value).limit_denominator(100)
        close = abs(float(fraction) - value) <= 1e-6 * max(1.0, abs(value))
        return float(fraction) if close else value

    return replace(rule, coefficients=tuple(nice(c) for c in rule.coefficients),
                   intercept=nice(rule.intercept))


def _fits(predicted: np.ndarray, actual: np.ndarray, step: float | None) -> bool:
    both = ~np.isnan(predicted) & ~np.isnan(actual)
    if both.sum() < 30:
        return False
    return _close(predicted[both], actual[both], step).mean() >= RULE_SHARE


def _close(predicted: np.ndarray, actual: np.ndarray, step: float | None) -> np.ndarray:
    scale = np.nanmax(np.abs(actual)) if np.isfinite(actual).any() else 1.0
    tolerance = (0.5 * step * 1.001 if step else 1e-7 * scale) + 1e-9 * max(scale, 1.0)
    with np.errstate(invalid="ignore"):
        return np.abs(predicted - actual) <= tolerance


def _step(values: np.ndarray, is_date: bool) -> float | None:
    """The granularity of a column's values: a power of ten (a day, hour... for dates)."""
    present = values[~np.isnan(values)]
    if not len(present):
        return None
    steps = (_DAY, 3_600.0, 60.0, 1.0, 1e-3) if is_date else tuple(10.0 ** -d for d in range(7))
    for step in steps:
        ratio = present / step
        if np.all(np.abs(ratio - np.round(ratio)) <= np.maximum(1e-6, 1e-12 * np.abs(ratio))):
            return step
    return None


def _varied(values: np.ndarray) -> bool:
    present = values[~np.isnan(values)]
    if len(present) < 30:
        return False
    counts = pd.Series(present).value_counts()
    return len(counts) >= 3 and counts.iloc[0] <= 0.9 * len(present)


# --- shared -----------------------------------------------------------------------------


def _rows(frame: pd.DataFrame, most: int) -> pd.DataFrame:
    if len(frame) <= most:
        return frame
    return frame.sample(most, random_state=0)


def _rank(rule: Rule) -> int:
    if isinstance(rule, Formula):
        return 0
    return 1 if rule.function else 2


def _constant_column(column: pd.Series) -> bool:
    values = column.to_numpy(dtype=object)
    missing = column.isna().to_numpy()
    if missing.all() or not missing.any():
        present = values[~missing]
        return len(present) == 0 or bool((column[~missing] == present[0]).all())
    return False


def _tz_aware(column: pd.Series) -> bool:
    return isinstance(column.dtype, pd.DatetimeTZDtype)


def _constant(value: float) -> str:
    fraction = Fraction(value).limit_denominator(100)
    if fraction.denominator > 1 and np.isclose(float(fraction), value, rtol=1e-9, atol=0):
        return f"{fraction.numerator}/{fraction.denominator}"
    return f"{value:.6g}"


def _rows_words(share: float, covers: float) -> str:
    held = "every row" if share >= 1.0 else f"{share:.1%} of the rows"
    if covers >= 1.0:
        return f"on {held}"
    part = f"{covers:.0%}" if covers >= 0.01 else "under 1%"
    return f"on {held} of the {part} it speaks of"
