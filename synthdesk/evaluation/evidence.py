"""Evidence beyond quality: discriminator, distances to a holdout, usefulness, verdict."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from synthdesk.evaluation.discriminator import discriminator_auc
from synthdesk.evaluation.distance import PrivacyDistances, privacy_distances
from synthdesk.evaluation.parallel import scoring_pool
from synthdesk.evaluation.utility import UtilityScores, utility_scores
from synthdesk.evaluation.verdict import Verdict, judge
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["Evidence", "gather_evidence", "DISTANCE_ROWS"]

# Rows of each table compared by distance; more adds seconds and changes the share little.
DISTANCE_ROWS = 5_000


@dataclass(frozen=True)
class Evidence:
    """What the scores say, and the verdict drawn from them.

    Attributes:
        discriminator_auc: How well a classifier tells real from synthetic rows (0.5 ideal).
        distances: DCR share, distance ratios and copy rates against the holdout (None
            without a holdout).
        utility: Scores of a model trained on real vs synthetic rows (None without a target).
        verdict: Faithful and safe, in words.
        holdout_rows: Real rows set aside and never learned.

    """

    discriminator_auc: float | None
    distances: PrivacyDistances | None
    utility: UtilityScores | None
    verdict: Verdict
    holdout_rows: int


def gather_evidence(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    *,
    quality: float,
    leaked: int,
    exact_copies: float,
    target: str | None = None,
    target_is_number: bool = False,
    seed: int = 0,
    per_column: dict[str, float] | None = None,
    neural: bool = True,
    protection=None,
    subjects: tuple[pd.Series, pd.Series, pd.Series] | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
) -> Evidence:
    """Score ``synthetic`` against the real training rows and the holdout, then judge.

    All three frames hold the learned columns in the generator's form (dates as dates).
    Large tables are sampled, so this takes seconds; the discriminator and the usefulness
    models learn while the distances are measured, on as many cores as are usable
    (:mod:`synthdesk.evaluation.parallel`). ``protection`` (what privacy
    protection changed, ``synthdesk.privacy.Protection``) lets the verdict say what was
    checked and name columns left mostly ``(other)``. ``subjects`` (the person of each
    row of the three frames) makes the DCR share count people, not rows.
    """
    cancel.raise_if_set()
    with scoring_pool() as pool:
        # The models learn on their own threads while the distances are measured here.
        progress(0.0, "Asking a classifier to tell real from synthetic rows")
        auc = pool.submit(discriminator_auc, train, synthetic, seed=seed)
        utility = None
        if target is not None and len(holdout):
            utility = pool.submit(utility_scores, train, holdout, synthetic, target,
                                  numeric=target_is_number, seed=seed)
        distances = None
        if len(holdout):
            cancel.raise_if_set()
            progress(0.4, "Measuring how close synthetic rows come to real people")
            distances = privacy_distances(train, holdout, synthetic, seed=seed,
                                          max_rows=DISTANCE_ROWS, subjects=subjects, pool=pool)
        if utility is not None:
            cancel.raise_if_set()
            progress(0.7, f"Training models to predict {target}")
            utility = utility.result()
        auc = auc.result()
    verdict = judge(
        quality, auc, leaked,
        dcr_share=distances.dcr_share if distances else None,
        exact_copies=exact_copies,
        holdout_copies=distances.holdout_copies if distances else None,
        utility_ratio=utility.ratio if utility else None,
        per_column=per_column, neural=neural, protection=protection,
    )
    progress(1.0, "Scored")
    return Evidence(auc, distances, utility, verdict, len(holdout))
