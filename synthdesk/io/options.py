"""The reader's settings that a user can override when a guess is wrong."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReadOptions", "MISSING_MARKERS"]

# Cell values read as missing unless the user says otherwise.
MISSING_MARKERS = (
    "", "NA", "N/A", "n/a", "na", "NaN", "nan", "NULL", "null", "None", "?", "\\N", "-", "--",
    "#N/A", "#NA",
)


@dataclass(frozen=True)
class ReadOptions:
    r"""How to read a file; every ``None`` means "detect it from the file".

    Attributes:
        header_row: 1-based row that holds the column names; ``0`` for a table without one.
        delimiter: Field delimiter of a text file (``","``, ``";"``, ``"\\t"``, ``"|"``...).
        encoding: Text encoding of a text file (``"utf-8"``, ``"cp1252"``, ``"utf-16"``...).
        decimal: Decimal mark of numbers held as text, ``"."`` or ``","``.
        missing: Cell values read as missing.
        last_row: 1-based row that holds the table's last record; the rows below it (notes,
            totals) are left out. ``None`` detects where the records end.
        sentinels_missing: Read codes for "unknown" (a repeated 9, 99, 999, -1... far
            outside a column's other values, see ``synthdesk.sentinels.find_sentinels``) as
            missing; ``False`` keeps them and says so in a notice.
        date_serials: Read whole numbers in a column headed as a date as Excel date serials
            (``synthdesk.io.serials``); ``False`` keeps them as numbers.

    """

    header_row: int | None = None
    last_row: int | None = None
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    missing: tuple[str, ...] = MISSING_MARKERS
    date_serials: bool = True
    sentinels_missing: bool = False

    def is_default(self) -> bool:
        """Whether every setting is left to detection."""
        return self == ReadOptions()
