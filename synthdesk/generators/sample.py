"""Draw synthetic rows from a fitted generator, in chunks that can be cancelled."""

from __future__ import annotations

import pandas as pd

from synthdesk.errors import TrainingFailed
from synthdesk.generators.base import CHUNK_ROWS
from synthdesk.generators.fit import FittedGenerator
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["sample_rows", "CHUNK_ROWS"]


def sample_rows(
    fitted: FittedGenerator,
    rows: int,
    *,
    seed: int = 0,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    conditions=None,
) -> pd.DataFrame:
    """Return ``rows`` synthetic rows; the same seed gives the same rows.

    ``conditions`` (:class:`synthdesk.generators.conditions.RowConditions`) fixes values
    or ranges, for the generators that honour them.

    Raises:
        TrainingFailed: The generator could not produce rows.
        Cancelled: ``cancel`` was set between chunks.

    """
    if rows < 1:
        raise TrainingFailed("The number of rows to generate must be at least 1.")
    if conditions is None:
        return fitted.model.sample(rows, seed=seed, progress=progress, cancel=cancel)
    return fitted.model.sample(rows, seed=seed, progress=progress, cancel=cancel,
                               conditions=conditions)
