"""How many cores scoring may use, and how its independent parts share them.

Scoring is many small array operations (matrix products of a few thousand rows, small
gradient-boosting models): a library's own second thread saves little on them, and when
the other core is busy its waiting threads made them many times slower (the pair trends'
correlation products took 1.2 s with two BLAS threads on a busy 2-core machine, 0.05 s
with one). So scoring runs its libraries single-threaded (:func:`single_threaded`) and
uses the cores itself, for parts that do not depend on each other: the discriminator,
the usefulness models and blocks of distances run side by side (:func:`scoring_pool`),
one Python thread per usable core (numpy, scipy and scikit-learn release the GIL in them).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor

__all__ = ["usable_cores", "single_threaded", "scoring_pool", "SerialPool"]

# Set by the training process that leaves a core for the window (core/runner.py).
_THREAD_LIMIT = "OMP_NUM_THREADS"


def usable_cores() -> int:
    """The cores this process may use: its CPU affinity, within the thread limit it was given.

    The training process the window starts is given one thread fewer than the machine
    has (``OMP_NUM_THREADS``), to keep a core for drawing; that limit holds here too.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    limit = os.environ.get(_THREAD_LIMIT, "")
    if limit.isdigit() and int(limit) > 0:
        cores = min(cores, int(limit))
    return max(1, cores)


def single_threaded():
    """Run BLAS and OpenMP loops on one thread inside this ``with`` block.

    Enter it on the thread that starts the parallel work, around all of it: the limit is
    the process's, and restoring it while other threads still run would let them
    oversubscribe the cores again.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


class SerialPool(Executor):
    """An executor that runs each task at once on the calling thread (one core)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: D102
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by result()
            future.set_exception(exc)
        return future


@contextlib.contextmanager
def scoring_pool(workers: int | None = None) -> Iterator[Executor]:
    """An executor for independent scoring work, its libraries single-threaded.

    ``workers`` threads (:func:`usable_cores` when None); with one, tasks run in turn on
    the calling thread. Tasks still queued when the block is left (cancelled, failed)
    are dropped; running ones are waited for.
    """
    workers = usable_cores() if workers is None else max(1, int(workers))
    with single_threaded():
        if workers == 1:
            yield SerialPool()
            return
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="synthdesk-score")
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
