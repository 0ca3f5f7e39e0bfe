"""Where the table sits among the cells: header row, width, column names, notes below."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import pandas as pd

__all__ = [
    "is_blank", "find_header", "name_columns", "drop_notes_below", "drop_note_rows",
    "looks_numeric", "row_width", "trim_body", "uses_comments",
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
    wide = [i for i, c in enumerate(counts) if c >= needed]
    start = next((i for i in wide[:10] if _heads_table(rows, i, counts, needed)), wide[0])
    width = max(_width(r) for r in rows[start:]) if rows[start:] else 0
    candidate = [v for v in rows[start] if not is_blank(v)]
    has_header = not all(looks_numeric(v) for v in candidate) and not _numbers_in_number_columns(
        rows[start], rows[start + 1:start + 201])
    return start, has_header, width


def _heads_table(rows: Sequence[Sequence], i: int, counts: list[int], needed: int) -> bool:
    """Whether row ``i`` is where the table starts, judged by the rows below it.

    A note or title as wide as the table (a sentence written one word per cell) is
    followed by a blank separator row or a narrow one ("Table 1"), and the row under it
    does not hold cells of the kinds its columns hold further down; a header row, or a
    first data row, is followed directly by data.
    """
    below = i + 1
    if below >= len(rows):
        return True
    if counts[below] == 0:
        return False  # a blank separator: the table starts further down
    if counts[below] < needed:
        # A title line ("Table 1") under a note, when a row of names follows; a year or
        # label row under a header, when data follows.
        after = next((r for r, c in zip(rows[below:], counts[below:], strict=False)
                      if c >= needed), None)
        return after is not None and any(looks_numeric(v) for v in after if not is_blank(v))
    body = [r for r, c in zip(rows[below:below + 60], counts[below:below + 60], strict=False)
            if c >= needed]
    if len(body) < 4:
        return True
    first, rest = body[0], body[1:]
    agree = total = 0
    for j, value in enumerate(first):
        column = [r[j] for r in rest if j < len(r) and not is_blank(r[j])]
        if is_blank(value) or len(column) < 3:
            continue
        numeric = sum(looks_numeric(v) for v in column) / len(column)
        if numeric >= 0.9 or numeric <= 0.1:
            total += 1
            agree += looks_numeric(value) == (numeric >= 0.9)
    # The row under a header is data: where columns hold numbers or text, so does it.
    return total == 0 or agree * 2 > total


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


# A row that sums or labels the rows around it, not a record.
_SUMMARY = re.compile(
    r"^\s*(grand\s+|sub-?)?(totals?|sum|overall|totale|gesamt|insgesamt|summe)\b[\s:.]*",
    re.I)
_PERIOD = re.compile(r"^\s*(year|fy|period|month|quarter)\s+\S+\s*$", re.I)
_NOTES_BELOW = 20
_NOTE_START = re.compile(r"^\s*(source|sources|note|notes|nb|n\.b\.|footnote|\*+|\(\d+\))"
                         r"\s*[:.)\-]", re.I)


def _as_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if isinstance(value, str) and _NUMBER.match(value):
        try:
            return float(value.strip().replace(",", "").replace(" ", ""))
        except ValueError:
            return None
    return None


class _Profile:
    """What each column holds in the body: numbers or text, how filled, how long."""

    def __init__(self, rows: Sequence[Sequence], width: int):
        sample = list(rows[:2000])
        self.numeric, self.filled, self.longest = [], [], []
        for j in range(width):
            cells = [r[j] for r in sample if j < len(r) and not is_blank(r[j])]
            self.filled.append(len(cells) / max(1, len(sample)))
            self.numeric.append(sum(looks_numeric(v) for v in cells) / max(1, len(cells)))
            self.longest.append(max((len(v.strip()) for v in cells if isinstance(v, str)),
                                    default=0))


def _is_summary(row: Sequence, profile: _Profile) -> bool:
    """A Total / Sum row, or a period label ("Year 1973") over number columns."""
    for j, value in enumerate(row):
        if isinstance(value, str) and not is_blank(value):
            if _SUMMARY.match(value) and len(value.strip()) <= 30:
                return True
            if _PERIOD.match(value) and j < len(profile.numeric) and profile.numeric[j] >= 0.9:
                return True
            return False  # only the row's first text cell is its label
    return False


def _sums_above(row: Sequence, rows: Sequence[Sequence], profile: _Profile) -> bool:
    """A row that leaves blank a column every record fills, and sums a column above it."""
    gaps = [j for j in range(len(profile.filled)) if profile.filled[j] >= 0.99
            and (j >= len(row) or is_blank(row[j]))]
    if not gaps:
        return False
    for j, value in enumerate(row):
        number = _as_number(value)
        if number is None or j >= len(profile.numeric) or profile.numeric[j] < 0.5:
            continue
        cells = [r[j] for r in rows if j < len(r) and not is_blank(r[j])]
        numbers = [n for n in map(_as_number, cells) if n is not None]
        censored = len(cells) - len(numbers)  # "<5" and such, counted at most 5 each
        total = sum(numbers)
        if len(numbers) >= 3 and total > 0 and \
                0.95 * total <= number <= 1.05 * total + 5 * censored:
            return True
    return False


def _is_footnote(row: Sequence, profile: _Profile, width: int) -> bool:
    """A note below the table: few cells, all text, unlike what their columns hold."""
    cells = [(j, v) for j, v in enumerate(row) if not is_blank(v)]
    if not cells or len(cells) > max(1, width // 4) or width < 2:
        return False
    for _, value in cells:
        if not isinstance(value, str) or looks_numeric(value):
            return False
    j, value = cells[0]
    numeric = profile.numeric[j] if j < len(profile.numeric) else 0.0
    longest = profile.longest[j] if j < len(profile.longest) else 0
    text = value.strip()
    return numeric >= 0.9 or (" " in text and len(text) > longest) or bool(
        _NOTE_START.match(text) and " " in text) or (
        len(cells) == 1 and text.endswith((".", ":")) and " " in text)


def uses_comments(rows: Sequence[Sequence]) -> bool:
    """Whether the rows down to the header use ``#`` comment lines (zone tables, logs)."""
    return any(r and isinstance(r[0], str) and r[0].lstrip().startswith("#") for r in rows)


def trim_body(rows: Sequence[Sequence], width: int, comments: bool = False,
              ) -> tuple[list[int], list[str]]:
    """Which of the rows under the header hold records.

    Left out, each with a notice: blank rows; comment lines (``#...``, when the file
    uses them); up to three summary rows right under the header (``Total``, a year
    label); and below the table, notes (a sentence in one or two cells), Total / Sum
    rows and rows holding the sum of the column above them.

    Args:
        rows: The rows under the header.
        width: The table's width.
        comments: Lines starting with ``#`` are comments.

    Returns:
        The indices of the rows that hold records, in order, and the notices.

    """
    keep = [k for k, r in enumerate(rows) if _width(r)]
    notices = []
    if comments:
        kept = [k for k in keep if not (isinstance(rows[k][0], str)
                                        and rows[k][0].lstrip().startswith("#"))]
        if len(kept) < len(keep):
            notices.append(f"{len(keep) - len(kept)} comment line(s) (starting with #) "
                           "were left out.")
        keep = kept
    if len(keep) < 4 or width < 2:
        return keep, notices
    # The body's columns, from rows that are neither the first nor the last few.
    middle = [rows[k] for k in (keep[3:-3] if len(keep) > 12 else keep[:-1])]
    profile = _Profile(middle, width)
    top = 0
    while top < 3 and top < len(keep) - 3 and _is_summary(rows[keep[top]], profile):
        top += 1
    if top:
        notices.append(f"{top} summary row(s) right under the header (totals, a period "
                       "label) were left out.")
    keep = keep[top:]
    notes = summaries = 0
    while len(keep) > 3 and notes + summaries < _NOTES_BELOW:
        row = rows[keep[-1]]
        if _is_footnote(row, profile, width):
            notes += 1
        elif _is_summary(row, profile) or _sums_above(
                row, [rows[k] for k in keep[:-1]], profile):
            summaries += 1
        else:
            break
        keep = keep[:-1]
    if notes:
        notices.append(f"{notes} note row(s) below the table were left out.")
    if summaries:
        notices.append(f"{summaries} summary row(s) below the table (totals) were left out.")
    return keep, notices
