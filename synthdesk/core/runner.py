"""Run training in a child process, so that Cancel works at any moment.

SDV's fits cannot be interrupted from a thread. The child posts progress events to a
queue; the parent forwards them, and on cancel terminates the child. The child ends
itself with ``os._exit`` once its result is sent, after stopping joblib's worker
processes (started inside SDV's transformers): they would otherwise keep it alive
for minutes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue as queue_module
import signal
import threading
import traceback
from collections.abc import Sequence

import pandas as pd

from synthdesk.core.job import TrainingPlan
from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress
from synthdesk.errors import Cancelled, SynthDeskError, TrainingCrashed
from synthdesk.schema.columns import ColumnSpec

__all__ = ["run_training_isolated", "POLL_SECONDS"]

POLL_SECONDS = 0.05
# Read by OpenMP, OpenBLAS, MKL and torch when they load in the training process.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_NICENESS = 10
_STOP_SECONDS = 1.5


def run_training_isolated(
    data: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    plan: TrainingPlan,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER,
    *,
    leave_a_core: bool = False,
):
    """Same as :func:`synthdesk.core.pipeline.run_training`, in a spawned child process.

    With ``leave_a_core`` (the window's choice) the child runs at a lower priority and
    its numeric libraries use one thread fewer than the machine has, so the process
    that draws the window always finds a free core; the command line uses them all.

    Raises:
        Cancelled: ``cancel`` was set; the child is stopped before this returns.
        TrainingCrashed: The child died or hit an unexpected error.
        SynthDeskError: Whatever the training raised for the user.

    """
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    child = context.Process(
        target=_child_main, args=(events, data, list(specs), plan, leave_a_core),
        name="synthdesk-training",
    )
    child.start()
    try:
        result = _wait_for_result(child, events, progress, cancel)
    except BaseException:
        _stop(child, graceful=False)
        raise
    finally:
        events.close()
        events.cancel_join_thread()
    _stop(child, graceful=True)
    return result


def _wait_for_result(child, events, progress: ProgressFn, cancel: CancelToken):
    exited_polls = 0
    while True:
        if cancel.is_set:
            raise Cancelled()
        try:
            kind, *payload = events.get(timeout=POLL_SECONDS)
        except queue_module.Empty:
            if child.is_alive():
                continue
            # The child may have exited with its last message still in the pipe.
            exited_polls += 1
            if exited_polls < 10:
                continue
            raise TrainingCrashed(
                "Training stopped unexpectedly. The table may be too large for this "
                "computer's memory: try fewer rows or the Fast generator.",
                details=f"training process exit code {child.exitcode}",
            ) from None
        if kind == "progress":
            progress(*payload)
        elif kind == "done":
            return payload[0]
        elif kind == "failed":
            raise payload[0]
        elif kind == "crashed":
            message, details = payload
            raise TrainingCrashed(
                f"Training stopped because of an unexpected error: {message}", details=details
            )


def _stop(child, graceful: bool) -> None:
    """End the child: let it finish on its own after success, terminate it otherwise."""
    if graceful:
        child.join(_STOP_SECONDS)
    if child.is_alive():
        child.terminate()
        child.join(_STOP_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()
    child.close()


def _child_main(events, data, specs, plan, leave_a_core: bool = False) -> None:
    """Entry point of the training process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if leave_a_core:
        _yield_to_window()
    from synthdesk.core.offline import go_offline
    from synthdesk.core.pipeline import run_training
    from synthdesk.privacy.leaks import scrub

    go_offline()
    _avoid_shared_locks()
    try:
        result = run_training(
            data, specs, plan, progress=lambda f, m: events.put(("progress", f, m))
        )
        events.put(("done", result))
    except SynthDeskError as exc:
        events.put(("failed", type(exc)(scrub(exc.message, data, specs),
                                        scrub(exc.details, data, specs))))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which shows it
        message = scrub(f"{type(exc).__name__}: {exc}", data, specs)
        events.put(("crashed", message, scrub(traceback.format_exc(), data, specs)))
    _exit_now(events)


def _yield_to_window() -> None:
    """Lower this process's priority and thread count (before torch or BLAS load)."""
    threads = str(max(1, (os.cpu_count() or 1) - 1))
    for name in _THREAD_VARIABLES:
        os.environ[name] = threads
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(_NICENESS)


def _exit_now(events) -> None:
    """Flush every message, stop joblib's workers and end this process at once."""
    events.close()
    events.join_thread()  # every message is in the pipe before we go
    _shutdown_joblib_workers()
    os._exit(0)


def _avoid_shared_locks() -> None:
    """Give tqdm a thread lock: its default is a shared semaphore that ``os._exit`` would leak."""
    import tqdm

    tqdm.tqdm.set_lock(threading.RLock())


def _shutdown_joblib_workers() -> None:
    """Stop joblib's worker processes if training started any (asking for one would start it)."""
    from joblib.externals.loky import reusable_executor

    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)
