"""Draw synthetic rows from a fitted generator, in chunks that can be cancelled."""

from __future__ import annotations

import warnings

import pandas as pd

from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress
from synthdesk.errors import TrainingFailed
from synthdesk.generators.fit import FittedGenerator, seed_everything
from synthdesk.schema.metadata import TABLE_NAME

__all__ = ["sample_rows", "CHUNK_ROWS"]

CHUNK_ROWS = 10_000


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
    import sdv.errors

    model = fitted.model
    model.reset_sampling()
    seed_everything(seed, fitted.info.neural)
    model._set_random_state(seed)  # SDV otherwise samples from one fixed seed
    chunks = []
    done = 0
    while done < rows:
        cancel.raise_if_set()
        size = min(CHUNK_ROWS, rows - done)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                chunk = model.sample(size)
            except (sdv.errors.SamplingError, ValueError) as exc:
                raise TrainingFailed(f"Generating rows failed: {exc}") from exc
        chunks.append(chunk[TABLE_NAME] if isinstance(chunk, dict) else chunk)
        done += size
        progress(done / rows, f"Generated {done:,} of {rows:,} rows")
    return pd.concat(chunks, ignore_index=True)
