"""Relations between columns, real beside synthetic: those kept, and the pairs that lost most.

- :func:`kept_relations`: each rule the generator kept
  (:mod:`synthdesk.generators.derived`), in words, with the share of the real and of the
  synthetic rows it speaks of where it holds.
- :func:`largest_pair_losses`: the pairs of columns whose relation differs most between
  the real and the synthetic rows, by SDMetrics' pair scores
  (:func:`synthdesk.evaluation.pair_trends.column_pair_trends`): the pairs the quality
  score counts (the real rows show a relation), the lowest scores first.

Both hold column names, counts and scores, never a value of the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from synthdesk.evaluation.pair_trends import column_pair_trends
from synthdesk.schema.dependencies import Rule, rule_share

__all__ = ["KeptRelation", "PairLoss", "kept_relations", "largest_pair_losses",
           "LARGEST_PAIRS"]

# How many pairs the report and the Compare page list.
LARGEST_PAIRS = 8
# Rows of each table compared (as the quality score compares them).
_MAX_ROWS = 20_000


@dataclass(frozen=True)
class KeptRelation:
    """One relation of the real table kept in the synthetic rows.

    Attributes:
        relation: The rule in words.
        target: The column that follows.
        sources: The columns it follows from.
        real: Share of the real rows it speaks of where it holds.
        synthetic: The same share in the synthetic rows (None: no synthetic row it speaks of).
        rebuilt: The column was computed after sampling rather than learned.

    """

    relation: str
    target: str
    sources: tuple[str, ...]
    real: float
    synthetic: float | None
    rebuilt: bool

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return {**asdict(self), "sources": list(self.sources)}


@dataclass(frozen=True)
class PairLoss:
    """One pair of columns and how much of its real relation the synthetic rows lost.

    Attributes:
        columns: The two columns.
        similarity: SDMetrics' pair score, 1 (the same relation) to 0.
        metric: ``CorrelationSimilarity`` (two numbers or dates) or
            ``ContingencySimilarity`` (any other pair: how often each combination occurs).
        real: Pearson's r in the real rows (two numbers or dates; else None).
        synthetic: Pearson's r in the synthetic rows (else None).

    """

    columns: tuple[str, str]
    similarity: float
    metric: str
    real: float | None = None
    synthetic: float | None = None

    @property
    def change(self) -> str:
        """What changed, in words."""
        if self.real is not None and self.synthetic is not None:
            return f"correlation {self.real:+.2f} in the real rows, {self.synthetic:+.2f} in " \
                   "the synthetic rows"
        return f"how often each combination occurs: {self.similarity:.0%} alike"

    def to_dict(self) -> dict:
        """Plain JSON-ready values, with the change in words."""
        return {"columns": list(self.columns), "similarity": self.similarity,
                "metric": self.metric, "real": self.real, "synthetic": self.synthetic,
                "change": self.change}


def kept_relations(rules: Sequence[Rule], synthetic: pd.DataFrame,
                   rebuilt: Sequence[str] = ()) -> tuple[KeptRelation, ...]:
    """Each rule in words, with how often it holds in the real and the synthetic rows."""
    out = []
    for rule in rules:
        if rule.target not in synthetic.columns or any(s not in synthetic.columns
                                                       for s in rule.sources):
            continue
        share = rule_share(rule, synthetic)
        out.append(KeptRelation(rule.describe(), rule.target, tuple(rule.sources),
                                round(rule.share, 4),
                                None if share is None else round(share, 4),
                                rule.target in rebuilt))
    return tuple(out)


def largest_pair_losses(real: pd.DataFrame, synthetic: pd.DataFrame,
                        sdtypes: dict[str, str], top: int = LARGEST_PAIRS,
                        seed: int = 0) -> tuple[PairLoss, ...]:
    """The ``top`` pairs whose relation the synthetic rows keep least, worst first.

    Only pairs with a relation in the real rows are scored (SDMetrics' thresholds, as the
    quality score counts them); a pair with no score is left out.
    """
    names = [n for n in sdtypes if n in real.columns and n in synthetic.columns]
    if len(names) < 2:
        return ()
    real = _at_most(real[names], seed)
    synthetic = _at_most(synthetic[names], seed)
    _, pairs = column_pair_trends(real, synthetic, {n: sdtypes[n] for n in names})
    scored = sorted((p for p in pairs if np.isfinite(p.score)), key=lambda p: p.score)
    out = []
    for pair in scored[:top]:
        numbers = pair.metric == "CorrelationSimilarity"
        out.append(PairLoss((pair.column_1, pair.column_2), round(pair.score, 4), pair.metric,
                            round(pair.real_correlation, 3) if numbers else None,
                            round(pair.synthetic_correlation, 3) if numbers else None))
    return tuple(out)


def _at_most(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    if len(frame) <= _MAX_ROWS:
        return frame
    return frame.sample(_MAX_ROWS, random_state=seed)
