"""Synthetic rows beyond those held in memory: generated chunk by chunk, kept on disk.

Ten million rows of twenty columns would take several GB as one table. A job asked for
more rows than :func:`held_rows` allows keeps the first chunk in memory (it is scored,
previewed and compared) and generates the rest in chunks of the same size, each checked
like the first and stored in a private temporary folder until the output is written;
writing then streams them into the file one chunk at a time.

The folder holds synthetic rows only, never a real one, and goes when the rows are no
longer needed: when the object is collected or the program ends, and when the process
that made it loses its parent or fails (the training child calls
:func:`discard_every_spill`). A folder whose owner was killed outright (SIGKILL, power
loss) is removed by the next job that keeps rows on disk: each names its owner's PID.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

__all__ = ["CHUNK_ROWS", "MEMORY_BUDGET", "held_rows", "SpilledRows", "discard_every_spill"]

CHUNK_ROWS = 200_000
"""Rows generated at once, at most: the chunk held in memory and each chunk spilled."""
MEMORY_BUDGET = 1536 << 20
"""What one chunk of synthetic rows may take in memory (1.5 GB)."""
BYTES_PER_CELL = 64
"""A generated cell as pandas holds it, at most (text cells dominate)."""

_PREFIX = "synthdesk-rows-"
_OWNER = "owner.pid"
_LIVE: set[str] = set()


def held_rows(rows: int, columns: int) -> int:
    """How many of ``rows`` synthetic rows one chunk holds, for a table of ``columns``."""
    fits = MEMORY_BUDGET // (BYTES_PER_CELL * max(1, columns))
    return max(1, min(rows, CHUNK_ROWS, fits))


class SpilledRows:
    """Chunks of synthetic rows written to a temporary folder, in order."""

    def __init__(self) -> None:
        _sweep_stale()
        self.folder = Path(tempfile.mkdtemp(prefix=_PREFIX))
        (self.folder / _OWNER).write_text(str(os.getpid()))
        self.chunks: list[Path] = []
        self.rows = 0
        self._adopt()

    def add(self, frame: pd.DataFrame) -> None:
        """Keep ``frame`` as the next chunk."""
        path = self.folder / f"{len(self.chunks):05d}.pkl"
        frame.to_pickle(path)
        self.chunks.append(path)
        self.rows += len(frame)

    def frames(self) -> Iterator[pd.DataFrame]:
        """Each chunk, in order, one at a time."""
        for path in self.chunks:
            yield pd.read_pickle(path)  # noqa: S301 - our own file, written just before

    def discard(self) -> None:
        """Remove the folder and every chunk in it."""
        self._finalizer()

    def __getstate__(self) -> dict:
        return {"folder": self.folder, "chunks": self.chunks, "rows": self.rows}

    def __setstate__(self, state: dict) -> None:
        # Received by the process that writes the output: it owns the folder from now on.
        self.folder, self.chunks, self.rows = state["folder"], state["chunks"], state["rows"]
        with contextlib.suppress(OSError):
            (self.folder / _OWNER).write_text(str(os.getpid()))
        self._adopt()

    def _adopt(self) -> None:
        _LIVE.add(str(self.folder))
        self._finalizer = weakref.finalize(self, _remove, str(self.folder))


def _remove(folder: str) -> None:
    _LIVE.discard(folder)
    shutil.rmtree(folder, ignore_errors=True)


def _sweep_stale() -> None:
    """Remove spill folders whose owner process is gone (it was killed outright)."""
    for folder in Path(tempfile.gettempdir()).glob(_PREFIX + "*"):
        try:
            owner = int((folder / _OWNER).read_text())
        except (OSError, ValueError):
            continue
        if not _alive(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: not ours to judge
    return True


def discard_every_spill() -> None:
    """Remove every spill folder this process made or received (it is about to end)."""
    for folder in list(_LIVE):
        _remove(folder)
