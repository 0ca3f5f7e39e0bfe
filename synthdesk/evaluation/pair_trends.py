"""SDMetrics' "Column Pair Trends" score, computed for every pair at once.

SDMetrics scores each pair of columns with its own pandas calls: on a 55-column table
that is 1,485 pairs and most of the time a run spends scoring. The score keeps
SDMetrics' meaning exactly (``sdmetrics.reports.single_table._properties.ColumnPairTrends``
with its defaults):

- two number or date columns: ``1 - |r_real - r_synthetic| / 2``, Pearson's r over the
  rows where both are present (dates as nanoseconds); a column that is constant in either
  table gives no score;
- any other pair: ``1 - TVD`` of the two tables' contingency tables, missing values
  counted as a value of their own; a number or date paired with a category is first cut
  into 10 equal-width bins of its own range, in each table separately
  (``numpy.histogram_bin_edges`` and ``numpy.digitize``, as SDMetrics does);
- SDMetrics' quality report lets a pair count only when the real table shows a
  relation: |r_real| above 0.5 for two numbers, Cramer's V of the real contingency table
  above 0.3 for the others (``sdmetrics.reports.utils``' defaults; a test checks that
  these are still SDMetrics' values, so that scoring need not load SDMetrics);
  the property's score is the mean over the pairs that count.

Each column is encoded once (integer codes, bin numbers, centred numbers), and the
pairs are then scored with ``numpy.bincount`` and matrix products instead of one
pandas group-by per pair. ``tests/evaluation/test_pair_trends.py`` checks the scores
against SDMetrics' own on real tables.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["PairScore", "column_pair_trends", "CONTINUOUS", "DISCRETE"]

CONTINUOUS = ("numerical", "datetime")
DISCRETE = ("categorical", "ordinal", "boolean")
_BINS = 10
# SDMetrics' quality report's defaults (sdmetrics.reports.utils): the real |r| and
# Cramer's V above which a pair counts.
DEFAULT_REAL_CORRELATION_THRESHOLD = 0.5
DEFAULT_REAL_ASSOCIATION_THRESHOLD = 0.3
# Above this many cells in one pair's contingency table, count the pairs that occur
# (np.unique) instead of every cell (np.bincount).
_DENSE_CELLS = 1 << 22


@dataclass(frozen=True)
class PairScore:
    """One pair's score, as in SDMetrics' details table."""

    column_1: str
    column_2: str
    metric: str  # "CorrelationSimilarity" or "ContingencySimilarity"
    score: float  # NaN when the pair cannot be scored (a constant column)
    real_correlation: float = float("nan")
    synthetic_correlation: float = float("nan")


def column_pair_trends(real: pd.DataFrame, synthetic: pd.DataFrame, sdtypes: dict[str, str],
                       *, correlation_threshold: float | None = None,
                       association_threshold: float | None = None,
                       ) -> tuple[float | None, list[PairScore]]:
    """Score every pair of columns with a scorable sdtype.

    Args:
        real: The real rows (columns named as in ``sdtypes``).
        synthetic: The synthetic rows, same columns.
        sdtypes: Column -> SDV sdtype (``numerical``, ``datetime``, ``categorical``...);
            other sdtypes (``id``, ``pii``...) are left out, as SDMetrics leaves them out.
        correlation_threshold: A number pair counts only when the real |r| is above this;
            the quality report's default when None (0 counts every pair).
        association_threshold: Any other pair counts only when the real Cramer's V is
            above this; the quality report's default when None.

    Returns:
        The mean score over the scored pairs (None when no pair has a score) and every
        pair's score, in SDMetrics' order (itertools.combinations of the columns).

    """
    if correlation_threshold is None:
        correlation_threshold = DEFAULT_REAL_CORRELATION_THRESHOLD
    if association_threshold is None:
        association_threshold = DEFAULT_REAL_ASSOCIATION_THRESHOLD
    names = [n for n, t in sdtypes.items() if t in CONTINUOUS + DISCRETE]
    real_enc = _Encoded(real, names, sdtypes)
    synth_enc = _Encoded(synthetic, names, sdtypes)
    discrete = _shared_codes(real, synthetic, [n for n in names if sdtypes[n] in DISCRETE])
    continuous = [n for n in names if sdtypes[n] in CONTINUOUS]
    correlations = _pairwise_correlations(real_enc, synth_enc, continuous)
    pairs = []
    for first, second in itertools.combinations(names, 2):
        one, two = sdtypes[first] in CONTINUOUS, sdtypes[second] in CONTINUOUS
        if one and two:
            r_real, r_synth = correlations[(first, second)]
            score = float("nan")
            if np.isfinite(r_real) and np.isfinite(r_synth) and (
                    abs(r_real) > correlation_threshold):
                score = 1 - abs(r_real - r_synth) / 2
            pairs.append(PairScore(first, second, "CorrelationSimilarity", score, r_real,
                                   r_synth))
            continue
        if {first, second} & (real_enc.unbinnable | synth_enc.unbinnable):
            pairs.append(PairScore(first, second, "ContingencySimilarity", float("nan")))
            continue
        codes = []
        for name, numeric in ((first, one), (second, two)):
            if numeric:
                codes.append((real_enc.bins[name], synth_enc.bins[name], _BINS + 2))
            else:
                codes.append(discrete[name])
        pairs.append(PairScore(first, second, "ContingencySimilarity",
                               _contingency_similarity(*codes[0], *codes[1],
                                                       association_threshold)))
    scored = [p.score for p in pairs if np.isfinite(p.score)]
    return (float(np.mean(scored)) if scored else None), pairs


class _Encoded:
    """One table's continuous columns as floats (NaN missing) and as SDMetrics' bins."""

    def __init__(self, frame: pd.DataFrame, names: list[str], sdtypes: dict[str, str]):
        self.values: dict[str, np.ndarray] = {}
        self.bins: dict[str, np.ndarray] = {}
        self.constant: dict[str, bool] = {}
        self.unbinnable: set[str] = set()
        for name in names:
            if sdtypes[name] not in CONTINUOUS:
                continue
            values = _as_float(frame[name])
            self.values[name] = values.astype("float64")
            present = values[~np.isnan(self.values[name])]
            self.constant[name] = len(np.unique(present)) <= 1
            try:
                edges = np.histogram_bin_edges(present)
            except ValueError:
                # Too narrow a range for 10 bins (huge values such as nanoseconds that
                # barely differ): SDMetrics gives the column's mixed pairs no score.
                self.unbinnable.add(name)
                self.bins[name] = np.zeros(len(values), dtype=np.int64)
            else:
                self.bins[name] = np.digitize(values, bins=edges).astype(np.int64)


def _as_float(column: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(column):
        # As SDMetrics converts them: numbers in the column's own unit, NaT as missing.
        missing = column.isna().to_numpy()
        values = pd.to_numeric(column).to_numpy()
        if missing.any():
            values = values.astype("float64")
            values[missing] = np.nan
        return values
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _shared_codes(real: pd.DataFrame, synthetic: pd.DataFrame,
                  names: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Integer codes of each category column, shared by both tables; missing is a code."""
    out = {}
    for name in names:
        joined = pd.concat([real[name], synthetic[name]], ignore_index=True)
        codes, uniques = pd.factorize(joined, use_na_sentinel=True)
        codes = np.where(codes < 0, len(uniques), codes).astype(np.int64)
        out[name] = (codes[:len(real)], codes[len(real):], len(uniques) + 1)
    return out


def _contingency_similarity(real_a, synth_a, size_a, real_b, synth_b, size_b,
                            association_threshold: float) -> float:
    """1 - total variation distance between the two tables' joint shares of (a, b).

    NaN when the real table's Cramer's V is at or below ``association_threshold``.
    """
    if not len(real_a) or not len(synth_a):
        return float("nan")
    cells = size_a * size_b
    real_joint = real_a * size_b + real_b
    synth_joint = synth_a * size_b + synth_b
    if cells <= _DENSE_CELLS:
        real_counts = np.bincount(real_joint, minlength=cells)
        if association_threshold > 0 and not _associated(
                real_counts.reshape(size_a, size_b), association_threshold):
            return float("nan")
        real_share = real_counts / len(real_joint)
        synth_share = np.bincount(synth_joint, minlength=cells) / len(synth_joint)
        return float(1 - np.abs(real_share - synth_share).sum() / 2)
    keys, inverse = np.unique(np.concatenate([real_joint, synth_joint]), return_inverse=True)
    real_inverse = inverse[:len(real_joint)]
    if association_threshold > 0:
        table = np.zeros((size_a, size_b), dtype=np.int64)
        np.add.at(table, (real_a, real_b), 1)
        if not _associated(table, association_threshold):
            return float("nan")
    real_share = np.bincount(real_inverse, minlength=len(keys)) / len(real_joint)
    synth_share = np.bincount(inverse[len(real_joint):], minlength=len(keys)) / len(synth_joint)
    return float(1 - np.abs(real_share - synth_share).sum() / 2)


def _associated(counts: np.ndarray, threshold: float) -> bool:
    """Whether Cramer's V of a real contingency table is above ``threshold``.

    Only the values that occur are rows and columns, as in SDMetrics' unstacked table.
    """
    table = counts[counts.any(axis=1)][:, counts.any(axis=0)]
    if min(table.shape) < 2:
        return False
    return bool(_cramers_v(table) > threshold)


def _cramers_v(table: np.ndarray) -> float:
    """Cramer's V of a contingency table with no empty row or column.

    ``scipy.stats.contingency.association(table, method="cramer")`` (Pearson's chi-squared
    without Yates' correction), in a few array operations instead of scipy's checks.
    """
    observed = table.astype("float64")
    total = observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    chi2 = ((observed - expected) ** 2 / expected).sum()
    return float(np.sqrt(chi2 / total / (min(table.shape) - 1)))


def _pairwise_correlations(real: _Encoded, synth: _Encoded,
                           names: list[str]) -> dict[tuple[str, str], tuple[float, float]]:
    """Pearson's r of every pair in each table, over the rows where both are present."""
    out = {}
    if len(names) < 2:
        return out
    matrices = [_correlation_matrix(encoded, names) for encoded in (real, synth)]
    for (i, first), (j, second) in itertools.combinations(enumerate(names), 2):
        pair = []
        for encoded, matrix in zip((real, synth), matrices, strict=True):
            if encoded.constant[first] or encoded.constant[second]:
                pair.append(float("nan"))  # SDMetrics refuses constant data
            else:
                pair.append(float(matrix[i, j]))
        out[(first, second)] = (pair[0], pair[1])
    return out


def _correlation_matrix(encoded: _Encoded, names: list[str]) -> np.ndarray:
    """Pairwise-complete Pearson correlations from masked sums (one pass of matrix products)."""
    x = np.column_stack([encoded.values[n] for n in names])
    valid = ~np.isnan(x)
    # Centre and scale each column first: r does not change, and large values (dates in
    # nanoseconds) would otherwise lose every digit in the sums of squares.
    counts = valid.sum(axis=0)
    safe = np.where(valid, x, 0.0)
    mean = safe.sum(axis=0) / np.maximum(counts, 1)
    centred = np.where(valid, x - mean, 0.0)
    scale = np.sqrt((centred ** 2).sum(axis=0) / np.maximum(counts, 1))
    scale[scale == 0] = 1.0
    z = centred / scale
    m = valid.astype("float64")
    n = m.T @ m  # rows where both are present
    sum_x = z.T @ m  # sum of column i over the rows where j is present
    sum_xx = (z * z).T @ m
    sum_xy = z.T @ z
    with np.errstate(divide="ignore", invalid="ignore"):
        numerator = n * sum_xy - sum_x * sum_x.T
        denominator = np.sqrt((n * sum_xx - sum_x ** 2) * (n * sum_xx - sum_x ** 2).T)
        r = numerator / denominator
    # Fewer than two rows, or a column constant on the rows the pair shares.
    r[(n < 2) | ~(denominator > 1e-9 * n * n)] = np.nan
    return np.clip(r, -1.0, 1.0)
