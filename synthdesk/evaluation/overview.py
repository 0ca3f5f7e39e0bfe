"""What the Compare page shows for wide tables: every column at once, ranked pairs, a next step.

Plain functions over pandas and numpy, returning frozen data; the window only draws them.
Column bins come from :func:`synthdesk.evaluation.distributions.column_distribution`, so the
rules there about which real values may be shown hold here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from synthdesk.evaluation.distributions import (
    Distribution,
    column_distribution,
    correlation_matrices,
    numeric_values,
)
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.rarity import RARE_LABEL

__all__ = [
    "ColumnView",
    "PairTrend",
    "column_view",
    "worst_first",
    "other_share",
    "needs_log_scale",
    "ranked_pairs",
    "pair_trends",
    "next_step",
    "compact_number",
]

_REPLACED = (Action.FAKE, Action.CONSISTENT)
# A column is drawn on a log axis when its positive values span this many times over and
# most of them crowd the low end (skewness above _SKEW).
_LOG_SPAN = 1000.0
_SKEW = 2.0
_WEAK = 0.7  # a column scoring under this is worth a look


@dataclass(frozen=True)
class ColumnView:
    """One column as the overview and the full plot draw it.

    Attributes:
        distribution: Real and synthetic shares over the same bins.
        score: SDV's column-shape score (0-1), or None when not scored.
        replaced: The column holds fakes: only the synthetic side is drawn.
        log_scale: Numeric bins are spaced evenly on a log axis (a skewed column).
        other_real: Share of the real column that is the rare-value label ``(other)``.
        other_synthetic: The same share in the synthetic column: rare real values hidden.

    """

    distribution: Distribution
    score: float | None
    replaced: bool
    log_scale: bool
    other_real: float | None
    other_synthetic: float

    @property
    def name(self) -> str:
        """The column."""
        return self.distribution.name


@dataclass(frozen=True)
class PairTrend:
    """How two columns move together in the real table and in the synthetic one."""

    first: str
    second: str
    real: float
    synthetic: float

    @property
    def difference(self) -> float:
        """Synthetic minus real correlation."""
        return self.synthetic - self.real


def other_share(column: pd.Series | None) -> float | None:
    """Share of non-missing values that are the rare-value label ``(other)``."""
    if column is None:
        return None
    present = column.dropna()
    if not len(present):
        return 0.0
    return float((present.astype(str) == RARE_LABEL).mean())


def needs_log_scale(values: np.ndarray) -> bool:
    """Whether numbers are skewed enough that a linear axis would hide most of them."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) < 10 or values.min() <= 0:
        return False
    if values.max() / values.min() < _LOG_SPAN:
        return False
    std = values.std()
    if not std:
        return False
    skewness = float(np.mean(((values - values.mean()) / std) ** 3))
    return skewness > _SKEW


def _log_distribution(real_values: np.ndarray | None, synth: np.ndarray, name: str,
                      bins: int) -> Distribution:
    joined = np.concatenate([v for v in (real_values, synth) if v is not None])
    joined = joined[np.isfinite(joined) & (joined > 0)]
    edges = np.geomspace(joined.min(), joined.max(), bins + 1)

    def shares(values):
        counts = np.histogram(np.clip(values, edges[0], edges[-1]), edges)[0].astype(float)
        return counts / counts.sum() if counts.sum() else counts

    return Distribution(name, True, False, edges, (),
                        None if real_values is None else shares(real_values), shares(synth))


def _split_other(dist: Distribution, real: pd.Series | None, synthetic: pd.Series,
                 other_real: float | None, other_synth: float) -> Distribution:
    """Give ``(other)`` its own bar, out of the plot's catch-all "Other" bar."""
    if dist.numeric or (not other_synth and not other_real):
        return dist
    labels = list(dist.labels)
    if RARE_LABEL in labels:
        return dist

    def moved(shares, share):
        if shares is None:
            return None
        share = share or 0.0
        if labels and labels[-1] == "Other":
            rest = max(float(shares[-1]) - share, 0.0)
            return np.append(np.append(shares[:-1], share), rest)
        return np.append(shares * (1 - share), share)

    new_real = moved(dist.real, other_real)
    new_synth = moved(dist.synthetic, other_synth)
    if labels and labels[-1] == "Other":
        new_labels = (*labels[:-1], RARE_LABEL, "all other values")
    else:
        new_labels = (*labels, RARE_LABEL)
    return replace(dist, labels=new_labels, real=new_real, synthetic=new_synth)


def column_view(real: pd.Series | None, synthetic: pd.Series, spec: ColumnSpec,
                score: float | None = None, *, bins: int = 20,
                subjects: pd.Series | None = None) -> ColumnView:
    """Bin one column for the overview: log bins when skewed, ``(other)`` on its own bar.

    Args:
        real: The real column; None (or a replaced ``spec``) draws the synthetic side alone.
        synthetic: The synthetic column.
        spec: The column's kind and treatment.
        score: Its column-shape score, shown beside it.
        bins: Histogram bins for numbers and dates.
        subjects: The person each real row belongs to: no value fewer than k people
            hold is drawn as a label or a bin edge (see ``column_distribution``).

    """
    replaced = spec.action in _REPLACED
    real_side = None if replaced else real
    log_scale = False
    dist = None
    if spec.kind in (Kind.INTEGER, Kind.DECIMAL) and not replaced:
        synth_values = numeric_values(synthetic, spec)
        real_values = numeric_values(real_side, spec) if real_side is not None else None
        reference = real_values if real_values is not None else synth_values
        if needs_log_scale(reference) and len(synth_values):
            log_scale = True
            # The ends of the range are those the k-people rule allows on the plain plot.
            safe = column_distribution(real_side, synthetic, spec, bins=bins,
                                       subjects=subjects).edges
            low, high = max(float(safe[0]), np.finfo(float).tiny), float(safe[-1])
            dist = _log_distribution(
                None if real_values is None else np.clip(real_values, low, high),
                np.clip(synth_values, low, high), spec.name, bins)
    if dist is None:
        dist = column_distribution(real_side, synthetic, spec, bins=bins, subjects=subjects)
    other_real = other_share(real_side)
    other_synth = other_share(synthetic) or 0.0
    dist = _split_other(dist, real_side, synthetic, other_real, other_synth)
    return ColumnView(dist, score, replaced, log_scale, other_real, other_synth)


def worst_first(views: Sequence[ColumnView]) -> list[ColumnView]:
    """Scored columns from the lowest score up, then unscored ones, then replaced ones."""

    def key(view: ColumnView):
        if view.replaced:
            return (2, 0.0, view.name)
        if view.score is None or not np.isfinite(view.score):
            return (1, 0.0, view.name)
        return (0, view.score, view.name)

    return sorted(views, key=key)


def pair_trends(real: pd.DataFrame, synthetic: pd.DataFrame,
                specs: Sequence[ColumnSpec]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Correlations between every learned number and date column, real and synthetic."""
    names, real_m, synth_m, _diff = correlation_matrices(real, synthetic, specs,
                                                         limit=len(specs))
    return names, real_m, synth_m


def ranked_pairs(names: Sequence[str], real_m: np.ndarray,
                 synth_m: np.ndarray) -> list[PairTrend]:
    """Every pair of columns, least alike first (largest correlation difference)."""
    pairs = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            pairs.append(PairTrend(names[i], names[j], float(real_m[i, j]),
                                   float(synth_m[i, j])))
    pairs.sort(key=lambda p: (-abs(p.difference), p.first, p.second))
    return pairs


def next_step(views: Sequence[ColumnView], specs: Sequence[ColumnSpec], generator: str,
              labels: Mapping[str, str], exact_copies: float = 0.0) -> str:
    """One concrete thing to do next: which column to mark, which generator to try, and why.

    Args:
        views: The columns as compared.
        specs: The columns as chosen.
        generator: The generator that made the synthetic table.
        labels: Each generator's plain name, by its registry name.
        exact_copies: Share of synthetic rows identical to a real row.

    """
    steps = []
    loose = [s.name for s in specs if s.action is Action.SYNTHESIZE and not s.sensitive
             and s.kind in (Kind.IDENTIFIER, Kind.TEXT)]
    if loose:
        names = ", ".join(loose[:3])
        steps.append(f"Mark {names} as sensitive on the Columns page: "
                     f"{'it holds' if len(loose) == 1 else 'they hold'} a different value in "
                     "almost every row, which can point to a person.")
    hidden = [v.name for v in views if not v.replaced and v.other_synthetic >= 0.5]
    if hidden:
        steps.append(f"{', '.join(hidden[:3])} {'is' if len(hidden) == 1 else 'are'} mostly "
                     f"“{RARE_LABEL}” in the synthetic table (rare real values are hidden): "
                     "leave such a column out, or replace it with fakes, if its values matter.")
    weak = [v for v in worst_first(views) if not v.replaced and v.score is not None
            and v.score < _WEAK]
    if weak:
        names = ", ".join(f"{v.name} ({v.score:.0%})" for v in weak[:3])
        better = {"gaussian_copula": ("cart", "it learns each column from the others and keeps "
                                      "fine detail the fast method smooths away"),
                  "cart": ("tvae", "a neural network can catch patterns the trees miss, "
                           "at the cost of minutes of training"),
                  "tvae": ("cart", "decision trees are often more faithful on tables of "
                           "this size"),
                  "ctgan": ("cart", "decision trees are often more faithful on tables of "
                            "this size"),
                  "copulagan": ("cart", "decision trees are often more faithful on tables of "
                                "this size")}
        other, why = better.get(generator, ("cart", "it keeps fine detail"))
        steps.append(f"The least faithful columns are {names}: try "
                     f"“{labels.get(other, other)}” on the Method page, because {why}.")
    if exact_copies > 0.01:
        steps.append(f"{exact_copies:.0%} of synthetic rows copy a real row: mark the "
                     "columns that make a row unique as sensitive, or try another method.")
    if not steps:
        return "Nothing stands out: every column is close to the real one. Save the table."
    return " ".join(steps[:2])


def compact_number(value: float) -> str:
    """``1234567`` as ``1.2M``: short labels for axes and tiles."""
    if not np.isfinite(value):
        return ""
    size = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            text = f"{value / limit:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    if size >= 100 or value == int(value):
        return f"{value:.0f}"
    if size >= 1:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2g}"

