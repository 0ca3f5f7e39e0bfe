"""Where the table sits among the cells: header row, width, column names, notes below."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import pandas as pd

__all__ = [
    "is_blank", "find_header", "name_columns", "drop_notes_below", "drop_note_rows",
    "looks_numeric", "row_width",
]

_NUMBER = re.compile(r"^\s*[-+(]?\s*[$€£¥]?\s*\d[\d.,\s']*%?\)?\s*$")


def is_blank(value) -> bool:
    """Whether a cell holds nothing."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def looks_numeric(value) -> bool:
    """Whether a cell holds a number, a date, or text that reads as one."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, dt.date, dt.time, dt.datetime)):
        return True
    return isinstance(value, str) and bool(_NUMBER.match(value))


def _filled(row: Sequence) -> int:
    return sum(not is_blank(v) for v in row)


def find_header(rows: Sequence[Sequence]) -> tuple[int, bool, int]:
    """Find where a table starts among its first rows.

    Notes and titles above a table fill one or two cells of a row; the header is the
    first row that fills about as many cells as the table's rows do. A first row made
    only of numbers or dates is data, not a header.

    Args:
        rows: The first rows of the file or sheet, as cell values.

    Returns:
        ``(index, has_header, width)``: the 0-based row where the table starts, whether
        that row holds column names, and how many columns the table spans.

    """
    counts = [_filled(r) for r in rows]
    filled = sorted((c for c in counts if c), reverse=True)
    if not filled:
        return 0, True, 0
    # The widest count that at least half of the non-empty rows reach.
    typical = filled[(len(filled) - 1) // 2]
    needed = 1 if typical <= 1 else max(2, math.ceil(typical * 0.6))
    start = next(i for i, c in enumerate(counts) if c >= needed)
    width = max(_width(r) for r in rows[start:]) if rows[start:] else 0
    candidate = [v for v in rows[start] if not is_blank(v)]
    has_header = not all(looks_numeric(v) for v in candidate) and not _numbers_in_number_columns(
        rows[start], rows[start + 1:start + 201])
    return start, has_header, width


def _numbers_in_number_columns(first: Sequence, body: Sequence[Sequence]) -> bool:
    """A header holds names; a number where the column holds numbers is data."""
    if len(body) < 3:
        return False
    for j, value in enumerate(first):
        if is_blank(value) or not looks_numeric(value) or isinstance(value, str) and (
                value.strip().startswith("0") and len(value.strip()) > 1):
            continue
        cells = [r[j] for r in body if j < len(r) and not is_blank(r[j])]
        if cells and sum(looks_numeric(v) for v in cells) >= 0.9 * len(cells) and any(
                not looks_numeric(v) for v in first if not is_blank(v)):
            return True
    return False


def _width(row: Sequence) -> int:
    for i in range(len(row) - 1, -1, -1):
        if not is_blank(row[i]):
            return i + 1
    return 0


def name_columns(raw: Sequence, width: int | None = None) -> tuple[list[str], list[str]]:
    """Turn header cells into unique, non-blank column names.

    Blank names become ``column_N`` (N counts from 1); repeated names get ``_2``, ``_3``...

    Returns:
        The names and one notice per renamed column.

    """
    width = len(raw) if width is None else width
    cells = list(raw[:width]) + [None] * max(0, width - len(raw))
    names, notices, seen = [], [], set()
    for i, cell in enumerate(cells):
        name = "" if is_blank(cell) else _text(cell)
        if not name:
            name = f"column_{i + 1}"
            notices.append(f"Column {i + 1} has no name: it is called {name!r}.")
        elif name in seen:
            base, n = name, 2
            while f"{base}_{n}" in seen:
                n += 1
            name = f"{base}_{n}"
            notices.append(f"Column {i + 1} repeats the name {base!r}: it is called {name!r}.")
        seen.add(name)
        names.append(name)
    return names, notices


def _text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def row_width(row: Sequence) -> int:
    """Cells up to the last non-blank one."""
    return _width(row)


def drop_note_rows(rows: list[Sequence], width: int) -> tuple[list[Sequence], int]:
    """Drop blank rows, and notes below a table of three or more columns.

    A note is a trailing row that fills only its first cell with text ("Source: ...").

    Returns:
        The rows and how many note rows were dropped.

    """
    rows = [r for r in rows if _width(r)]
    notes = 0
    if width >= 3:
        tail = 0
        while tail < len(rows) and _width(rows[len(rows) - 1 - tail]) == 1:
            tail += 1
        above = [r[0] for r in rows[max(0, len(rows) - tail - 1000):len(rows) - tail]
                 if r and isinstance(r[0], str)]
        longest = max((len(v.strip()) for v in above), default=0)
        while notes < len(rows) - 1 and notes < 20:
            row = rows[len(rows) - 1 - notes]
            if _width(row) == 1 and _is_note(row[0], longest):
                notes += 1
            else:
                break
    return rows[: len(rows) - notes], notes


def _is_note(value, longest: int) -> bool:
    """A sentence longer than any value its column holds: a note, not a sparse row."""
    if not isinstance(value, str) or looks_numeric(value):
        return False
    text = value.strip()
    return " " in text and len(text) > longest


def drop_notes_below(data: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop notes below a table of three or more columns.

    A note is a trailing row that fills only its first cell with text ("Source: ...").
    Only the last rows are looked at, so this costs nothing on a large table.

    Returns:
        The table and how many note rows were dropped.

    """
    if data.shape[1] < 3 or len(data) < 3:
        return data, 0
    if data.shape[1] > 200:
        tail = data.iloc[-20:]
        rest_blank = tail.iloc[:, 1:].isna().all(axis=1).to_numpy()
        first = tail.iloc[:, 0].to_numpy()
    else:
        # Column by column: frame-wide operations would copy a large table.
        tails = [data.iloc[:, j].iloc[-20:] for j in range(data.shape[1])]
        rest_blank = pd.concat([t.isna() for t in tails[1:]], axis=1).all(axis=1).to_numpy()
        first = tails[0].to_numpy()
    if not (rest_blank[-1] and isinstance(first[-1], str)):
        return data, 0
    tail = 0
    while tail < len(rest_blank) and rest_blank[len(rest_blank) - 1 - tail]:
        tail += 1
    end = len(data) - tail
    above = data.iloc[:, 0].iloc[max(0, end - 1000):end]
    lengths = above[above.map(lambda v: isinstance(v, str))].str.strip().str.len()
    longest = int(lengths.max()) if len(lengths) else 0
    notes = 0
    for i in range(len(first) - 1, -1, -1):
        if rest_blank[i] and _is_note(first[i], longest):
            notes += 1
        else:
            break
    if notes and notes < len(data):
        return data.iloc[: len(data) - notes], notes
    return data, 0
