"""Work around a reference-count bug of PySide6 6.12 on Python 3.11.

In that pairing every call of a Qt method that returns nothing takes one reference
away from ``None`` (and some calls from ``True``/``False``), so after a few thousand
calls Python aborts with "deallocating None". PySide6 6.11 and Python 3.12+ (where
these objects are immortal) are not affected. On the affected pairing, give the three
singletons so many references that they can never reach zero: they are never freed
anyway, so this changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["protect_singletons", "collect_garbage_on_gui_thread", "AFFECTED"]

_HEADROOM = 1 << 40


def _affected() -> bool:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import PySide6

    major_minor = tuple(int(part) for part in PySide6.__version__.split(".")[:2])
    return major_minor >= (6, 12)


AFFECTED = _affected()


def protect_singletons() -> None:
    """Raise the reference counts of None, True and False far out of reach (affected only)."""
    if not AFFECTED:
        return
    for singleton in (None, True, False):
        if sys.getrefcount(singleton) < _HEADROOM:
            ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM


class _GuiThreadCollector:
    """Runs Python's cycle collector on a GUI-thread timer instead of wherever it falls.

    Left automatic, a collection can start in a worker thread and free Qt objects there
    (for example the widgets of a closed window), which crashes Qt. pyqtgraph's
    ``GarbageCollector`` does the same for the same reason.
    """

    def __init__(self, interval_ms: int = 1000) -> None:
        import gc

        from PySide6.QtCore import QTimer

        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer()
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        import gc

        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return


_COLLECTOR: _GuiThreadCollector | None = None


def collect_garbage_on_gui_thread() -> None:
    """Start the GUI-thread collector once (needs a QApplication)."""
    global _COLLECTOR
    if _COLLECTOR is None:
        _COLLECTOR = _GuiThreadCollector()
