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
) -> pd.DataFrame:
    """Return ``rows`` synthetic rows; the same seed gives the same rows.

    Raises:
        TrainingFailed: The generator could not produce rows.
        Cancelled: ``cancel`` was set between chunks.

    """
    if rows < 1:
        raise TrainingFailed("The number of rows to generate must be at least 1.")
    return fitted.model.sample(rows, seed=seed, progress=progress, cancel=cancel)
