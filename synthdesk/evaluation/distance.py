"""How close synthetic rows sit to real ones: distances that treat numbers and categories fairly.

Rows are compared with a Gower-style distance: each number counts its difference divided
by the column's spread (the 1st to 99th percentile of the real rows), each category counts
1 when the values differ, a missing value counts 1 against a present one; the distance is
the mean over columns, so 0 is identical and about 1 is different in every column.

Three measures use it, each against rows the generator never saw (a holdout):

- **DCR share**: of the synthetic rows, the share closer to the training rows than to
  as many holdout rows. A generator that learned the population, not the people, scores
  about 0.5; one that copies its training rows scores towards 1.
- **Nearest-neighbour distance ratio**: distance to the nearest training row divided by
  the distance to the second nearest. Near 0 means a row sits on top of one real row;
  the holdout's own ratios show what is normal for the table.
- **Exact copies**: the share of synthetic rows equal to a training row, beside the same
  share for the holdout rows (real rows that happen to repeat another real row).

When rows belong to subjects (several invoices of one customer), the DCR share counts
subjects, not rows: the training side is cut to as many *people* as the holdout has, each
synthetic person's rows vote once (the share of their rows nearer the training side), and
samples of large tables take whole people. A customer with seven invoices is one person.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from synthdesk.evaluation.parallel import SerialPool
from synthdesk.schema.rarity import subject_keys
from synthdesk.schema.rows import among, row_keys

__all__ = [
    "MixedEncoder",
    "PrivacyDistances",
    "dcr_share",
    "nearest_distances",
    "nndr",
    "privacy_distances",
]

# Beyond this many rows per table, a random sample gives the same shares to two decimals.
MAX_ROWS = 10_000
# Categories beyond the most frequent ones count as one "other" value.
MAX_CATEGORIES = 50
# Query rows compared at once: a block of distances to 5,000 rows is 10 MB, which stays
# in the processor's cache better than larger ones (a quarter less time on the wide table).
_BLOCK_ROWS = 250


class MixedEncoder:
    """Places rows in a space where the L1 distance divided by the columns is Gower's.

    Args:
        max_categories: Most frequent categories kept per column; the rest are one value.

    """

    def __init__(self, max_categories: int = MAX_CATEGORIES):
        self.max_categories = max_categories
        self._numbers: dict[str, tuple[float, float, float]] = {}
        self._categories: dict[str, pd.Index] = {}
        self.columns: list[str] = []

    def fit(self, frame: pd.DataFrame) -> MixedEncoder:
        """Learn each column's kind, spread or categories from ``frame``."""
        self.columns = list(frame.columns)
        for name, column in frame.items():
            values = _as_number(column)
            if values is not None:
                valid = values[~np.isnan(values)]
                if len(valid):
                    low, high = np.percentile(valid, [1, 99])
                    spread = high - low or (valid.max() - valid.min()) or 1.0
                    self._numbers[name] = (float(np.median(valid)), float(spread),
                                           float(np.isnan(values).any()))
                else:
                    self._numbers[name] = (0.0, 1.0, 1.0)
            else:
                counts = _as_text(column).value_counts()
                self._categories[name] = pd.Index(counts.index[: self.max_categories])
        return self

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """Return the rows of ``frame`` in the learned space (float32)."""
        parts = []
        for name in self.columns:
            column = frame[name]
            if name in self._numbers:
                median, spread, missing = self._numbers[name]
                values = _as_number(column)
                if values is None:
                    values = pd.to_numeric(column, errors="coerce").to_numpy("float64")
                absent = np.isnan(values)
                parts.append(np.where(absent, median, values)[:, None] / spread)
                if missing or absent.any():
                    parts.append(absent[:, None].astype("float64"))
            else:
                known = self._categories[name]
                codes = known.get_indexer(_as_text(column))
                codes[codes < 0] = len(known)  # every other category is one value
                one_hot = np.zeros((len(column), len(known) + 1))
                one_hot[np.arange(len(column)), codes] = 0.5  # a mismatch costs 1 in L1
                parts.append(one_hot)
        if not parts:
            return np.zeros((len(frame), 0), dtype="float32")
        return np.hstack(parts).astype("float32") / max(len(self.columns), 1)


def nearest_distances(reference: np.ndarray, query: np.ndarray, k: int = 1,
                      pool: Executor | None = None) -> np.ndarray:
    """Distances (L1) from each query row to its ``k`` nearest reference rows, shape (rows, k).

    The encoded space is mostly indicator columns (one-hot categories, missing flags) that
    hold 0 or one value ``v``; for those, ``|a - b|`` is ``v`` where exactly one of the
    two is set, so their part of every distance is ``v`` times a count of mismatches, and
    the counts come from one matrix product of 0/1 values (exact in float32). Only the
    remaining number columns are compared one by one (``scipy.spatial.distance.cdist``).
    The result equals the plain L1 distance (rounded to 9 decimals, so that equal
    distances stay equal); it is computed in blocks of query rows to bound memory, the
    blocks side by side on ``pool``'s threads when one is given.
    """
    return _nearest(reference, query, k, pool=pool)[0]


def _nearest(reference: np.ndarray, query: np.ndarray, k: int, *,
             subset: np.ndarray | None = None, pool: Executor | None = None,
             ) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`nearest_distances`, and the nearest distance among the reference rows ``subset``.

    One pass serves both: the distance ratio wants each synthetic row's two nearest
    training rows, the DCR share its nearest among a sample of them.
    """
    k = min(k, len(reference))
    reference = np.asarray(reference, dtype="float64")
    query = np.asarray(query, dtype="float64")
    if not len(query) or k < 1:
        return np.zeros((len(query), max(k, 0))), \
            (None if subset is None else np.zeros(len(query)))
    space = _Space(reference, query)
    starts = range(0, len(query), _BLOCK_ROWS)
    blocks = (pool or SerialPool()).map(
        lambda start: space.nearest(query[start:start + _BLOCK_ROWS], k, subset), starts)
    out = np.empty((len(query), k))
    among = None if subset is None else np.empty(len(query))
    for start, (nearest, nearest_among) in zip(starts, blocks, strict=True):
        out[start:start + len(nearest)] = nearest
        if among is not None:
            among[start:start + len(nearest)] = nearest_among
    return out, among


class _Space:
    """The reference rows split into indicator groups (one value each) and number columns."""

    def __init__(self, reference: np.ndarray, query: np.ndarray):
        peak = np.maximum(np.abs(reference).max(axis=0, initial=0.0),
                          np.abs(query).max(axis=0, initial=0.0))
        binary = (peak > 0) & np.all(reference == 0, axis=0, where=reference != peak) \
            & np.all(query == 0, axis=0, where=query != peak)
        self.numbers = ~binary & (peak > 0)
        self.ref_num = reference[:, self.numbers]
        # Indicator columns by their value v: each group's mismatches count v apiece.
        self.groups = []
        for value in np.unique(peak[binary]):
            columns = binary & (peak == value)
            ones = (reference[:, columns] != 0).astype("float32")
            self.groups.append((columns, float(value), ones, ones.sum(axis=1)))

    def nearest(self, block: np.ndarray, k: int, subset: np.ndarray | None,
                ) -> tuple[np.ndarray, np.ndarray | None]:
        from scipy.spatial.distance import cdist

        if self.numbers.any():
            distances = cdist(block[:, self.numbers], self.ref_num, metric="cityblock")
        else:
            distances = np.zeros((len(block), len(self.ref_num)))
        for columns, value, ones, ref_count in self.groups:
            part = (block[:, columns] != 0).astype("float32")
            mismatches = part @ ones.T  # whole numbers, exact in float32
            mismatches *= -2
            mismatches += part.sum(axis=1)[:, None]
            mismatches += ref_count[None, :]
            distances += np.multiply(mismatches, value, dtype="float64")
        # Rounding is monotone, so the nearest of the rounded distances are the rounded
        # nearest: round only those (equal rows at 0 exactly, equal distances equal).
        nearest = np.round(np.maximum(_smallest(distances, k), 0.0), 9)
        among = None
        if subset is not None:
            among = np.round(np.maximum(distances[:, subset].min(axis=1), 0.0), 9)
        return nearest, among


def _smallest(distances: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` smallest values of each row, in order (a full partition only beyond two)."""
    rows = np.arange(len(distances))
    if k == 1:
        return distances.min(axis=1)[:, None]
    if k == 2 and distances.shape[1] > 2:
        first = distances.argmin(axis=1)
        nearest = distances[rows, first]
        distances[rows, first] = np.inf
        second = distances.min(axis=1)
        distances[rows, first] = nearest
        return np.column_stack([nearest, second])
    if k < distances.shape[1]:
        distances = np.partition(distances, k - 1, axis=1)[:, :k]
    return np.sort(distances, axis=1)[:, :k]


def dcr_share(train: np.ndarray, holdout: np.ndarray, synthetic: np.ndarray,
              seed: int = 0, *, train_subjects: np.ndarray | None = None,
              holdout_subjects: np.ndarray | None = None,
              synthetic_subjects: np.ndarray | None = None,
              pool: Executor | None = None) -> float:
    """Share of synthetic rows (or people) closer to the training rows than to the holdout.

    The training side is cut to as many rows as the holdout has, so that neither side is
    closer merely by being larger; ties count half to each side. About 0.5 is ideal.
    With subject labels (one per row of each array), both sides are cut to as many
    subjects instead, and each synthetic subject counts once: the share of its rows nearer
    the training side.
    """
    train_rows, holdout_rows = _dcr_sides(len(train), len(holdout), seed, train_subjects,
                                          holdout_subjects)
    to_train = nearest_distances(train[train_rows], synthetic, pool=pool)[:, 0]
    to_holdout = nearest_distances(holdout[holdout_rows], synthetic, pool=pool)[:, 0]
    return _dcr_votes(to_train, to_holdout, synthetic_subjects)


def _dcr_sides(train: int, holdout: int, seed: int, train_subjects: np.ndarray | None,
               holdout_subjects: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the training and holdout rows the DCR share compares, equal in number."""
    rng = np.random.default_rng(seed)
    if train_subjects is None or holdout_subjects is None:
        size = min(train, holdout)
        return (rng.choice(train, size, replace=False), rng.choice(holdout, size, replace=False))
    size = min(len(pd.unique(train_subjects)), len(pd.unique(holdout_subjects)))
    return (_whole_subjects(train_subjects, size, rng),
            _whole_subjects(holdout_subjects, size, rng))


def _dcr_votes(to_train: np.ndarray, to_holdout: np.ndarray,
               synthetic_subjects: np.ndarray | None) -> float:
    votes = (to_train < to_holdout) + 0.5 * (to_train == to_holdout)
    if synthetic_subjects is not None:
        votes = pd.Series(votes).groupby(_labels(synthetic_subjects), sort=False).mean()
    return round(float(np.mean(votes)), 4)


def _labels(subjects: np.ndarray) -> np.ndarray:
    """Subject labels with each missing label a subject of its own."""
    index = pd.RangeIndex(len(subjects))
    return subject_keys(index, pd.Series(subjects, index=index, dtype="object")).to_numpy()


def _whole_subjects(subjects: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of every row of ``count`` subjects chosen at random."""
    labels = _labels(subjects)
    distinct = pd.unique(labels)
    chosen = set(rng.choice(distinct, size=min(count, len(distinct)), replace=False))
    return np.flatnonzero(pd.Series(labels).isin(chosen).to_numpy())


def nndr(reference: np.ndarray, query: np.ndarray, pool: Executor | None = None) -> np.ndarray:
    """Nearest over second-nearest reference distance for each query row (1 if both are 0)."""
    return _ratios(nearest_distances(reference, query, k=2, pool=pool))


def _ratios(distances: np.ndarray) -> np.ndarray:
    if distances.shape[1] < 2:
        return np.ones(len(distances))
    first, second = distances[:, 0], distances[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(second > 0, first / second, 1.0)
    return ratio


@dataclass(frozen=True)
class PrivacyDistances:
    """How close synthetic rows come to the real rows they were made from.

    Attributes:
        dcr_share: Share of synthetic rows nearer the training rows than the holdout (0.5 ideal).
        nndr_synthetic: Median nearest-neighbour distance ratio of synthetic rows.
        nndr_holdout: The same for holdout rows: what is normal for this table.
        exact_copies: Share of synthetic rows equal to a training row.
        holdout_copies: Share of holdout rows equal to a training row.
        rows_compared: Synthetic rows compared (a sample of large tables).
        subjects_compared: Synthetic subjects (people) the DCR share counted, when rows
            belong to subjects; None when each row is its own.

    """

    dcr_share: float
    nndr_synthetic: float
    nndr_holdout: float
    exact_copies: float
    holdout_copies: float
    rows_compared: int
    subjects_compared: int | None = None

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return asdict(self)


def privacy_distances(train: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame,
                      *, max_rows: int = MAX_ROWS, seed: int = 0,
                      subjects: tuple[pd.Series, pd.Series, pd.Series] | None = None,
                      pool: Executor | None = None) -> PrivacyDistances:
    """Measure DCR share, distance ratios and exact copies on the columns all three share.

    The synthetic rows' distances to the training rows are computed once, for both the
    distance ratio (the two nearest of the sample) and the DCR share (the nearest of as
    many training rows as the holdout has).

    Args:
        train: The real rows the generator learned from.
        holdout: Real rows it never saw.
        synthetic: The generated rows.
        max_rows: Each table is cut to a random sample of at most this many rows (of
            whole subjects, with ``subjects``).
        seed: Seed for those samples.
        subjects: The subject label of each row of ``train``, ``holdout`` and
            ``synthetic`` (aligned on their index), when rows belong to people: the DCR
            share then counts people. The label columns themselves are not compared.
        pool: Where blocks of distances are computed side by side (in turn when None).

    """
    columns = [c for c in synthetic.columns if c in train.columns and c in holdout.columns]
    known = np.unique(row_keys(train[columns]))  # once, for both shares of copies
    exact, holdout_exact = (
        round(float(among(row_keys(frame[columns]), known).mean()), 4)
        if len(frame) and columns else 0.0 for frame in (synthetic, holdout))
    labels = (None, None, None) if subjects is None else tuple(
        s.reindex(f.index).to_numpy(dtype=object)
        for s, f in zip(subjects, (train, holdout, synthetic), strict=True))
    samples = [_at_most(frame[columns], max_rows, seed, label)
               for frame, label in zip((train, holdout, synthetic), labels, strict=True)]
    (train_s, train_l), (holdout_s, holdout_l), (synthetic_s, synthetic_l) = samples
    encoder = MixedEncoder().fit(pd.concat([train_s, holdout_s], ignore_index=True))
    train_x, holdout_x, synthetic_x = (
        encoder.transform(frame) for frame in (train_s, holdout_s, synthetic_s)
    )
    train_rows, holdout_rows = _dcr_sides(len(train_x), len(holdout_x), seed, train_l,
                                          holdout_l)
    near_train, to_train = _nearest(train_x, synthetic_x, 2, subset=train_rows, pool=pool)
    to_holdout = nearest_distances(holdout_x[holdout_rows], synthetic_x, pool=pool)[:, 0]
    holdout_ratios = _ratios(nearest_distances(train_x, holdout_x, k=2, pool=pool))
    return PrivacyDistances(
        dcr_share=_dcr_votes(to_train, to_holdout, synthetic_l),
        nndr_synthetic=round(float(np.median(_ratios(near_train))), 4),
        nndr_holdout=round(float(np.median(holdout_ratios)), 4),
        exact_copies=exact,
        holdout_copies=holdout_exact,
        rows_compared=len(synthetic_s),
        subjects_compared=None if synthetic_l is None else len(pd.unique(_labels(synthetic_l))),
    )


def _at_most(frame: pd.DataFrame, rows: int, seed: int, labels: np.ndarray | None = None,
             ) -> tuple[pd.DataFrame, np.ndarray | None]:
    """At most ``rows`` rows of ``frame`` (whole subjects, with ``labels``), and their labels."""
    if len(frame) <= rows:
        return frame.reset_index(drop=True), labels
    if labels is None:
        return frame.sample(rows, random_state=seed).reset_index(drop=True), None
    rng = np.random.default_rng(seed)
    named = _labels(labels)
    sizes = pd.Series(named).value_counts(sort=False)
    order = sizes.index[rng.permutation(len(sizes))]
    kept = set(order[(sizes.reindex(order).cumsum() <= rows).to_numpy()])
    keep = pd.Series(named).isin(kept).to_numpy()
    if keep.sum() < min(rows, len(frame)) // 2:  # subjects too large to sample whole
        keep = np.zeros(len(frame), dtype=bool)
        keep[rng.choice(len(frame), rows, replace=False)] = True
    return frame[keep].reset_index(drop=True), labels[keep]


def _as_number(column: pd.Series) -> np.ndarray | None:
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_datetime64_any_dtype(column):
        stamps = pd.to_datetime(column)
        values = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
        values[stamps.isna().to_numpy()] = np.nan
        return values / 86_400e9  # days
    if pd.api.types.is_numeric_dtype(column):
        return pd.to_numeric(column).to_numpy(dtype="float64", na_value=np.nan)
    return None


def _as_text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "\x00<NA>").astype(str)
