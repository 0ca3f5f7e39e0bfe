"""Run slow work off the GUI thread and report back through signals.

Each page owns one :class:`TaskRunner`. Only one task runs at a time: starting a new
one cancels the old one and throws its result away. Workers never touch widgets; they
call the plain ``progress(fraction, message)`` callback and check the cancel token.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from synthdesk.core.progress import CancelToken
from synthdesk.errors import Cancelled, SynthDeskError

__all__ = ["TaskRunner", "thread_pool"]

_POOL: QThreadPool | None = None


def thread_pool() -> QThreadPool:
    """The pool every runner uses: a few threads, so a cancelled task never blocks a new one."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)
    return _POOL


class _WorkerSignals(QObject):
    progress = Signal(int, float, str)
    done = Signal(int, object)
    failed = Signal(int, object)


class _Worker(QRunnable):
    def __init__(self, task_id: int, fn: Callable, cancel: CancelToken, signals: _WorkerSignals):
        super().__init__()
        # Python keeps the worker (see _keep): the pool reads it just after run() returns,
        # so it must outlive the runner and the page that started it.
        self.setAutoDelete(False)
        self.finished_at: float | None = None
        self._id = task_id
        self._fn = fn
        self._cancel = cancel
        self._signals = signals
        self._last_progress = 0.0

    def _progress(self, fraction: float, message: str) -> None:
        # At most ~30 updates a second reach the GUI thread; the last one always does.
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_progress < 0.03:
            return
        self._last_progress = now
        self._signals.progress.emit(self._id, float(fraction), str(message))

    def run(self) -> None:
        try:
            result = self._fn(self._progress, self._cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            if not isinstance(exc, SynthDeskError):
                exc.__synthdesk_traceback__ = traceback.format_exc()
            self._signals.failed.emit(self._id, exc)
        else:
            self._signals.done.emit(self._id, result)
        finally:
            self.finished_at = time.monotonic()


_KEPT: list[_Worker] = []


def _keep(worker: _Worker) -> None:
    """Hold ``worker`` until a second after it finished; then let it go (GUI thread only)."""
    now = time.monotonic()
    _KEPT[:] = [w for w in _KEPT if w.finished_at is None or now - w.finished_at < 1.0]
    _KEPT.append(worker)


class TaskRunner(QObject):
    """Runs one function at a time on the thread pool.

    The function is called as ``fn(progress, cancel)``.

    Signals:
        sig_started: A task began.
        sig_progress(float, str): Fraction done and a message.
        sig_done(object): The function's return value.
        sig_failed(object): The exception it raised (a :class:`SynthDeskError` for expected
            problems; anything else is also sent to the global error handler).
        sig_cancelled: The running task was cancelled by :meth:`cancel`.

    """

    sig_started = Signal()
    sig_progress = Signal(float, str)
    sig_done = Signal(object)
    sig_failed = Signal(object)
    sig_cancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._signals = _WorkerSignals()
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._current = 0
        self._token: CancelToken | None = None

    @property
    def running(self) -> bool:
        """Whether a task is under way."""
        return self._token is not None

    def start(self, fn: Callable[[Callable[[float, str], None], CancelToken], object]) -> None:
        """Cancel any running task and start ``fn`` in a worker thread."""
        self._drop_current()
        self._current += 1
        self._token = CancelToken()
        worker = _Worker(self._current, fn, self._token, self._signals)
        _keep(worker)
        thread_pool().start(worker)
        self.sig_started.emit()

    def cancel(self) -> None:
        """Ask the running task to stop; its result, if any, is discarded."""
        if self._drop_current():
            self.sig_cancelled.emit()

    def _drop_current(self) -> bool:
        if self._token is None:
            return False
        self._token.cancel()
        self._token = None
        self._current += 1  # anything the old task still sends is ignored
        return True

    def _finish(self, task_id: int) -> bool:
        if task_id != self._current or self._token is None:
            return False
        self._token = None
        return True

    @Slot(int, float, str)
    def _on_progress(self, task_id: int, fraction: float, message: str) -> None:
        if task_id == self._current and self._token is not None:
            self.sig_progress.emit(fraction, message)

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        if self._finish(task_id):
            self.sig_done.emit(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        if not self._finish(task_id):
            return
        if isinstance(error, Cancelled):
            self.sig_cancelled.emit()
            return
        if not isinstance(error, SynthDeskError):
            sys.excepthook(type(error), error, error.__traceback__)
        self.sig_failed.emit(error)
