"""Dates that a spreadsheet stored as plain day numbers (Excel date serials).

A date cell that lost its date format shows as a number: 2019-03-01 is 43525 in the 1900
date system (Windows Excel, LibreOffice) and 42063 in the 1904 date system (old Mac
Excel). Whole numbers are far more often counts, codes or years than dates, so a column
is read as dates only when both hold:

- its header names a date (``date``, ``Datum``, ``dob``, ``fecha``, ``ship_date``,
  ``Lieferdatum``...), and
- every value lies between the serials of 1906 and 2099 (2201 to 73050): years
  (2015), months, small counts and 8-digit dates (20240131) are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DATE_WORDS", "EVIDENCE", "date1904", "names_a_date", "read_serials"]

EVIDENCE = "synthdesk_evidence"  # DataFrame.attrs key: {column: evidence for its kind}
DATE_WORDS = frozenset({
    "date", "datum", "dob", "fecha", "birthdate", "birthday", "dated", "datetime",
})
# English compounds written as one word ("shipdate"): only with a prefix that says date,
# so that "candidate", "update" or "mandate" are not read as dates.
_DATE_PREFIXES = (
    "ship", "start", "end", "order", "birth", "hire", "due", "close", "open", "issue",
    "event", "visit", "admit", "admission", "discharge", "expiry", "exp", "effective",
    "invoice", "payment", "pay", "delivery", "sale", "trade", "settle", "release", "publish",
    "create", "created", "modified", "death", "report", "transaction", "entry", "exit",
    "purchase", "booking", "arrival", "departure", "sign", "signed", "review",
)
_FIRST, _LAST = 2201, 73050  # 1906-01-08 .. 2099-12-31 in the 1900 system
_ORIGINS = {False: pd.Timestamp("1899-12-30"), True: pd.Timestamp("1904-01-01")}


def names_a_date(name: str) -> bool:
    """Whether a column header says the column holds dates."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode().lower()
    for token in re.split(r"[^0-9a-z]+", plain):
        if token in DATE_WORDS or (token.endswith("datum") and len(token) > 5):
            return True
        if token.endswith("date") and token[:-4] in _DATE_PREFIXES:
            return True
    return False


def read_serials(data: pd.DataFrame, date1904: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Read number columns headed as dates, whose values are all date serials, as dates.

    Args:
        data: The table as read; it is changed in place.
        date1904: The workbook counts days from 1904-01-01 rather than 1899-12-30.

    Returns:
        The table and one notice per column read as dates. ``data.attrs[EVIDENCE]`` says
        why, for the column kinds (``synthdesk.schema.profile_columns``).

    """
    notices = []
    system = "1904" if date1904 else "1900"
    for name in data.columns:
        column = data[name]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        if not names_a_date(name):
            continue
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        present = values[~np.isnan(values)]
        if present.size < 1 or present.min() < _FIRST or present.max() > _LAST:
            continue
        days = pd.to_timedelta(values, unit="D").round("s")
        data[name] = _ORIGINS[date1904] + days
        first = data[name].dropna().iloc[0]
        shown = f"{present[0]:g} is {first:%Y-%m-%d}"
        data.attrs.setdefault(EVIDENCE, {})[str(name)] = (
            f"Excel date serials ({system} date system): {shown}")
        notices.append(f"{name}: numbers read as Excel date serials ({system} date system); "
                       f"{shown}.")
    return data, notices


_DATEMODE_XLSX = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(1|true)\"")
# BIFF8 workbook globals: DATEMODE (0x0022, 2 bytes) followed by PRECISION (0x000E), the
# order Excel, LibreOffice and xlwt all write.
_DATEMODE_XLS = re.compile(rb"\x22\x00\x02\x00([\x00\x01])\x00\x0e\x00\x02\x00", re.S)


def date1904(path: Path) -> bool:
    """Whether a workbook uses the 1904 date system; ``False`` when it cannot tell."""
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as archive:
                return bool(_DATEMODE_XLSX.search(archive.read("xl/workbook.xml")))
        if suffix == ".xls":
            with path.open("rb") as handle:
                head = handle.read(1 << 20)
            found = _DATEMODE_XLS.search(head)
            return bool(found and found.group(1) == b"\x01")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False
