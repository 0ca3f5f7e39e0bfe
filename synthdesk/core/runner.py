"""Run slow work in a spawned child process: progress, Cancel at any moment, no orphans.

One runner serves reading (:mod:`synthdesk.core.isolated_load`) and training
(:func:`run_training_isolated`). :func:`run_in_child` calls a picklable top-level
function in a spawned child as ``function(*args, progress=...)`` and returns its result.

- **Progress** comes back through a pipe; the parent forwards it to its callback.
- **Cancel** ends the child (and every process it started) at once.
- **Error text is scrubbed in the child**, before it leaves: a library's message may
  quote the cell it choked on, and the message and the details behind "Copy details"
  must hold no real value.
- **The child dies with its parent**: a watchdog thread in the child waits on the
  parent's sentinel (a pipe that closes when the parent dies, however it dies) and ends
  the child's whole process group, joblib's worker processes included, within a second.
- **Tables come back in small pieces**: every DataFrame in the result travels one slice
  of one column at a time, so no unpickling step in the parent holds Python's lock long
  (a window waiting in another thread keeps drawing).
- **The child ends itself** with ``os._exit`` once its result is sent, after stopping
  joblib's worker processes (started inside SDV's transformers): they would otherwise
  keep it alive for minutes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import re
import signal
import threading
import traceback
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from synthdesk.core.job import TrainingPlan
from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress
from synthdesk.errors import Cancelled, InvalidChoice, SynthDeskError, TrainingCrashed
from synthdesk.schema.columns import ColumnSpec

__all__ = ["run_in_child", "train_in_child", "check_training_size", "POLL_SECONDS",
           "SLICE_ROWS", "MAX_LEARNED_COLUMNS"]

POLL_SECONDS = 0.05
SLICE_ROWS = 50_000
# Read by OpenMP, OpenBLAS, MKL and torch when they load in the child process.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_NICENESS = 10
_STOP_SECONDS = 1.5
_LAST_MESSAGE_POLLS = 10
_DEPTH = 3  # how deep the result is searched for tables to send in pieces
# A number standing alone in one of SynthDesk's own messages is a count, not a value.
_STANDALONE_NUMBER = re.compile(r"(?<![\w.\-])\d[\d,]*(?![\w\-]|\.\d)")

Failure = Callable[[str | None, str], SynthDeskError]

MAX_LEARNED_COLUMNS = 500
"""Columns one training learns at most: each adds to every generator's time (2,000 columns
kept the fastest one learning for minutes), so a wider table is refused with advice."""


def _crashed(message: str | None, details: str) -> SynthDeskError:
    if message is None:
        return TrainingCrashed("The work stopped unexpectedly. The table may be too large for "
                               "this computer's memory.", details=details)
    return TrainingCrashed(f"The work stopped because of an unexpected error: {message}",
                           details=details)


def run_in_child(
    function: Callable,
    *args,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    scrub: Callable[..., str] | None = None,
    leave_a_core: bool = False,
    failure: Failure = _crashed,
    name: str = "synthdesk-child",
):
    """Call ``function(*args, progress=...)`` in a spawned child process; return its result.

    Args:
        function: A picklable top-level function.
        *args: Its arguments (pickled to the child).
        progress: Receives the child's ``progress(fraction, message)`` calls.
        cancel: Ends the child, and everything it started, at once.
        scrub: ``scrub(text, *args) -> text``, run in the child on every error message
            and traceback before they leave it (it hides the real values ``args`` hold).
            Without one, unexpected errors keep only their type and the code lines they
            passed through, never their message.
        leave_a_core: Run at a lower priority with one thread fewer than the machine has
            (the window's choice, so the process that draws it always finds a core).
        failure: Builds the error raised when the child crashes: ``failure(message,
            details)``, with ``message`` None when the child died without a word.
        name: The child process's name.

    Raises:
        Cancelled: ``cancel`` was set; the child is gone before this returns.
        SynthDeskError: What the function raised for the user, or ``failure``'s error.

    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, name=name, daemon=True,
                            args=(sender, function, args, scrub, leave_a_core))
    child.start()
    sender.close()
    try:
        result = _Receiver(receiver, child, progress, cancel, failure).result()
    except BaseException:
        _stop(child, graceful=False)
        raise
    finally:
        receiver.close()
    _stop(child, graceful=True)
    return result


def train_in_child(
    function,
    data: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    plan: TrainingPlan,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    *,
    leave_a_core: bool = False,
):
    """Run ``function(data, specs, plan, progress=...)`` (the pipeline's training) in a child.

    The caller passes the function, so this module needs nothing from the pipeline.

    Raises:
        InvalidChoice: The job is too wide or asks for too many rows (checked first).
        Cancelled: ``cancel`` was set; the child is stopped before this returns.
        TrainingCrashed: The child died or hit an unexpected error.
        SynthDeskError: Whatever the training raised for the user.

    """
    check_training_size(data, specs, plan)
    return run_in_child(function, data, list(specs), plan, progress=progress, cancel=cancel,
                        scrub=_scrub_training, leave_a_core=leave_a_core,
                        failure=_training_crashed, name="synthdesk-training")


def check_training_size(data: pd.DataFrame, specs: Sequence[ColumnSpec],
                        plan: TrainingPlan) -> None:
    """Refuse, before any training, a job too wide to learn.

    Many rows are no reason to refuse: beyond what memory holds, they are generated and
    written in chunks (``synthdesk.core.spill``).

    Raises:
        InvalidChoice: More than :data:`MAX_LEARNED_COLUMNS` columns to learn.

    """
    from synthdesk.schema.metadata import modelled_columns

    learned = len(modelled_columns(specs))
    if learned > MAX_LEARNED_COLUMNS:
        raise InvalidChoice(
            f"The table has {learned:,} columns to learn; SynthDesk learns at most "
            f"{MAX_LEARNED_COLUMNS:,} at once (more would take hours). Drop the columns you "
            "do not need (Columns page, or --treat COLUMN=drop), or split the table.")


def _training_crashed(message: str | None, details: str) -> SynthDeskError:
    if message is None:
        return TrainingCrashed(
            "Training stopped unexpectedly. The table may be too large for this "
            "computer's memory: try fewer rows or the Fast generator.", details=details)
    return TrainingCrashed(f"Training stopped because of an unexpected error: {message}",
                           details=details)


def _scrub_training(text: str, data, specs, plan) -> str:
    from synthdesk.privacy.leaks import scrub

    return scrub(text, data, specs)


# --- The parent's side ---------------------------------------------------------------


class _Frame:
    """Stands in the result for a table that was sent ahead in pieces."""

    def __init__(self, number: int):
        self.number = number


class _Receiver:
    def __init__(self, connection, child, progress, cancel, failure):
        self._connection = connection
        self._child = child
        self._progress = progress
        self._cancel = cancel
        self._failure = failure
        self._frames: list[pd.DataFrame] = []

    def result(self):
        while True:
            kind, *payload = self._next()
            if kind == "progress":
                self._progress(*payload)
            elif kind == "frame":
                self._frames.append(self._frame(*payload))
            elif kind == "done":
                return _put_back(payload[0], self._frames, _DEPTH)
            elif kind == "failed":
                raise payload[0]
            elif kind == "crashed":
                raise self._failure(*payload)

    def _next(self):
        quiet_polls = 0
        while True:
            if self._cancel.is_set:
                raise Cancelled()
            ready = multiprocessing.connection.wait(
                [self._connection, self._child.sentinel], POLL_SECONDS)
            if self._connection in ready:
                try:
                    return self._connection.recv()
                except EOFError:
                    break
            elif self._child.sentinel in ready:
                # The child may have exited with its last message still in the pipe.
                quiet_polls += 1
                if quiet_polls >= _LAST_MESSAGE_POLLS:
                    break
        self._child.join(_STOP_SECONDS)
        raise self._failure(None, f"child process exit code {self._child.exitcode}")

    def _frame(self, index, columns, attrs, width: int, rows: int) -> pd.DataFrame:
        pieces = [self._column(rows) for _ in range(width)]
        if pieces:
            frame = pd.concat(pieces, axis=1, copy=False)
            frame.columns = columns
        else:
            frame = pd.DataFrame(index=range(rows), columns=columns)
        frame.index = index
        frame.attrs = attrs
        return frame

    def _column(self, rows: int) -> pd.Series:
        """One column, slice by slice, filled into one array: no step copies the whole column."""
        array = None
        pieces = []
        filled = 0
        while True:
            kind, *payload = self._next()
            if kind == "column_end":
                break
            piece = payload[0]
            if array is None and not pieces and isinstance(piece.dtype, np.dtype):
                array = np.empty(rows, dtype=piece.dtype)
            if array is not None:
                array[filled:filled + len(piece)] = piece.to_numpy()
                filled += len(piece)
            else:
                pieces.append(piece)
        if array is not None:
            return pd.Series(array, copy=False)
        if not pieces:
            return pd.Series([], dtype=object)
        column = pieces[0] if len(pieces) == 1 else pd.concat(pieces)
        return column.reset_index(drop=True)


def _stop(child, graceful: bool) -> None:
    """End the child: let it finish on its own after success, end its processes otherwise."""
    if graceful:
        child.join(_STOP_SECONDS)
    if child.is_alive():
        _signal_group(child, signal.SIGTERM)
        child.join(_STOP_SECONDS)
    if child.is_alive():
        _signal_group(child, getattr(signal, "SIGKILL", signal.SIGTERM))
        child.join()
    # Whatever the child started (joblib's workers) goes with it.
    _signal_group(child, getattr(signal, "SIGKILL", signal.SIGTERM), only_group=True)
    child.close()


def _signal_group(child, number: int, only_group: bool = False) -> None:
    """Signal the child's process group (it leads its own), or the child alone."""
    if hasattr(os, "killpg") and child.pid is not None:
        with contextlib.suppress(OSError):
            if os.getpgid(child.pid) == child.pid:
                os.killpg(child.pid, number)
                return
        if only_group:
            with contextlib.suppress(OSError):
                os.killpg(child.pid, number)  # the leader is gone; its group may not be
            return
    if not only_group and child.exitcode is None:
        with contextlib.suppress(OSError, ValueError):
            child.terminate() if number == signal.SIGTERM else child.kill()


def _put_back(value, frames: list[pd.DataFrame], depth: int):
    """Put the tables collected by :func:`_take_frames` back in place of their placeholders."""
    return _swap(value, depth, lambda item: frames[item.number]
                 if isinstance(item, _Frame) else None)


def _has_fields(value) -> bool:
    return hasattr(value, "__dict__") and not isinstance(value, type) and \
        type(value).__module__.startswith("synthdesk.")


# --- The child's side ----------------------------------------------------------------


class _Sender:
    """Sends events to the parent, from any thread of the child."""

    def __init__(self, connection):
        self._connection = connection
        self._lock = threading.Lock()

    def __call__(self, *event) -> None:
        with self._lock:
            self._connection.send(event)

    def progress(self, fraction: float, message: str) -> None:
        self("progress", float(fraction), str(message))


def _child_main(connection, function, args, scrub, leave_a_core: bool = False) -> None:
    """Entry point of the child process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _lead_own_group()
    _watch_parent()
    if leave_a_core:
        _yield_to_window()
    from synthdesk.core.offline import go_offline

    go_offline()
    _avoid_shared_locks()
    send = _Sender(connection)
    try:
        result = function(*args, progress=send.progress)
        _send_result(send, result)
    except SynthDeskError as exc:
        send("failed", _scrubbed_error(exc, scrub, args))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which shows it
        if scrub is None:
            message, details = type(exc).__name__, _code_lines(exc)
        else:
            message = scrub(f"{type(exc).__name__}: {exc}", *args)
            details = scrub(traceback.format_exc(), *args)
        send("crashed", message, details)
    else:
        _exit_now(connection)
    from synthdesk.core.spill import discard_every_spill

    discard_every_spill()  # rows kept on disk for a result that will never come
    _exit_now(connection)


def _scrubbed_error(exc: SynthDeskError, scrub, args) -> SynthDeskError:
    """``exc`` with no real value in its message or details (SynthDesk's counts stay)."""
    if scrub is None:
        details = _code_lines(exc.__cause__) if exc.__cause__ is not None else ""
        if exc.details and not details:
            details = "(details withheld: they may quote the file)"
        exc.details = details
    else:
        exc.message = _keep_numbers(exc.message, lambda text: scrub(text, *args))
        exc.details = scrub(exc.details, *args)
    exc.args = (exc.message,)
    exc.__cause__ = exc.__context__ = None
    exc.__traceback__ = None
    return exc


def _keep_numbers(text: str, scrub: Callable[[str], str]) -> str:
    """Scrub ``text`` but leave numbers standing alone (counts SynthDesk wrote) as they are."""
    kept = []

    def hold(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    scrubbed = scrub(_STANDALONE_NUMBER.sub(hold, text))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], scrubbed)


def _code_lines(exc: BaseException) -> str:
    """Where an error happened, by type and code line only: no message, so no value."""
    lines = []
    while exc is not None:
        frames = traceback.format_list(traceback.extract_tb(exc.__traceback__))
        lines.append("".join(frames) + f"{type(exc).__name__} (message withheld)\n")
        exc = exc.__cause__ or exc.__context__
    return "\n".join(reversed(lines))


def _send_result(send: _Sender, result) -> None:
    frames: list[pd.DataFrame] = []
    result = _take_frames(result, frames, _DEPTH)
    for frame in frames:
        send("frame", frame.index, frame.columns, dict(frame.attrs), frame.shape[1], len(frame))
        for position in range(frame.shape[1]):
            column = frame.iloc[:, position]
            for start in range(0, max(len(column), 1), SLICE_ROWS):
                send("slice", column.iloc[start:start + SLICE_ROWS])
            send("column_end")
    send("done", result)


def _take_frames(value, frames: list[pd.DataFrame], depth: int):
    """Replace the tables in ``value`` by placeholders and collect them in ``frames``."""

    def take(item):
        if not isinstance(item, pd.DataFrame):
            return None
        frames.append(item)
        return _Frame(len(frames) - 1)

    return _swap(value, depth, take)


def _swap(value, depth: int, leaf):
    """``value`` with each part that ``leaf`` maps (not to None) replaced, ``depth`` levels deep.

    Tuples and lists are rebuilt; dataclasses and other objects with fields are changed in
    place (frozen ones too), as the results sent between the processes are.
    """
    swapped = leaf(value)
    if swapped is not None:
        return swapped
    if depth <= 0:
        return value
    if isinstance(value, tuple):
        return tuple(_swap(item, depth - 1, leaf) for item in value)
    if isinstance(value, list):
        return [_swap(item, depth - 1, leaf) for item in value]
    if _has_fields(value):
        for key, item in list(vars(value).items()):
            new = _swap(item, depth - 1, leaf)
            if new is not item:
                object.__setattr__(value, key, new)
    return value


def _lead_own_group() -> None:
    """Lead a process group of our own, so the child and what it starts end together."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)


def _watch_parent() -> None:
    """End this process (and its group) within a moment of the parent's death."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        _end_everything()

    threading.Thread(target=watch, name="synthdesk-parent-watchdog", daemon=True).start()


def _end_everything() -> None:
    """The parent is gone: remove rows kept on disk, end joblib's workers and this process."""
    from synthdesk.core.spill import discard_every_spill

    with contextlib.suppress(Exception):
        discard_every_spill()
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            if os.getpgid(0) == os.getpid():
                os.killpg(os.getpid(), signal.SIGKILL)  # this process too
    with contextlib.suppress(Exception):
        _shutdown_joblib_workers(wait=False)
    os._exit(1)


def _yield_to_window() -> None:
    """Lower this process's priority and thread count (before torch or BLAS load)."""
    threads = str(max(1, (os.cpu_count() or 1) - 1))
    for name in _THREAD_VARIABLES:
        os.environ[name] = threads
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(_NICENESS)


def _exit_now(connection) -> None:
    """Stop joblib's workers and end this process at once (every message is sent)."""
    with contextlib.suppress(OSError):
        connection.close()
    _shutdown_joblib_workers()
    os._exit(0)


def _avoid_shared_locks() -> None:
    """Give tqdm a thread lock: its default is a shared semaphore that ``os._exit`` would leak."""
    import tqdm

    tqdm.tqdm.set_lock(threading.RLock())


def _shutdown_joblib_workers(wait: bool = True) -> None:
    """Stop joblib's worker processes if the work started any (asking for one would start it)."""
    import sys

    if "joblib" not in sys.modules:
        return
    from joblib.externals.loky import reusable_executor

    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=wait, kill_workers=True)
