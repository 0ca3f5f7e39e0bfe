"""Progress callbacks and the cancel token, as the core has always exported them.

They live in :mod:`synthdesk.progress`, below every package that reports progress.
"""

from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled

__all__ = ["NEVER", "CancelToken", "ProgressFn", "no_progress", "scaled"]
