"""How much reading may take: the memory budget and the limits that keep reading within it.

A laptop with a browser open has a few GB to spare; reading must never take them all,
whatever the file claims or hides. Each limit is checked before the bytes it bounds are
parsed. A text table whose read would pass the budget is read as a random sample of its
rows that fits (``synthdesk.io.sampling``); a file past another limit is refused with what
to do instead.
"""

from __future__ import annotations

import os

__all__ = ["READ_MEMORY_BUDGET", "BUDGET_VARIABLE", "READ_BYTES_FACTOR", "read_memory_budget",
           "MAX_ROW_BYTES", "MAX_SHEET_XML_BYTES"]

READ_MEMORY_BUDGET = 1536 << 20
"""What reading one table may take at its peak, all copies included (1.5 GB)."""

BUDGET_VARIABLE = "SYNTHDESK_READ_BUDGET_MB"
"""An environment variable that sets another budget, in MB (a smaller computer; tests)."""

READ_BYTES_FACTOR = 3.0
"""Peak bytes of reading a text table, per byte of the file: Arrow's buffers and then
pandas' columns took 2.2 to 2.8 times the file on the benchmark's 1,000,000-row table."""


def read_memory_budget() -> int:
    """The reading budget in bytes: :data:`BUDGET_VARIABLE`'s MB when set and valid."""
    try:
        megabytes = float(os.environ.get(BUDGET_VARIABLE, ""))
    except ValueError:
        return READ_MEMORY_BUDGET
    return int(megabytes * (1 << 20)) if megabytes > 0 else READ_MEMORY_BUDGET


MAX_ROW_BYTES = 2 << 20
"""The longest row (or single value) of a text table: far beyond Excel's 32,767-character
cells; a file whose first row does not end within it is not a table SynthDesk can learn."""

MAX_SHEET_XML_BYTES = 512 << 20
"""Unzipped worksheet and shared-string XML of a workbook. Parsed cells take about three
times their XML in memory, so this keeps a workbook within :data:`READ_MEMORY_BUDGET`;
checked on the sizes the file declares and again on the bytes it really unpacks to."""
