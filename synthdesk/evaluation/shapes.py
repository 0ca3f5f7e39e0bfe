"""SDMetrics' "Column Shapes" score, computed with numpy instead of SDMetrics itself.

The meaning is SDMetrics' exactly (``sdmetrics.reports.single_table._properties.ColumnShapes``):

- a number or date column scores ``1 - D``, D the two-sample Kolmogorov-Smirnov
  statistic of its present values (dates as their integer nanoseconds, values rounded to
  14 decimals first), as ``KSComplement`` does with ``scipy.stats.ks_2samp``;
- a category, ordinal or boolean column scores ``1 - TVD`` of the two tables' shares of
  each present value, a value found only in the synthetic rows given a real count of
  1e-6, as ``TVComplement`` does;
- a column with no present value (or missing from a table) has no score; the property is
  the mean of the scores it has.

Computing them here spares the scoring SDMetrics' import, which loads torch (1.4 s on an
idle machine, 4 to 6 s on a busy one, more than scoring itself), and scipy's exact p-value
of every KS test, which the score does not use. A column whose values are neither numbers,
dates nor hashable categories is scored by SDMetrics' own metric, as before.
``tests/evaluation/test_pair_trends.py`` checks the scores against SDMetrics' on real tables.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ShapeScore", "column_shapes"]

SHAPE_METRICS = {"numerical": "KSComplement", "datetime": "KSComplement",
                 "categorical": "TVComplement", "ordinal": "TVComplement",
                 "boolean": "TVComplement"}
_DECIMALS = sys.float_info.dig - 1  # SDMetrics' KSComplement rounds to this many
_UNSEEN = 1e-6  # TVComplement's count for a value that only the synthetic rows hold


@dataclass(frozen=True)
class ShapeScore:
    """One column's score, as in SDMetrics' details table."""

    column: str
    metric: str  # "KSComplement" or "TVComplement"
    score: float  # NaN when the column cannot be scored (no value present)


def column_shapes(real: pd.DataFrame, synthetic: pd.DataFrame, sdtypes: dict[str, str],
                  ) -> tuple[float, list[ShapeScore]]:
    """Score each column with a shape metric; return their mean (NaN if none) and each score.

    Args:
        real: The real rows.
        synthetic: The synthetic rows.
        sdtypes: Column -> SDV sdtype, in the metadata's order; other sdtypes (``id``,
            ``pii``...) are left out, as SDMetrics leaves them out.

    """
    scores = []
    for name, sdtype in sdtypes.items():
        metric = SHAPE_METRICS.get(sdtype)
        if metric is None:
            continue
        if name not in real.columns or name not in synthetic.columns:
            scores.append(ShapeScore(name, metric, float("nan")))
            continue
        one, two = real[name], synthetic[name]
        score = _ks_complement(one, two) if metric == "KSComplement" else \
            _tv_complement(one, two)
        scores.append(ShapeScore(name, metric, score))
    values = [s.score for s in scores if not np.isnan(s.score)]
    return (float(np.mean(values)) if values else float("nan")), scores


def _ks_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - the KS statistic of the present values (NaN when either has none)."""
    one, two = _as_numbers(real), _as_numbers(synthetic)
    if one is None or two is None:
        return _sdmetrics("KSComplement", real, synthetic)
    if not len(one) or not len(two):
        return float("nan")
    one, two = np.sort(np.round(one, _DECIMALS)), np.sort(np.round(two, _DECIMALS))
    # ks_2samp's statistic: the largest gap between the empirical CDFs at every value.
    pooled = np.concatenate([one, two])
    gap = (np.searchsorted(one, pooled, side="right") / len(one)
           - np.searchsorted(two, pooled, side="right") / len(two))
    return float(1 - np.max(np.abs(gap)))


def _as_numbers(column: pd.Series) -> np.ndarray | None:
    """The present values as float64 (dates as nanoseconds); None if they are not numbers."""
    present = column.dropna()
    if pd.api.types.is_datetime64_any_dtype(present):
        return pd.to_numeric(present).to_numpy(dtype="float64")
    if pd.api.types.is_bool_dtype(present) or not pd.api.types.is_numeric_dtype(present):
        return None
    return present.to_numpy(dtype="float64")


def _tv_complement(real: pd.Series, synthetic: pd.Series) -> float:
    """1 - the total variation distance of the present values' shares (NaN if none)."""
    real, synthetic = real.dropna(), synthetic.dropna()
    if not len(real) or not len(synthetic):
        return float("nan")
    try:
        real_counts = real.value_counts(sort=False, dropna=True)
        synth_counts = synthetic.value_counts(sort=False, dropna=True)
        unseen = synth_counts.index.difference(real_counts.index)
    except TypeError:  # values that cannot be hashed or ordered as pandas needs
        return _sdmetrics("TVComplement", real, synthetic)
    real_total = real_counts.sum() + _UNSEEN * len(unseen)
    synth_total = synth_counts.sum()
    real_share = real_counts.to_numpy("float64") / real_total
    synth_share = synth_counts.reindex(real_counts.index, fill_value=0).to_numpy("float64") \
        / synth_total
    # reindex, not []: labels of a boolean column would be read as a mask.
    unseen_gap = np.abs(synth_counts.reindex(unseen).to_numpy("float64") / synth_total
                        - _UNSEEN / real_total).sum()
    return float(1 - 0.5 * (np.abs(synth_share - real_share).sum() + unseen_gap))


def _sdmetrics(metric: str, real: pd.Series, synthetic: pd.Series) -> float:
    """SDMetrics' own metric, for values the fast path does not handle (NaN if it fails)."""
    import sdmetrics.single_column as single_column

    try:
        return float(getattr(single_column, metric).compute(real, synthetic))
    except Exception:  # noqa: BLE001 - SDMetrics' ColumnShapes gives such a column NaN
        return float("nan")
