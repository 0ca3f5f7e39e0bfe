"""How much reading may take: the memory budget and the limits that keep reading within it.

A laptop with a browser open has a few GB to spare; reading must never take them all,
whatever the file claims or hides. Each limit is checked before the bytes it bounds are
parsed, and a file past one is refused with what to do instead.
"""

from __future__ import annotations

__all__ = ["READ_MEMORY_BUDGET", "MAX_ROW_BYTES", "MAX_SHEET_XML_BYTES"]

READ_MEMORY_BUDGET = 1536 << 20
"""What reading one table may take at its peak, all copies included (1.5 GB)."""

MAX_ROW_BYTES = 2 << 20
"""The longest row (or single value) of a text table: far beyond Excel's 32,767-character
cells; a file whose first row does not end within it is not a table SynthDesk can learn."""

MAX_SHEET_XML_BYTES = 512 << 20
"""Unzipped worksheet and shared-string XML of a workbook. Parsed cells take about three
times their XML in memory, so this keeps a workbook within :data:`READ_MEMORY_BUDGET`;
checked on the sizes the file declares and again on the bytes it really unpacks to."""
