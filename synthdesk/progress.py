"""Progress callbacks and cancel tokens: how long work reports and stops.

Core functions take ``progress: ProgressFn`` and ``cancel: CancelToken`` and know
nothing about threads or processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from synthdesk.errors import Cancelled

__all__ = ["ProgressFn", "no_progress", "scaled", "CancelToken", "NEVER"]

ProgressFn = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """Ignore progress."""


def scaled(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Map a sub-task's 0..1 progress onto ``start..end`` of the parent's bar.

    Args:
        progress: The parent's callback.
        start: Where the sub-task begins on the parent's bar.
        end: Where it ends.

    Returns:
        A callback for the sub-task.

    """

    def _scaled(fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        progress(start + (end - start) * fraction, message)

    return _scaled


class CancelToken:
    """A flag the caller sets and the worker checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop."""
        self._event.set()

    @property
    def is_set(self) -> bool:
        """Whether cancel was asked for."""
        return self._event.is_set()

    def raise_if_set(self) -> None:
        """Raise :class:`Cancelled` if cancel was asked for."""
        if self._event.is_set():
            raise Cancelled()


class _Never(CancelToken):
    def cancel(self) -> None:  # noqa: D102
        raise RuntimeError("NEVER cannot be cancelled")


NEVER: CancelToken = _Never()
