"""How faithful the synthetic table is, by SDMetrics' quality report (its two properties)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from synthdesk.evaluation.parallel import single_threaded
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["QualityScores", "evaluate_quality", "MAX_ROWS_COMPARED"]

# Scoring is quadratic in columns and linear in rows; beyond this many rows a random
# sample gives the same scores to two decimals in a fraction of the time.
MAX_ROWS_COMPARED = 20_000


@dataclass(frozen=True)
class QualityScores:
    """SDMetrics quality scores, 0 (nothing alike) to 1 (indistinguishable).

    Attributes:
        overall: Mean of the two properties below.
        column_shapes: How alike each column's distribution is, averaged.
        column_pair_trends: How alike the relations between pairs of columns are.
        per_column: Column name -> its shape score.
        rows_compared: Rows of each table that were compared.

    """

    overall: float
    column_shapes: float
    column_pair_trends: float | None
    per_column: dict[str, float] = field(default_factory=dict)
    rows_compared: int = 0

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return asdict(self)


def evaluate_quality(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    metadata: dict,
    *,
    seed: int = 0,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
) -> QualityScores:
    """Score how closely ``synthetic`` follows ``real``, as SDMetrics' quality report does.

    Column shapes come from :func:`synthdesk.evaluation.shapes.column_shapes`
    (SDMetrics' KSComplement for numbers and dates, TVComplement for categories, without
    loading SDMetrics); column pair trends from
    :func:`synthdesk.evaluation.pair_trends.column_pair_trends`, which gives SDMetrics'
    scores for every pair at once instead of one pair at a time. The overall score is
    their mean, as in ``sdmetrics.reports.single_table.QualityReport``. At most
    :data:`MAX_ROWS_COMPARED` rows of each table are compared (a random sample).

    Args:
        real: The rows the generator learned from (modelled columns).
        synthetic: The generated rows, same columns.
        metadata: SDV metadata dict for these columns.
        seed: Seed for the row sample taken from large tables.
        progress: Receives the fraction done and a message.
        cancel: Checked between the two scores.

    """
    from synthdesk.evaluation.pair_trends import column_pair_trends
    from synthdesk.evaluation.shapes import column_shapes

    cancel.raise_if_set()
    progress(0.0, "Comparing real and synthetic columns")
    real = _at_most(real, seed)
    synthetic = _at_most(synthetic, seed)
    table = next(iter(metadata["tables"].values()))
    sdtypes = {name: meta.get("sdtype") for name, meta in table["columns"].items()}
    with single_threaded():  # small products: a second BLAS thread only waits
        shapes_score, shapes = column_shapes(real, synthetic, sdtypes)
        per_column = {shape.column: _round(shape.score) for shape in shapes}
        cancel.raise_if_set()
        progress(0.5, "Comparing pairs of columns")
        pair, _ = column_pair_trends(real, synthetic, sdtypes)
    scores = [s for s in (shapes_score, pair) if s is not None and not pd.isna(s)]
    progress(1.0, "Compared")
    return QualityScores(
        overall=_round(np.mean(scores)) if scores else 0.0,
        column_shapes=_round(shapes_score),
        column_pair_trends=None if pair is None else _round(pair),
        per_column=per_column,
        rows_compared=min(len(real), len(synthetic)),
    )


def _at_most(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    if len(frame) <= MAX_ROWS_COMPARED:
        return frame
    return frame.sample(MAX_ROWS_COMPARED, random_state=seed)


def _round(value) -> float:
    return round(float(value), 4)
