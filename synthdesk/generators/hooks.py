"""Real progress from inside SDV's fits, which offer no callback of their own.

CTGAN and TVAE drive their epochs through ``tqdm``; we swap it for an iterable
that reports each epoch and honours the cancel token. The Gaussian copula fits
one distribution per column; we count those. The sequential trees report each column
through :func:`synthdesk.generators.cart.fit_reporting`. All patches are undone on exit.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["fit_progress"]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class _EpochBar:
    """Stands in for ``tqdm(range(epochs))``: reports each finished epoch, prints nothing."""

    def __init__(self, progress: ProgressFn, cancel: CancelToken, iterable=None, **_kwargs):
        self._iterable = iterable if iterable is not None else []
        self._progress = progress
        self._cancel = cancel
        self._total = len(self._iterable)
        self._done = 0
        self._losses: list[float] = []

    def __iter__(self) -> Iterator:
        for item in self._iterable:
            self._cancel.raise_if_set()
            yield item
            self._done += 1
            loss = f" (loss {', '.join(f'{x:g}' for x in self._losses)})" if self._losses else ""
            self._progress(self._done / max(self._total, 1),
                           f"Epoch {self._done} of {self._total}{loss}")

    def set_description(self, text: str, *_args, **_kwargs) -> None:
        self._losses = [float(x) for x in _NUMBER.findall(text)]

    def close(self) -> None:
        """Nothing to close."""


@contextlib.contextmanager
def fit_progress(progress: ProgressFn = no_progress, cancel: CancelToken = NEVER):
    """Patch SDV's dependencies so their fits report to ``progress`` and stop on ``cancel``."""
    import copulas.multivariate.gaussian as gaussian
    import ctgan.synthesizers.ctgan as ctgan_module
    import ctgan.synthesizers.tvae as tvae_module

    from synthdesk.generators.cart import fit_reporting

    def bar(iterable=None, *args, **kwargs):
        return _EpochBar(progress, cancel, iterable, **kwargs)

    original_fit_columns = gaussian.GaussianMultivariate._fit_columns

    def fit_columns(self, frame):
        total = max(frame.shape[1], 1)
        fit_one = self._fit_column
        done = 0

        def fit_column(column, distribution, column_name):
            nonlocal done
            cancel.raise_if_set()
            progress(done / total, f"Learning the shape of column {done + 1} of {total}")
            done += 1
            return fit_one(column, distribution, column_name)

        self._fit_column = fit_column
        try:
            return original_fit_columns(self, frame)
        finally:
            del self._fit_column

    saved = (ctgan_module.tqdm, tvae_module.tqdm)
    ctgan_module.tqdm = bar
    tvae_module.tqdm = bar
    gaussian.GaussianMultivariate._fit_columns = fit_columns
    try:
        with fit_reporting(progress, cancel):
            yield
    finally:
        ctgan_module.tqdm, tvae_module.tqdm = saved
        gaussian.GaussianMultivariate._fit_columns = original_fit_columns
