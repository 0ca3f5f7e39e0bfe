"""Read and profile a table in a child process (the one runner of :mod:`synthdesk.core.runner`).

Profiling a large table runs long pandas operations that hold Python's global lock
for up to a second or more at a time, which would freeze a window waiting in another
thread. In a child process they hold only the child's lock. The table comes back
through a pipe one slice of one column at a time, so each unpickling step in this
process is short. Nothing is written to disk. Cancel stops the child at once, and the
child ends itself if this process dies.
"""

from __future__ import annotations

from pathlib import Path

from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress
from synthdesk.core.runner import SLICE_ROWS, run_in_child
from synthdesk.errors import ImportFailed, SynthDeskError

__all__ = ["load_table_isolated", "LoadedTable", "SLICE_ROWS"]


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

    ``options`` are the user's :class:`synthdesk.io.options.ReadOptions`, if any. The
    details of an unexpected error name its type and code lines, never its message (which
    could quote the file).

    Raises:
        ImportFailed: The file cannot be read (or the reader failed unexpectedly).
        Cancelled: ``cancel`` was set; the child is stopped before this returns.

    """
    path = Path(path)

    def failed(message: str | None, details: str) -> SynthDeskError:
        if message is None:
            return ImportFailed(f"Reading {path.name} stopped unexpectedly. The file may be "
                                "too large for this computer's memory.", details=details)
        return ImportFailed(f"{path.name} could not be read ({message}). Check that it opens "
                            "in the program that made it, or save it again as CSV.",
                            details=details)

    return run_in_child(_read, str(path), sheet, options, progress=progress, cancel=cancel,
                        failure=failed, name="synthdesk-reading")


def _read(path: str, sheet: str | None, options, progress: ProgressFn) -> LoadedTable:
    """Runs in the child: read, profile, draw the sparklines."""
    from synthdesk.evaluation.distributions import sparkline
    from synthdesk.io.readers import read_table
    from synthdesk.schema.profile import profile_columns

    progress(0.0, f"Reading {Path(path).name}")
    table = read_table(path, sheet=sheet, options=options)
    specs = profile_columns(table.data)
    progress(0.6, "Looking at each column")
    sparks = [sparkline(table.data[spec.name], spec) for spec in specs]
    progress(0.9, "Sending the table")
    return LoadedTable(table, specs, sparks)
