"""Sequential decision trees (synthpop's CART method) with privacy protections built in.

Columns are generated one after another. The first is drawn from its own distribution;
each later column is drawn from a *donor*: a real row that falls in the same leaf of a
decision tree fitted on the columns before it. That keeps each column's shape and its
relations to the others, and fits in seconds on a laptop.

Protections, all on by default:

- every leaf holds at least ``min_leaf`` real rows (people, when rows belong to people),
  so no value is drawn from a leaf that describes one person;
- a number is handed out as a real row holds it only when at least five people of the
  column hold that value (a group's value, as a category is; spikes such as a zero
  income too). Any other number is drawn anew between its leaf's neighbouring values and
  put on its donor's round step (``numbers="shared"``): a column of multiples of 25 stays
  multiples of 25, a value most people of a leaf share keeps its share, and a value one
  person holds comes back only as often as any value near it;
- categories seen in fewer than ``rare_count`` rows are modelled as one pooled group and
  drawn from that group by frequency, so a rare value is never tied to its owner's row;
- synthetic rows that equal, in every learned column, a real row shared by fewer than
  five real rows are replaced while sampling, by a row drawn again near it (the
  pipeline's rule, see :func:`synthdesk.privacy.protection.replace_copies`).

The pipeline adds its own before and after (rare categories hidden, extremes pulled in,
the leak guard); ``bench/ablation.py`` measures what each setting here costs.

:class:`CartGenerator` implements SynthDesk's generator interface
(:mod:`synthdesk.generators.base`) and prepares the table itself: no SDV code is involved.
Sampling depends only on the seed: rows are made in fixed blocks, each from its own random
stream, so drawing 30 rows at once or in chunks of 7 gives the same rows.
"""

from __future__ import annotations

import contextlib
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice, TrainingFailed
from synthdesk.generators.base import Generator, table_columns
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled
from synthdesk.schema.rarity import subject_codes
from synthdesk.schema.rows import MIN_ROWS, among, row_keys

__all__ = ["CartModel", "CartGenerator"]

# Above this many distinct values a category is drawn by a regression tree on its codes:
# a classification tree's cost grows with the number of classes.
_MAX_CLASSES = 64
# A numeric value held by at least this share of rows is a spike (zero income, a default);
# donors with it are not smoothed, so the spike survives.
_SPIKE_SHARE = 0.01
# Columns with at most this many distinct values keep their donors' exact values.
_DISCRETE_VALUES = 20
# Decimals read when finding a number column's step (cents, or a few digits more).
_STEP_DECIMALS = 6
# Round multiples of a column's step a moved number may keep (see _precision).
_MULTIPLES = tuple(m * 10**e for e in range(13) for m in (1, 2, 2.5, 5) if m * 10**e >= 1
                   and float(m * 10**e).is_integer())
_DAY_NS = 86_400 * 10**9
_SECOND_NS = 10**9


# --- the model on the prepared table -------------------------------------------------


@dataclass
class _Column:
    """How one column is encoded, learned and decoded."""

    name: str
    kind: str  # "category", "number" or "datetime"
    categories: np.ndarray | None = None  # code -> value (categories)
    pool_code: int = -1  # the code standing for every rare category, or -1
    pool_values: np.ndarray | None = None  # rare categories
    pool_weights: np.ndarray | None = None  # their frequencies, summing to 1
    has_missing: bool = False
    smooth: bool = False
    spikes: np.ndarray | None = None  # values never smoothed
    low: float = 0.0
    high: float = 0.0
    granularity_ns: int = 0  # datetimes: round to days or seconds when the data does
    step: float = 0.0  # every real value is a multiple of this (0: no common step)
    common: np.ndarray | None = None  # values held by at least shared_count rows (people)


@dataclass
class _Donors:
    """A fitted tree and, per leaf, the real values it can hand out."""

    tree: object | None  # None: draw from the whole column
    leaf_ids: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    values: np.ndarray  # sorted by leaf
    bandwidth: np.ndarray | None = None  # per leaf, for smoothing
    exact: np.ndarray | None = None  # per value: shared by enough of its leaf to give as is
    lower: np.ndarray | None = None  # per value: the next lower value in its leaf (or it)
    upper: np.ndarray | None = None  # per value: the next higher value in its leaf (or it)

    def leaves(self, predictors: np.ndarray) -> np.ndarray:
        if self.tree is None:
            return np.zeros(len(predictors), dtype=np.intp)
        # The float32 copy scikit-learn's own checks would make, without their cost
        # (a millisecond a call: a sixth of sampling, two trees a column a block).
        leaf = self.tree.apply(np.ascontiguousarray(predictors, dtype=np.float32),
                               check_input=False)
        return np.searchsorted(self.leaf_ids, leaf)

    def draw(self, predictors: np.ndarray,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Each row's leaf and one of its real rows (a position in :attr:`values`)."""
        position = self.leaves(predictors)
        offset = np.floor(rng.random(len(position)) * self.counts[position]).astype(np.intp)
        return self.starts[position] + offset, position


@dataclass
class _Step:
    """How one column is generated: its missing flag, then its values."""

    column: int
    predictors: list[int]
    missing: _Donors | None = None
    values: _Donors | None = None


@dataclass
class CartModel:
    """Sequential trees on the prepared table (identifiers left out).

    Attributes:
        min_leaf: Fewest real rows in any leaf.
        min_gain: A split must remove at least this share of the column's whole impurity
            (Gini for categories, variance for numbers); 0 splits down to ``min_leaf``.
        smoothing: Kernel width for numeric donors, as a share of Silverman's rule per
            leaf; 0 turns smoothing off.
        rare_count: Categories seen in fewer rows than this are pooled.
        max_fit_rows: Trees learn from at most this many rows (a random subset).
        order: Column order: ``"binary-last"`` (few distinct values first, two-valued
            columns last), ``"distinct"`` (few distinct values first), ``"many-first"``
            or ``"data"`` (the table's own order).
        first: Columns learned before all others, in this order (the columns rows are
            generated to conditions on: every other column is then drawn given them).
        numbers: How a number is drawn from its leaf: ``"donor"`` (a real row's value as
            it is, synthpop's way), ``"kernel"`` (that value moved by a Gaussian kernel,
            but for the column's spikes), ``"grid"`` (the kernel's value put back on the
            column's step: a column of multiples of 25 stays multiples of 25) or
            ``"shared"`` (as is when at least ``shared_count`` rows of the leaf hold it,
            else as ``"grid"``). ``smoothing`` 0 is ``"donor"`` whatever this says.
        shared_count: With ``numbers="shared"``, how many rows (people, when rows belong
            to people) of a leaf must hold a value for it to be given as it is.

    """

    min_leaf: int = 30
    min_gain: float = 1e-8
    smoothing: float = 0.5
    rare_count: int = 10
    max_fit_rows: int = 250_000
    order: str = "binary-last"
    numbers: str = "shared"
    shared_count: int = MIN_ROWS
    first: tuple[str, ...] = ()
    columns: list[_Column] = field(default_factory=list)
    steps: list[_Step] = field(default_factory=list)
    dtypes: dict = field(default_factory=dict)
    seed: int = 0
    block: int = 0

    def fit(self, data: pd.DataFrame, sdtypes: dict[str, str], seed: int,
            progress: ProgressFn = no_progress, cancel: CancelToken = NEVER,
            people: np.ndarray | None = None) -> CartModel:
        """Learn every column of ``data`` (the prepared table) in turn.

        ``people`` (an integer per row naming its person, when rows belong to people)
        makes every leaf hold ``min_leaf`` people, not rows: each row weighs one over its
        person's rows, so seven invoices of one customer weigh as one customer.
        """
        rng = np.random.default_rng(seed)
        if len(data) > self.max_fit_rows:
            keep = np.sort(rng.choice(len(data), self.max_fit_rows, replace=False))
            data = data.iloc[keep]
            people = None if people is None else people[keep]
        self._weights = None
        if people is not None:
            _, codes, counts = np.unique(people, return_inverse=True, return_counts=True)
            self._weights = 1.0 / counts[codes]
        self.dtypes = dict(data.dtypes)
        self.columns = [self._describe(name, data[name], sdtypes.get(name)) for name in data]
        matrix = np.column_stack([self._encode(c, data[c.name]) for c in self.columns]) \
            if self.columns else np.empty((len(data), 0))
        order = self._order(matrix)
        self.steps = []
        leaf = self._leaf_size(len(data))
        for done, index in enumerate(order):
            cancel.raise_if_set()
            progress(done / max(len(order), 1),
                     f"Learning column {done + 1} of {len(order)} ({self.columns[index].name})")
            self.steps.append(self._fit_step(matrix, index, order[:done], leaf, rng))
        progress(1.0, "Learned every column")
        return self

    def set_random_state(self, random_state) -> None:
        """Restart sampling from ``random_state`` (an int; anything else is hashed)."""
        if random_state is None:
            self.seed = 0
        elif isinstance(random_state, int | np.integer):
            self.seed = int(random_state) % 2**63
        else:
            self.seed = zlib.crc32(repr(random_state).encode())
        self.block = 0

    def next_rng(self) -> np.random.Generator:
        """The random stream of the next block of rows."""
        rng = np.random.default_rng([self.seed, self.block])
        self.block += 1
        return rng

    def generate(self, rows: int, rng: np.random.Generator, cancel: CancelToken = NEVER,
                 fixed: dict[int, np.ndarray] | None = None,
                 ranges: dict[int, tuple] | None = None, move: bool = False,
                 encoded: list | None = None) -> pd.DataFrame:
        """Return ``rows`` new rows in the prepared table's columns.

        ``fixed`` (column position -> encoded value per row) sets columns instead of
        drawing them; ``ranges`` (column position -> encoded ``(low, high)``) draws a
        column only from the real values inside the range. Both apply exactly to columns
        learned first (:attr:`first`): the columns after them are drawn given them.
        ``move`` draws every number of a smoothed column between its neighbours (with
        ``numbers="shared"``), common values too: rows that replace copies of real rows
        are then new rows near them, not rows from anywhere else in the table.
        ``encoded``, a list, receives the rows' encoded values (for :attr:`fixed` later).
        """
        fixed, ranges = fixed or {}, ranges or {}
        matrix = np.full((rows, len(self.columns)), np.nan)
        for step in self.steps:
            cancel.raise_if_set()
            if step.column in fixed:
                matrix[:, step.column] = fixed[step.column]
                continue
            values = self._draw_step(step, matrix, rng, move)
            if step.column in ranges:
                values = self._into_range(step, matrix, values, *ranges[step.column], rng)
            matrix[:, step.column] = values
        if encoded is not None:
            encoded.append(matrix)
        return pd.DataFrame(
            {c.name: self._decode(c, matrix[:, i], rng) for i, c in enumerate(self.columns)}
        )

    def sample(self, rows: int) -> pd.DataFrame:
        """Return ``rows`` rows from the next blocks' random streams."""
        return self.generate(rows, self.next_rng())

    def position(self, name: str) -> int:
        """The position of column ``name`` among the learned columns."""
        return next(i for i, c in enumerate(self.columns) if c.name == name)

    def encode_fixed(self, name: str, values: np.ndarray) -> np.ndarray:
        """Encode the values a column is fixed to.

        Raises:
            InvalidChoice: A value was never learned, or only as one of the rare values
                pooled to protect the people who hold them.

        """
        spec = self.columns[self.position(name)]
        if spec.kind != "category":
            encoded = self._encode(spec, pd.Series(values))
            if np.isnan(encoded).any():
                raise InvalidChoice(f"{name!r} can only be fixed to a number or a date.")
            return encoded
        codes = self._encode(spec, pd.Series(values, dtype=object))
        if (codes < 0).any():
            raise InvalidChoice(f"{name!r} never holds {values[np.argmax(codes < 0)]!r} in the "
                                "rows learned, so no row can be generated with it.")
        if spec.pool_code >= 0 and (codes == spec.pool_code).any():
            raise InvalidChoice(
                f"{name!r} = {values[np.argmax(codes == spec.pool_code)]!r} is held by too few "
                "real rows to learn it apart from other rare values: choose a more common "
                "value.")
        return codes

    def encode_range(self, name: str, low, high) -> tuple:
        """Encode a range's ends in the column's learned units (numbers, or nanoseconds)."""
        spec = self.columns[self.position(name)]

        def one(end):
            if end is None:
                return None
            if spec.kind == "datetime":
                return float(_datetime_ns(pd.Series([end]))[0])
            return float(end)

        return one(low), one(high)

    def _into_range(self, step: _Step, matrix: np.ndarray, values: np.ndarray, low, high,
                    rng: np.random.Generator) -> np.ndarray:
        """Redraw the values outside ``low..high`` from the real values inside it, by leaf."""
        inside = ~np.isnan(values)
        if low is not None:
            inside &= values >= low
        if high is not None:
            inside &= values <= high
        if inside.all() or step.values is None:
            return values
        donors = step.values
        spec = self.columns[step.column]

        def within(pool: np.ndarray) -> np.ndarray:
            keep = ~np.isnan(pool)
            if low is not None:
                keep &= pool >= low
            if high is not None:
                keep &= pool <= high
            return keep

        if not within(donors.values).any():
            raise InvalidChoice(f"No real row of {spec.name!r} lies in the range asked for.")
        bad = np.flatnonzero(~inside)
        x = matrix[bad][:, step.predictors] if step.predictors else np.empty((len(bad), 0))
        leaves = donors.leaves(x)
        out = values.copy()
        everywhere = np.flatnonzero(within(donors.values))
        for leaf in np.unique(leaves):
            rows = bad[leaves == leaf]
            start, count = donors.starts[leaf], donors.counts[leaf]
            pool = start + np.flatnonzero(within(donors.values[start:start + count]))
            if not len(pool):
                pool = everywhere
            picked = rng.choice(pool, size=len(rows))
            out[rows] = self._jitter(spec, donors, picked, np.full(len(rows), leaf), rng,
                                     low, high)
        return out

    # encoding ---------------------------------------------------------------------------

    def _describe(self, name: str, column: pd.Series, sdtype: str | None) -> _Column:
        if pd.api.types.is_datetime64_any_dtype(column):
            values = _datetime_ns(column)
            valid = values[~np.isnan(values)]
            granularity = 0
            if len(valid) and np.all(np.mod(valid, _DAY_NS) == 0):
                granularity = _DAY_NS
            elif len(valid) and np.all(np.mod(valid, _SECOND_NS) == 0):
                granularity = _SECOND_NS
            return self._numeric(name, "datetime", values, granularity)
        if sdtype == "numerical" or (
            sdtype is None and pd.api.types.is_numeric_dtype(column)
            and not pd.api.types.is_bool_dtype(column)
        ):
            values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64",
                                                                     na_value=np.nan)
            return self._numeric(name, "number", values, 0)
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        counts = np.bincount(codes, minlength=len(uniques))
        by_frequency = np.argsort(-counts, kind="stable")
        categories = np.asarray(uniques, dtype=object)[by_frequency]
        counts = counts[by_frequency]
        rare = counts < self.rare_count
        spec = _Column(name, "category", categories=categories)
        if rare.sum() >= 2:  # a pool of one would protect nothing; keep it as it is
            spec.pool_code = int(np.flatnonzero(rare)[0])
            spec.pool_values = categories[rare]
            spec.pool_weights = counts[rare] / counts[rare].sum()
        return spec

    def _numeric(self, name: str, kind: str, values: np.ndarray, granularity: int) -> _Column:
        valid = values[~np.isnan(values)]
        spec = _Column(name, kind, has_missing=bool(np.isnan(values).any()),
                       granularity_ns=granularity)
        if len(valid):
            spec.low, spec.high = float(valid.min()), float(valid.max())
            distinct, counts = np.unique(valid, return_counts=True)
            spec.smooth = (bool(self.smoothing) and self.numbers != "donor"
                           and len(distinct) > _DISCRETE_VALUES)
            spec.step = _grid_step(distinct)
            weights = getattr(self, "_weights", None)
            held = counts if weights is None else np.bincount(
                np.searchsorted(distinct, valid), weights=weights[~np.isnan(values)],
                minlength=len(distinct))
            spec.common = distinct[held >= self.shared_count]
            # A spike holds a large share of the rows, well above an ordinary value's.
            spike = np.maximum(_SPIKE_SHARE * len(valid), 3 * len(valid) / len(distinct))
            spec.spikes = distinct[counts >= spike]
        return spec

    def _encode(self, spec: _Column, column: pd.Series) -> np.ndarray:
        if spec.kind == "datetime":
            return _datetime_ns(column)
        if spec.kind == "number":
            return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64",
                                                                   na_value=np.nan)
        lookup = pd.Index(spec.categories)
        codes = lookup.get_indexer(column.astype(object)).astype("float64")
        # None and NaN are one missing category; the index finds only NaN.
        missing = column.isna().to_numpy()
        if missing.any():
            codes[missing] = np.flatnonzero(pd.isna(spec.categories))[0]
        if spec.pool_code >= 0:
            codes[codes >= spec.pool_code] = spec.pool_code
        return codes

    def _decode(self, spec: _Column, values: np.ndarray, rng: np.random.Generator) -> pd.Series:
        if spec.kind == "category":
            codes = values.astype(np.intp)
            out = spec.categories[codes]
            if spec.pool_code >= 0:
                pooled = codes == spec.pool_code
                out[pooled] = rng.choice(spec.pool_values, size=int(pooled.sum()),
                                         p=spec.pool_weights)
            return pd.Series(out, dtype=object)
        if spec.kind == "datetime":
            if spec.granularity_ns:
                values = np.round(values / spec.granularity_ns) * spec.granularity_ns
            stamps = pd.to_datetime(pd.Series(values), unit="ns", errors="coerce")
            return stamps.astype(self.dtypes.get(spec.name, "datetime64[ns]"))
        return pd.Series(values)

    # learning ---------------------------------------------------------------------------

    def _order(self, matrix: np.ndarray) -> list[int]:
        if self.order == "data":
            return self._first_columns_first(list(range(matrix.shape[1])))
        # Few distinct values first (categories), continuous measures after them: a tree
        # draws a continuous column well from discrete ones, less well the other way round.
        # Two-valued columns (often the outcome an analyst predicts) go last, each drawn
        # from a tree on every other column, as a model would predict it.
        distinct = [len(np.unique(matrix[:, i][~np.isnan(matrix[:, i])]))
                    for i in range(matrix.shape[1])]
        if self.order == "many-first":
            order = sorted(range(matrix.shape[1]), key=lambda i: (-distinct[i], i))
        elif self.order == "binary-last":
            order = sorted(range(matrix.shape[1]),
                           key=lambda i: (distinct[i] <= 2, distinct[i], i))
        else:
            order = sorted(range(matrix.shape[1]), key=lambda i: (distinct[i], i))
        return self._first_columns_first(order)

    def _first_columns_first(self, order: list[int]) -> list[int]:
        names = [c.name for c in self.columns]
        first = [names.index(name) for name in self.first if name in names]
        return first + [i for i in order if i not in first]

    def _leaf_size(self, rows: int) -> int:
        # Large tables get proportionally larger leaves: fidelity is unchanged and each
        # leaf pools more people.
        return max(self.min_leaf, rows // 20_000)

    def _fit_step(self, matrix: np.ndarray, index: int, predictors: list[int], leaf: int,
                  rng: np.random.Generator) -> _Step:
        spec = self.columns[index]
        target = matrix[:, index]
        step = _Step(index, list(predictors))
        x = matrix[:, predictors] if predictors else None
        observed = ~np.isnan(target)
        weights = getattr(self, "_weights", None)
        if spec.kind != "category" and spec.has_missing:
            step.missing = self._donors(x, observed.astype("float64"), True, leaf, rng,
                                        weights=weights)
        if observed.any():
            rows = observed if spec.kind != "category" else slice(None)
            step.values = self._donors(None if x is None else x[rows], target[rows],
                                       spec.kind == "category", leaf, rng,
                                       smooth=spec.smooth, common=spec.common,
                                       weights=None if weights is None else weights[rows])
        return step

    def _donors(self, x: np.ndarray | None, y: np.ndarray, discrete: bool, leaf: int,
                rng: np.random.Generator, smooth: bool = False,
                weights: np.ndarray | None = None, common: np.ndarray | None = None) -> _Donors:
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

        tree = None
        people = len(y) if weights is None else float(weights.sum())
        if x is not None and len(np.unique(y)) > 1 and people >= 2 * leaf:
            classify = discrete and len(np.unique(y)) <= _MAX_CLASSES
            cls = DecisionTreeClassifier if classify else DecisionTreeRegressor
            target = y.astype(np.intp) if classify else y
            gain = 0.0
            if self.min_gain:
                if classify:
                    shares = np.bincount(target) / len(target)
                    gain = self.min_gain * float(1.0 - np.sum(shares * shares))
                else:
                    gain = self.min_gain * float(np.var(y))
            # With people, a leaf holds ``leaf`` people's weight as well as ``leaf`` rows.
            share = 0.0 if weights is None else min(0.5, leaf / people)
            tree = cls(min_samples_leaf=leaf, min_impurity_decrease=gain,
                       min_weight_fraction_leaf=share,
                       random_state=int(rng.integers(2**31)))
            tree.fit(x, target, sample_weight=weights)
            leaf_of_row = tree.apply(x)
        else:
            leaf_of_row = np.zeros(len(y), dtype=np.intp)
        order = np.argsort(leaf_of_row, kind="stable")
        leaf_ids, starts, counts = np.unique(leaf_of_row[order], return_index=True,
                                             return_counts=True)
        values = y[order]
        donors = _Donors(tree, leaf_ids, starts, counts, values)
        if smooth:
            total = np.add.reduceat(values, starts)
            squares = np.add.reduceat(values * values, starts)
            mean = total / counts
            spread = np.sqrt(np.maximum(squares / counts - mean * mean, 0.0))
            # Silverman's rule per leaf, scaled by ``smoothing``.
            donors.bandwidth = float(self.smoothing) * 1.06 * spread * counts ** -0.2
            if self.numbers == "shared":
                donors.lower, donors.upper = _neighbours(leaf_of_row[order], values)
                donors.exact = np.isin(values, common) if common is not None \
                    else np.zeros(len(values), dtype=bool)
        return donors

    # drawing ----------------------------------------------------------------------------

    def _draw_step(self, step: _Step, matrix: np.ndarray, rng: np.random.Generator,
                   move: bool = False) -> np.ndarray:
        spec = self.columns[step.column]
        x = matrix[:, step.predictors] if step.predictors else np.empty((len(matrix), 0))
        out = np.full(len(matrix), np.nan)
        present = np.ones(len(matrix), dtype=bool)
        if step.missing is not None:
            picked, _ = step.missing.draw(x, rng)
            present = step.missing.values[picked] > 0.5
        if step.values is None or not present.any():
            return out
        picked, leaf = step.values.draw(x[present], rng)
        out[present] = self._jitter(spec, step.values, picked, leaf, rng, move=move)
        return out

    def _jitter(self, spec: _Column, donors: _Donors, picked: np.ndarray, leaf: np.ndarray,
                rng: np.random.Generator, low: float | None = None,
                high: float | None = None, move: bool = False) -> np.ndarray:
        """The donors' values at ``picked``, smoothed as :attr:`numbers` says."""
        values = donors.values[picked]
        if donors.bandwidth is None:
            return values
        bottom = spec.low if low is None else max(low, spec.low)
        top = spec.high if high is None else min(high, spec.high)
        keep = np.zeros(len(values), dtype=bool)
        if spec.spikes is not None and len(spec.spikes):
            keep |= np.isin(values, spec.spikes)
        if self.numbers == "shared":
            return self._between(spec, donors, picked, keep, rng, bottom, top, move)
        width = donors.bandwidth[leaf]
        noise = rng.standard_normal(len(values)) * width
        noise[keep] = 0.0
        moved = values + noise
        if self.numbers == "kernel":
            return np.clip(moved, bottom, top)
        # Reflected at the column's ends, not clipped: clipping piles the kernel's tails
        # onto the lowest and highest values.
        moved = np.where(moved < bottom, 2 * bottom - moved, moved)
        moved = np.where(moved > top, 2 * top - moved, moved)
        moved = np.clip(moved, bottom, top)
        if not spec.step:
            return moved
        snapped = np.round(moved / spec.step) * spec.step
        return np.where((snapped < bottom) | (snapped > top), moved, snapped)

    def _between(self, spec: _Column, donors: _Donors, picked: np.ndarray, keep: np.ndarray,
                 rng: np.random.Generator, bottom: float, top: float,
                 move: bool = False) -> np.ndarray:
        """``numbers="shared"``: a value few people hold, drawn between its neighbours.

        A value at least ``shared_count`` rows (people, when rows belong to people) of
        the column hold is a group's value, given as it is, as a category would be (and
        so is a spike). Any other is drawn uniformly between its leaf's next lower and
        next higher values (a kernel as wide as the leaf's own spacing there, never
        beyond the leaf's lowest or highest value), then put on the coarsest round step
        of its donor that the draw's width allows (see :func:`_precision`): point
        masses, granularity and the leaf's range survive, and a value one person holds
        comes back only as often as any value between its neighbours would.
        """
        values = donors.values[picked]
        if not move:
            keep = keep | donors.exact[picked]
        lower, upper = donors.lower[picked], donors.upper[picked]
        moved = lower + rng.random(len(values)) * (upper - lower)
        if spec.step:
            step = np.full(len(values), spec.step)
            if spec.kind == "number":
                step = _precision(values, spec.step, (upper - lower) / 2)
            snapped = np.round(moved / step) * step
            # Neighbours are real values, multiples of the column's step but perhaps not
            # of the donor's coarser one: back on the column's step when it strays.
            astray = (snapped < lower) | (snapped > upper)
            snapped[astray] = np.round(moved[astray] / spec.step) * spec.step
            moved = snapped
        moved = np.where(keep, values, moved)
        return np.clip(moved, bottom, top)


def _grid_step(distinct: np.ndarray) -> float:
    """The largest step every value is a whole multiple of (25 for 25, 50, 175), or 0.

    Values are read to at most :data:`_STEP_DECIMALS` decimals; a column with more, or
    too large to count in whole units exactly, has no step.
    """
    if not len(distinct):
        return 0.0
    for decimals in range(_STEP_DECIMALS + 1):
        scaled_values = distinct * 10.0 ** decimals
        if np.max(np.abs(scaled_values)) >= 2.0 ** 53:
            return 0.0
        whole = np.round(scaled_values)
        slack = np.maximum(1e-6, 8 * np.finfo(float).eps * np.abs(scaled_values))
        if np.all(np.abs(scaled_values - whole) <= slack):
            units = np.gcd.reduce(np.abs(whole.astype(np.int64)))
            return float(units) / 10.0 ** decimals if units else 0.0
    return 0.0


def _precision(values: np.ndarray, step: float, width: np.ndarray) -> np.ndarray:
    """Per value, the coarsest round step it is a multiple of, at most its kernel's width.

    Steps are the column's ``step`` times 1, 2, 5, 10, 20, 25, 50, 100, ...: a salary of
    525,000 (a multiple of 25,000) moved by a kernel 40,000 wide lands on another multiple
    of 25,000, as real salaries do; a salary of 1,833,333 on any whole number.
    """
    units = np.round(values / step)
    out = np.ones(len(values))
    for multiple in _MULTIPLES:
        fits = (np.mod(units, multiple) == 0) & (multiple * step <= width)
        out[fits] = multiple
    return out * step


def _neighbours(leaf: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, its leaf's next lower and next higher values (its own at the ends)."""
    order = np.lexsort((values, leaf))
    sorted_leaf, sorted_values = leaf[order], values[order]
    same_leaf = sorted_leaf[1:] == sorted_leaf[:-1]
    same = np.r_[False, same_leaf & (sorted_values[1:] == sorted_values[:-1])]
    run = np.cumsum(~same) - 1  # one run per distinct value of a leaf
    firsts = np.flatnonzero(~same)
    run_value, run_leaf = sorted_values[firsts], sorted_leaf[firsts]
    has_lower = np.r_[False, run_leaf[1:] == run_leaf[:-1]]
    has_upper = np.r_[run_leaf[1:] == run_leaf[:-1], False]
    below = np.where(has_lower, np.r_[run_value[:1], run_value[:-1]], run_value)
    above = np.where(has_upper, np.r_[run_value[1:], run_value[-1:]], run_value)
    out = np.empty((2, len(values)))
    out[0, order], out[1, order] = below[run], above[run]
    return out[0], out[1]


def _datetime_ns(column: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(column, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(None)
    values = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
    values[stamps.isna().to_numpy()] = np.nan
    return values


# --- the generator ----------------------------------------------------------------------


class _CopyGuard:
    """Which synthetic rows copy a real row that fewer than ``threshold`` real rows share.

    A row many real rows share describes a group, not a person, and genuinely new rows
    repeat it as often; copies of rarer rows are replaced. This is the rule of
    :func:`synthdesk.privacy.protection.replace_copies`, applied while sampling so that
    the pipeline finds nothing left to replace.
    """

    def __init__(self, frame: pd.DataFrame, threshold: int):
        self.columns = list(frame.columns)
        keys = row_keys(frame) if self.columns else np.empty(0, dtype=np.uint64)
        unique, counts = np.unique(keys, return_counts=True)
        self.keys = unique[counts < threshold]

    def copies(self, rows: pd.DataFrame) -> np.ndarray:
        """Positions of the rows to replace."""
        if not self.columns or not len(self.keys):
            return np.empty(0, dtype=np.intp)
        return np.flatnonzero(among(row_keys(rows[self.columns]), self.keys))


class CartGenerator(Generator):
    """Sequential decision trees (synthpop's CART) behind SynthDesk's generator interface.

    It prepares the table itself: identifier columns are never learned (each synthetic
    row gets a fresh key), numbers are rounded as the real ones are and kept within their
    real minimum and maximum, and every column comes back in its real dtype.

    Args:
        seed: Seed of the fit (sampling takes its own).
        enforce_min_max_values: Keep numbers within the real minimum and maximum.
        enforce_rounding: Round numbers as the real data is rounded.
        min_leaf: Fewest real rows in any leaf (privacy; synthpop's ``minbucket``). 30
            keeps the DCR share near 0.55 on SynthDesk's benchmark tables; 5 or 10
            raised it without raising accuracy (bench/ablation.py).
        min_gain: Smallest useful split, as a share of the column's impurity (rpart's
            ``cp``; synthpop's 1e-8 by default). 1e-4 stops splits on chance differences
            between rows; with leaves of 30 rows and numbers drawn ``"shared"`` the
            smaller value brought the discriminator closer to 0.5 (bench/ablation.py).
        smoothing: Kernel width for numeric donors, as a share of Silverman's rule in
            their leaf, with ``numbers="kernel"`` or ``"grid"``; with ``"shared"`` any
            value above 0 turns the neighbours' draw on (0: donors' values as they are).
        rare_count: Pool categories seen in fewer rows than this.
        remove_copies: Replace synthetic rows that copy a rare real row.
        block_rows: Rows made per random stream; sampling is the same in any chunks.
        order: Column order, see :class:`CartModel`.
        numbers: How numbers are drawn within a leaf, see :class:`CartModel`.
        shared_count: See :class:`CartModel`.
        first_columns: Columns learned before all others, so that rows can be generated
            to conditions on them exactly (see :meth:`sample`).
        strata_column: A column (the one an analyst rebalances) whose every value also
            gets trees of its own, learned from its rows only: rows generated for a rare
            value then follow that value's real rows, not the mixed leaves of a tree in
            which the common values outnumber it.

    Attributes:
        columns_: The fitted columns, in order.
        formats_: How each learned number is rounded and bounded.
        keys_: Identifier columns, and whether their keys are numbers.
        model_: The trees.
        guard_: The copy guard (None when ``remove_copies`` is off).

    """

    _COPY_ROUNDS = 20

    def __init__(self, seed=0, enforce_min_max_values=True, enforce_rounding=True,
                 min_leaf=30, min_gain=1e-8, smoothing=0.5, rare_count=10,
                 remove_copies=True, block_rows=5_000, order="binary-last", first_columns=(),
                 strata_column=None, numbers="shared", shared_count=MIN_ROWS):
        self.seed = seed
        self.enforce_min_max_values = enforce_min_max_values
        self.enforce_rounding = enforce_rounding
        self.min_leaf = min_leaf
        self.min_gain = min_gain
        self.smoothing = smoothing
        self.rare_count = rare_count
        self.remove_copies = remove_copies
        self.block_rows = block_rows
        self.order = order
        self.first_columns = tuple(first_columns)
        self.strata_column = strata_column
        self.numbers = numbers
        self.shared_count = shared_count

    # fitting ----------------------------------------------------------------------------

    def fit(self, data: pd.DataFrame, metadata, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> CartGenerator:
        """Learn every column of ``data`` but its identifiers; returns self."""
        columns = table_columns(metadata)
        sdtypes = {name: columns.get(name, {}).get("sdtype", "categorical") for name in data}
        unknown = [n for n, s in sdtypes.items() if s not in _LEARNED_SDTYPES and s != "id"]
        if unknown:
            raise TrainingFailed(
                f"The decision trees cannot learn column {unknown[0]!r} "
                f"({sdtypes[unknown[0]]}): mark it as replaced or drop it.")
        if data.empty:
            raise TrainingFailed("The decision trees need at least one row to learn from.")
        cancel.raise_if_set()
        progress(0.0, "Preparing the data")
        self.columns_ = list(data.columns)
        self.dtypes_ = dict(data.dtypes)
        self.keys_ = {name: pd.api.types.is_numeric_dtype(data[name])
                      for name, sdtype in sdtypes.items() if sdtype == "id"}
        learned = [name for name in data if name not in self.keys_]
        self.formats_ = {
            name: _NumberFormat.learn(data[name], self.enforce_rounding,
                                      self.enforce_min_max_values)
            for name in learned if sdtypes[name] == "numerical"
        }
        self.guard_ = _CopyGuard(data[learned], MIN_ROWS) if self.remove_copies else None
        fit_seed = int(np.random.RandomState(self.seed % 2**32).randint(2**31 - 1))
        learned_types = {n: sdtypes[n] for n in learned}
        strata = self.strata_column if self.strata_column in learned else None
        self.model_ = self._new_model(learned).fit(
            data[learned], learned_types, fit_seed,
            scaled(progress, 0.05, 0.6 if strata else 1.0), cancel,
            people=self._people_of(data))
        self.strata_ = {}
        if strata:
            labels = data[strata]
            values = list(labels.dropna().unique())
            for i, value in enumerate(values):
                cancel.raise_if_set()
                part = data.loc[(labels == value).to_numpy(), learned]
                model = self._new_model(learned)
                # A group's trees keep the kernel, widened for small groups: that is what
                # bench/rebalance.py measured (the neighbours' draw has no width to widen).
                model.numbers = "kernel"
                model.smoothing = self._group_smoothing(len(part))
                self.strata_[value] = model.fit(
                    part, learned_types, fit_seed + i + 1,
                    scaled(progress, 0.6 + 0.4 * i / len(values),
                           0.6 + 0.4 * (i + 1) / len(values)), cancel)
        self.loss_ = []
        return self

    def count_people(self, people: pd.Series | None) -> None:
        """Count leaves in people: ``people`` names each training row's person (by index)."""
        self.people_ = people

    def _people_of(self, data: pd.DataFrame) -> np.ndarray | None:
        people = getattr(self, "people_", None)
        if people is None:
            return None
        return subject_codes(data.index, people)

    def _group_smoothing(self, rows: int) -> float:
        """The kernel width of one stratum's trees, wider the fewer real rows it has.

        A leaf holds at least ``min_leaf`` rows in a small group as in the whole table, but
        the group's rows lie far apart: a kernel sized for the leaf left its synthetic
        numbers beside their donors, and the group's DCR share against its own held-out
        rows was 0.552 on the state legislators table (bench/rebalance.py). Below
        :data:`_GROUP_ROWS` rows the width grows with the square root of the shortfall, up
        to :data:`_GROUP_WIDENING` times (there 0.540; four times blurred a 43-row group so
        much that its synthetic rows no longer helped a model find it). The whole table's
        trees, and so every job without a rebalanced column, keep ``smoothing`` as it is.
        """
        widen = np.sqrt(_GROUP_ROWS / max(rows, 1))
        return float(self.smoothing * np.clip(widen, 1.0, _GROUP_WIDENING))

    def _new_model(self, learned: list[str]) -> CartModel:
        return CartModel(min_leaf=self.min_leaf, min_gain=self.min_gain,
                         smoothing=self.smoothing, rare_count=self.rare_count,
                         order=self.order, numbers=self.numbers,
                         shared_count=self.shared_count,
                         first=tuple(c for c in self.first_columns if c in learned))

    # sampling ---------------------------------------------------------------------------

    def sample(self, rows: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions=None) -> pd.DataFrame:
        """Return ``rows`` rows; the same seed gives the same rows, in any chunks.

        ``conditions`` (a :class:`synthdesk.generators.conditions.RowConditions` for
        ``rows`` rows) fixes columns or keeps them in ranges, exactly: the columns must
        have been learned first (``first_columns``), and every other column is drawn
        given them, as the real rows with those values have it.

        Raises:
            InvalidChoice: A conditioned column was not learned first, or a value or
                range cannot be generated.
            TrainingFailed: Fewer than one row asked for.
            Cancelled: ``cancel`` was set.

        """
        from synthdesk.generators import base

        if rows < 1:
            raise TrainingFailed("The number of rows to generate must be at least 1.")
        self.model_.set_random_state(seed)
        if conditions is not None:
            out = self._sample_to(conditions, rows, progress, cancel)
        else:
            buffer = pd.DataFrame()
            parts = []
            done = 0
            while done < rows:
                cancel.raise_if_set()
                size = min(base.CHUNK_ROWS, rows - done)
                while len(buffer) < size:
                    buffer = pd.concat([buffer, self._next_block()], ignore_index=True)
                parts.append(buffer.iloc[:size])
                buffer = buffer.iloc[size:].reset_index(drop=True)
                done += size
                progress(done / rows, f"Generated {done:,} of {rows:,} rows")
            out = pd.concat(parts, ignore_index=True)
        keys = np.random.default_rng([self.model_.seed, 2**32 - 1])
        for name, numeric in self.keys_.items():
            out[name] = _fresh_keys(rows, numeric, keys)
        return out[self.columns_].astype(
            {name: self.dtypes_[name] for name in self.keys_}, errors="ignore")

    def _sample_to(self, conditions, rows: int, progress: ProgressFn,
                   cancel: CancelToken) -> pd.DataFrame:
        """Rows that meet ``conditions``, made block by block from the blocks' streams.

        Rows whose stratum column is fixed come from that value's own trees.
        """
        if self.strata_ and self.strata_column in conditions.fixed:
            labels = conditions.fixed[self.strata_column]
            parts = []
            values = list(dict.fromkeys(labels.tolist()))
            for i, value in enumerate(values):
                model = self.strata_.get(value)
                if model is None:
                    raise InvalidChoice(f"{self.strata_column!r} never holds {value!r} in the "
                                        "rows learned, so no row can be generated with it.")
                model.set_random_state((self.model_.seed + 104_729 * (i + 1)) % 2**63)
                positions = np.flatnonzero(labels == value)
                part = self._generate_to(model, conditions.take(positions), len(positions),
                                         scaled(progress, i / len(values),
                                                (i + 1) / len(values)), cancel)
                part.index = positions
                parts.append(part)
            return pd.concat(parts).sort_index().reset_index(drop=True)
        return self._generate_to(self.model_, conditions, rows, progress, cancel)

    def _generate_to(self, model: CartModel, conditions, rows: int, progress: ProgressFn,
                     cancel: CancelToken) -> pd.DataFrame:
        wanted = conditions.columns
        if set(model.first[:len(wanted)]) != set(wanted):
            raise InvalidChoice("These rows can be generated to conditions only when the "
                                "conditioned columns are learned first: train again with "
                                "the conditions set.")
        fixed = {model.position(name): model.encode_fixed(name, values)
                 for name, values in conditions.fixed.items()}
        ranges = {model.position(name): model.encode_range(name, *bounds)
                  for name, bounds in conditions.ranges.items()}
        parts = []
        for start in range(0, rows, self.block_rows):
            cancel.raise_if_set()
            stop = min(rows, start + self.block_rows)
            block_fixed = {i: v[start:stop] for i, v in fixed.items()}
            parts.append(self._conditioned_block(model, stop - start, block_fixed, ranges,
                                                 conditions.rows(start, stop), cancel))
            progress(stop / rows, f"Generated {stop:,} of {rows:,} rows")
        return pd.concat(parts, ignore_index=True)

    def _conditioned_block(self, model: CartModel, size: int, fixed: dict, ranges: dict,
                           conditions, cancel: CancelToken) -> pd.DataFrame:
        rng = model.next_rng()
        rows = self._finish(model.generate(size, rng, cancel, fixed, ranges))
        for _ in range(self._COPY_ROUNDS):
            redo = np.flatnonzero(~conditions.satisfied(rows))  # rounding left a range
            if self.guard_ is not None:
                redo = np.union1d(redo, self.guard_.copies(rows))
            if not len(redo):
                return rows
            again = self._finish(model.generate(
                len(redo), rng, cancel, {i: v[redo] for i, v in fixed.items()}, ranges,
                move=True))
            again.index = rows.index[redo]
            rows.loc[again.index, again.columns] = again
        if not conditions.satisfied(rows).all():
            raise TrainingFailed("Rows meeting the conditions could not be generated: the "
                                 "range is too narrow for the values the table holds.")
        return rows

    def _next_block(self) -> pd.DataFrame:
        """One block of finished rows from its own random stream, copies replaced.

        A copy is drawn again near where it was: its first columns are kept and the
        later ones drawn again, one more column each round (then whole rows, for the
        last half of the rounds). Drawing whole rows again from the first round bent the
        table towards the rows that are never copies (a row two hundred people share
        rose from 40% to 48% of a table of small numbers), since the rows replaced are
        the rarer ones.
        """
        rng = self.model_.next_rng()
        encoded: list = []
        rows = self._finish(self.model_.generate(self.block_rows, rng, encoded=encoded))
        if self.guard_ is None:
            return rows
        matrix = encoded[0]
        order = [step.column for step in self.model_.steps]
        excess = self.guard_.copies(rows)
        drawn = []
        for attempt in range(self._COPY_ROUNDS):
            if not len(excess):
                break
            kept = order[:max(len(order) - 1 - attempt, 0)] \
                if attempt < self._COPY_ROUNDS // 2 else []
            encoded = []
            again = self._finish(self.model_.generate(
                len(excess), rng, fixed={c: matrix[excess, c] for c in kept}, move=True,
                encoded=encoded))
            matrix[excess] = encoded[0]
            again.index = rows.index[excess]
            drawn.append(again)
            if attempt + 1 < self._COPY_ROUNDS:
                # Only the rows just drawn can be copies: the others were not, and stay.
                excess = excess[self.guard_.copies(again)]
        if drawn:  # each row as last drawn, set at once (one pandas assignment a block)
            again = pd.concat(drawn)
            again = again[~again.index.duplicated(keep="last")]
            rows.loc[again.index, again.columns] = again
        return rows

    def _finish(self, drawn: pd.DataFrame) -> pd.DataFrame:
        """The model's rows with numbers rounded and bounded, in the real dtypes."""
        out = {}
        for name in drawn:
            column = drawn[name]
            if name in self.formats_:
                column = self.formats_[name].apply(column)
            dtype = self.dtypes_[name]
            if column.dtype != dtype:
                with contextlib.suppress(TypeError, ValueError):
                    if pd.api.types.is_integer_dtype(dtype) and column.isna().any():
                        raise ValueError  # an integer column with gaps stays float
                    column = column.astype(dtype)
            out[name] = column
        return pd.DataFrame(out, index=drawn.index)


# A stratum (one value of the rebalanced column) with fewer real rows than this gets a
# wider kernel for its numbers, at most this many times the table's (see
# CartGenerator._group_smoothing).
_GROUP_ROWS = 5_000
_GROUP_WIDENING = 2.0

_LEARNED_SDTYPES = ("numerical", "categorical", "boolean", "datetime", "ordinal")
# Digits tried when learning how a number column is rounded (as SDV's formatter does).
_MAX_DECIMALS = 14


@dataclass(frozen=True)
class _NumberFormat:
    """How a number column is rounded and bounded."""

    digits: int | None
    low: float | None
    high: float | None

    @classmethod
    def learn(cls, column: pd.Series, rounding: bool, bounds: bool) -> _NumberFormat:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64",
                                                                 na_value=np.nan)
        valid = values[np.isfinite(values)]
        digits = None
        if rounding and len(valid):
            digits = next((d for d in range(_MAX_DECIMALS + 1)
                           if np.array_equal(valid, np.round(valid, d))), None)
        elif pd.api.types.is_integer_dtype(column):
            digits = 0
        low = float(valid.min()) if bounds and len(valid) else None
        high = float(valid.max()) if bounds and len(valid) else None
        return cls(digits, low, high)

    def apply(self, column: pd.Series) -> pd.Series:
        # NumPy, not pandas: the same clip and round, without pandas' per-call cost, which
        # dominated sampling in small blocks (each later child of related tables).
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64",
                                                                 na_value=np.nan)
        if self.low is not None:
            values = np.clip(values, self.low, self.high)
        if self.digits is not None:
            values = np.round(values, self.digits)
        return pd.Series(values, index=column.index, name=column.name)


def _fresh_keys(rows: int, numeric: bool, rng: np.random.Generator) -> pd.Series:
    """``rows`` distinct new keys: ten-digit numbers, or ``ID`` and eight digits."""
    if numeric:
        return pd.Series(rng.choice(9 * 10**9, size=rows, replace=False) + 10**9)
    numbers = rng.choice(10**8, size=rows, replace=False)
    return pd.Series([f"ID{n:08d}" for n in numbers], dtype=object)
