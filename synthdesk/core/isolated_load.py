"""Read and profile a table in a child process, and bring it back in small pieces.

Profiling a large table runs long pandas operations that hold Python's global lock
for up to a second or more at a time, which would freeze a window waiting in another
thread. In a child process they hold only the child's lock. The table comes back
through a pipe one slice of one column at a time, so each unpickling step in this
process is short. Nothing is written to disk. Cancel stops the child at once.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from pathlib import Path

import numpy as np
import pandas as pd

from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress
from synthdesk.errors import Cancelled, ImportFailed, SynthDeskError

__all__ = ["load_table_isolated", "LoadedTable", "SLICE_ROWS"]

SLICE_ROWS = 50_000
_POLL_SECONDS = 0.05


class LoadedTable:
    """A table read in the child: the table, its columns' specs and their sparklines."""

    def __init__(self, table, specs, sparks):
        self.table = table
        self.specs = specs
        self.sparks = sparks


def load_table_isolated(
    path, sheet: str | None = None, progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER, options=None,
) -> LoadedTable:
    """Same as :func:`synthdesk.core.pipeline.load_table` plus sparklines, in a child process.

    ``options`` are the user's :class:`synthdesk.io.options.ReadOptions`, if any.

    Raises:
        ImportFailed: The file cannot be read (or the reader failed unexpectedly).
        Cancelled: ``cancel`` was set; the child is stopped before this returns.

    """
    path = Path(path)
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, str(path), sheet, options),
                            name="synthdesk-reading", daemon=True)
    child.start()
    sender.close()
    try:
        return _receive(receiver, child, path, progress, cancel)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join(2)
        if child.is_alive():
            child.kill()
            child.join()


def _next(receiver, child, path: Path, cancel: CancelToken):
    while True:
        if cancel.is_set:
            raise Cancelled()
        if receiver.poll(_POLL_SECONDS):
            try:
                return receiver.recv()
            except EOFError:
                break
        elif not child.is_alive() and not receiver.poll(0):
            break
    raise ImportFailed(
        f"Reading {path.name} stopped unexpectedly. The file may be too large for this "
        "computer's memory.", details=f"reading process exit code {child.exitcode}")


def _receive(receiver, child, path: Path, progress: ProgressFn, cancel: CancelToken):
    while True:
        kind, *payload = _next(receiver, child, path, cancel)
        if kind == "progress":
            progress(*payload)
        elif kind == "failed":
            raise payload[0]
        elif kind == "crashed":
            message, details = payload
            raise ImportFailed(f"{path.name} could not be read: {message}", details=details)
        elif kind == "header":
            source, specs, sparks, names, rows = payload
            break
    columns = []
    for index, name in enumerate(names):
        columns.append(_receive_column(receiver, child, path, cancel, rows))
        progress(0.9 + 0.1 * (index + 1) / max(len(names), 1), f"Receiving {name}")
    data = pd.concat(columns, axis=1, copy=False) if columns else pd.DataFrame(index=range(rows))
    data.columns = names
    from synthdesk.io.readers import Table

    return LoadedTable(Table(data=data, source=source), specs, sparks)


def _receive_column(receiver, child, path: Path, cancel: CancelToken, rows: int) -> pd.Series:
    """One column, slice by slice, filled into one array: no step copies the whole column."""
    array = None
    pieces = []
    filled = 0
    while True:
        kind, *payload = _next(receiver, child, path, cancel)
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


def _child_main(sender, path: str, sheet: str | None, options=None) -> None:
    """Entry point of the reading process."""
    try:
        from synthdesk.core.pipeline import load_table
        from synthdesk.evaluation.distributions import sparkline

        sender.send(("progress", 0.0, f"Reading {Path(path).name}"))
        table, specs = load_table(path, sheet, options)
        sender.send(("progress", 0.6, "Looking at each column"))
        data = table.data
        sparks = [sparkline(data[spec.name], spec) for spec in specs]
        names = [str(c) for c in data.columns]
        sender.send(("header", table.source, specs, sparks, names, len(data)))
        for position in range(data.shape[1]):
            column = data.iloc[:, position]
            for start in range(0, max(len(column), 1), SLICE_ROWS):
                sender.send(("slice", column.iloc[start:start + SLICE_ROWS]))
            sender.send(("column_end",))
    except SynthDeskError as exc:
        sender.send(("failed", exc))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which shows it
        sender.send(("crashed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    sender.close()
    os._exit(0)
