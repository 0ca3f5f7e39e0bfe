"""Read delimited text files (CSV, TSV, TXT) fast with pyarrow, and robustly when ragged."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from synthdesk.errors import ImportFailed, InvalidChoice
from synthdesk.io.budget import MAX_ROW_BYTES, read_memory_budget
from synthdesk.io.layout import (
    drop_note_rows,
    drop_notes_below,
    find_header,
    is_blank,
    name_columns,
    row_width,
    trim_body,
    uses_comments,
)
from synthdesk.io.options import ReadOptions
from synthdesk.io.sampling import needs_sample, sample_rows
from synthdesk.io.sniff import (
    CONTROLS,
    SAMPLE_BYTES,
    check_text,
    detect_delimiter,
    detect_encoding,
    detect_quotechar,
    has_controls,
    read_sample,
)
from synthdesk.io.values import NUMBER_TEXT as _NUMBER_TEXT
from synthdesk.io.values import (
    QUOTED_FORMULA,
    clean_column,
    clean_columns,
    parse_numbers,
    unquoted_notice,
)

__all__ = ["read_text_table"]

_PLAIN_INT = re.compile(r"^[-+]?\d+$")
_PLAIN_FLOAT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0\d")
_SAMPLE_ROWS = 2000
_MAX_COLUMNS = 20_000
_MIN_SAMPLE_ROWS = 50
_MAX_SAMPLE_BYTES = 64 << 20
_WIDE = 500
_MAX_REPAIRS = 10_000  # rows of another width padded for Arrow; beyond, row by row
_POOL = None  # set on first read: see _memory_pool


def read_text_table(path: Path, options: ReadOptions, limit: int | None = None, *,
                    sample_by: str | None = None, seed: int = 0):
    """Read a delimited text file into a DataFrame and describe what was understood.

    A file too large to read whole within the memory budget is read as a random sample of
    its rows (:mod:`synthdesk.io.sampling`); ``details["rows_in_file"]`` then holds its
    number of rows, and a notice says so.

    Args:
        path: The file (only read).
        options: The user's overrides; ``None`` fields are detected.
        limit: Read only this many data rows (a quick preview from the file's start).
        sample_by: For a file read as a sample: the column whose values keep their shares
            (the job's target).
        seed: For a file read as a sample: the seed of the choice of rows.

    Returns:
        ``(data, details)`` where ``details`` holds encoding, delimiter, quote character,
        header row, decimal mark, the missing markers seen and notices for the user.

    """
    size = SAMPLE_BYTES
    while True:
        sample = read_sample(path, size)
        whole = path.stat().st_size <= len(sample)
        _check_row_length(sample, whole, path.name)
        encoding = _encoding(options, sample, path)
        check_text(sample, encoding, path.name)
        text = sample.decode(encoding, errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        if not whole:
            text = text[: text.rfind("\n") + 1] or text
        delimiter = options.delimiter or detect_delimiter(text)
        if len(delimiter) != 1:
            raise InvalidChoice(f"The delimiter must be one character, not {delimiter!r}.")
        quotechar = detect_quotechar(text, delimiter)
        rows = _parse(text, delimiter, quotechar, whole)
        if not whole and len(sample) >= MAX_ROW_BYTES and len(rows) < 2:
            _refuse_long_row(path.name)
        # A wide table may fit only a few rows in the sample: look further to type columns.
        if whole or len(rows) >= _MIN_SAMPLE_ROWS or size >= _MAX_SAMPLE_BYTES:
            break
        size *= 8
    if not any(any(not is_blank(v) for v in r) for r in rows):
        raise ImportFailed(f"{path.name} holds no data rows.")
    start, has_header, width = _layout(rows, options)
    if width > _MAX_COLUMNS:
        raise ImportFailed(f"{path.name} has {width:,} columns; SynthDesk reads at most "
                           f"{_MAX_COLUMNS:,}. Keep the columns you need and try again.")
    names, notices = name_columns(rows[start] if has_header else [], width)
    if not has_header:
        notices = ["The table has no header row: its columns are called column_1, column_2..."]
    body = rows[start + (1 if has_header else 0):]
    missing = frozenset(options.missing)
    seen = _markers_seen(body, missing)
    details = {
        "encoding": encoding, "delimiter": delimiter, "quotechar": quotechar,
        "header_row": start + 1 if has_header else None, "missing_markers": seen,
    }
    skip = start + (1 if has_header else 0)
    if options.last_row is not None:
        if options.last_row <= skip:
            raise InvalidChoice(f"The last row ({options.last_row}) must be below the "
                                f"header (row {skip}).")
        body = body[:options.last_row - skip]
    if whole or limit is not None:
        keep, trimmed = trim_body(body, width, comments=uses_comments(rows[:skip + 1]))
        if options.last_row is not None:  # the user said where the records end
            keep, trimmed = [k for k, r in enumerate(body) if row_width(r)], []
        details["last_row"] = skip + keep[-1] + 1 if keep else None
        if trimmed:
            body = [body[k] for k in keep]
    else:
        trimmed = []
    if limit is not None:
        data, decimal, extra, units = _from_rows(body[:limit], names, missing, options.decimal)
    elif whole and (trimmed or options.last_row is not None or _ragged(body, width)):
        data, decimal, extra, units = _from_rows(body, names, missing, options.decimal)
    else:
        sample = None
        if options.last_row is None and needs_sample(path) and \
                len(_physical_names(names, body)) >= len(names):
            sample = sample_rows(
                path, pacsv.ReadOptions(skip_rows=skip, column_names=_physical_names(names, body),
                                        encoding=_arrow_encoding(encoding)),
                {"delimiter": delimiter, "quote_char": quotechar,
                 "newlines_in_values": quotechar in text},
                _physical_names(names, body), sample_by=sample_by, seed=seed,
                memory_pool=_memory_pool())
            details["rows_in_file"] = sample.total
            notices.append(_sample_notice(path, sample))
        try:
            if sample is None:
                result = _arrow(path, encoding, delimiter, quotechar, names, body, skip,
                                missing, options.decimal, quoted=quotechar in text)
            else:  # the kept rows, as the reader wrote them
                result = _arrow(sample.file, "utf-8", ",", '"', names, body, 0, missing,
                                options.decimal, quoted=True)
        finally:
            if sample is not None:
                sample.close()
        if result is None:  # rows of another width past the sample
            result = _from_rows(_all_rows(path, encoding, delimiter, quotechar, skip),
                                names, missing, options.decimal)
        data, decimal, extra, units = result
        if options.last_row is not None:
            data = data.iloc[:options.last_row - skip]
    extra = trimmed + extra
    data, notes = drop_notes_below(data)
    if not whole or "last_row" not in details:
        details["last_row"] = skip + len(data) if len(data) else None
    elif notes and details["last_row"] is not None:
        details["last_row"] = skip + keep[-1 - notes] + 1 if len(keep) > notes else None
    if notes:
        extra.append(f"{notes} note row(s) below the table were left out.")
        first = data.columns[0]
        if data[first].dtype == object:  # the note made the first column look like text
            column, _, _ = clean_column(data[first].reset_index(drop=True), missing,
                                        options.decimal)
            data = data.reset_index(drop=True)
            data[first] = column
    if has_controls(text):
        extra += _strip_controls(data)
    if not isinstance(data.index, pd.RangeIndex) or data.index.start != 0:
        data.index = pd.RangeIndex(len(data))  # relabel in place: no copy of the table
    details["decimal"] = decimal
    details["notices"] = notices + extra
    details["units"] = units
    return data, details


def _check_row_length(sample: bytes, whole: bool, name: str) -> None:
    """Refuse a file whose first rows do not end within :data:`MAX_ROW_BYTES` (before parsing)."""
    if whole or len(sample) < MAX_ROW_BYTES:
        return
    if sample.count(b"\n", 0, MAX_ROW_BYTES) < 2 and sample.count(b"\r", 0, MAX_ROW_BYTES) < 2:
        _refuse_long_row(name)


def _refuse_long_row(name: str) -> None:
    raise ImportFailed(f"{name} has a row or a value longer than {MAX_ROW_BYTES >> 20} MB, "
                       "more than SynthDesk reads in one cell: it may be a quote never closed "
                       "or a file that is not a table. Check it in a text editor.")


def _encoding(options: ReadOptions, sample: bytes, path: Path) -> str:
    if options.encoding is None:
        return detect_encoding(sample)
    try:
        return codecs.lookup(options.encoding).name
    except LookupError:
        raise InvalidChoice(f"{options.encoding!r} is not a text encoding SynthDesk knows "
                            "(try utf-8, cp1252, latin-1 or utf-16).") from None


def _parse(text: str, delimiter: str, quotechar: str, whole: bool) -> list[list[str]]:
    if "\r" in text and "\n" not in text:  # classic Mac OS line ends (CR only)
        text = text.replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quotechar)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > _SAMPLE_ROWS * 5:
                break
    except csv.Error:
        pass
    if not whole and len(rows) > 1:
        rows = rows[:-1]  # may be cut in the middle of a quoted field
    return rows


def _layout(rows: list[list[str]], options: ReadOptions) -> tuple[int, bool, int]:
    start, has_header, width = find_header(rows[:_SAMPLE_ROWS])
    if options.header_row is not None:
        if options.header_row < 0:
            raise InvalidChoice("The header row must be 0 (no header) or a row number.")
        if options.header_row == 0:
            return 0, False, max((len(r) for r in rows), default=0)
        if options.header_row > len(rows):
            raise InvalidChoice(f"Row {options.header_row} is past the rows SynthDesk "
                                "looked at; choose an earlier header row.")
        start, has_header = options.header_row - 1, True
    body_width = max((len(r) for r in rows[start:]), default=0)
    # Trailing columns with neither a name nor a value are left out.
    while body_width and all(len(r) < body_width or is_blank(r[body_width - 1])
                             for r in rows[start:]):
        body_width -= 1
    return start, has_header, max(width, body_width)


def _ragged(body: list[list[str]], width: int) -> bool:
    return any(0 < len(r) != width and not (len(r) > width and all(
        is_blank(v) for v in r[width:])) for r in body if any(v.strip() for v in r))


def _markers_seen(body, missing) -> list[str]:
    seen = set()
    for row in body[:_SAMPLE_ROWS]:
        for value in row:
            stripped = value.strip()
            if stripped in missing and stripped:
                seen.add(stripped)
    return sorted(seen)


def _from_rows(rows, names, missing, decimal):
    width = len(names)
    padded, notes = drop_note_rows(list(rows), width)
    extra_width = max([width] + [row_width(r) for r in padded])
    if extra_width > width:
        more = [f"column_{i + 1}" for i in range(width, extra_width)]
        names = names + more
    notices = [f"{notes} note row(s) below the table were left out."] if notes else []
    columns, found, cleaned, units = clean_columns(
        names, lambda j: [r[j] if j < len(r) else None for r in padded], missing, decimal)
    notices += cleaned
    if any(len(r) < width and row_width(r) for r in padded):
        notices.append("Some rows have fewer cells than the header: the missing cells are "
                       "read as missing.")
    if extra_width > width:
        notices.append("Some rows have more cells than the header: the extra cells are read "
                       "as columns " + ", ".join(names[width:]) + ".")
    data = pd.DataFrame(columns) if columns else pd.DataFrame()
    return data, decimal or found or ".", notices, units


def _all_rows(path, encoding, delimiter, quotechar, skip):
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, quotechar=quotechar)
        try:
            for i, row in enumerate(reader):
                if i >= skip:
                    yield row
        except csv.Error as exc:
            raise ImportFailed(f"{path.name} could not be read as CSV ({exc}). "
                               "Try another delimiter or encoding.") from exc


def _column_plan(body, names, missing, decimal):
    """Choose each column's Arrow type from the sample: numbers only when plainly numbers.

    Returns:
        The Arrow type of each column, and the columns whose sample holds only whole
        numbers. Those are read as text: codes (ZIP, FIPS, account numbers) may show their
        leading zeros only past the sample, so :func:`_whole_numbers` decides on the whole
        column, without a second pass over the file.

    """
    types, whole = {}, set()
    for j, name in enumerate(names):
        values = [r[j] for r in body[:_SAMPLE_ROWS] if j < len(r)]
        padded = any(v != v.strip() for v in values if v.strip())
        present = [v for v in values if v not in missing]
        if present and not padded and decimal != "," and not any(
                _LEADING_ZERO.match(v) for v in present):
            if all(_PLAIN_INT.match(v) for v in present):
                types[name] = pa.string()
                whole.add(name)
                continue
            if all(_PLAIN_FLOAT.match(v) for v in present):
                types[name] = pa.float64()
                continue
        types[name] = pa.string()
    return types, whole


def _whole_numbers(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Whole numbers read as text, as int64; ``None`` if some value is a code or not one.

    A value with a leading zero (``02134``) makes the column codes; anything that is not
    a plain whole number (``12.5``, ``n/a``, `` 7``) leaves it to the text path, which
    trims, reads missing markers and numbers written as text.
    """
    if pc.any(pc.match_substring_regex(column, _LEADING_ZERO.pattern,
                                       memory_pool=_POOL)).as_py():
        return None
    try:
        return pc.cast(column, pa.int64(), memory_pool=_POOL)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _settle(column: pa.ChunkedArray, name: str, whole: set, markers: pa.Array,
            notices: list[str]) -> pa.ChunkedArray:
    """One column as read by Arrow, typed: whole numbers as int64, text normalised."""
    if name in whole:
        numbers = _whole_numbers(column)
        if numbers is not None:
            return numbers
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column, unquoted = _normalise_text(column, markers)
        if unquoted:
            notices.append(unquoted_notice(name, unquoted))
    return column


def _arrow(path, encoding, delimiter, quotechar, names, body, skip, missing, decimal, quoted):
    _memory_pool()
    types, whole = _column_plan(body, names, missing, decimal)
    every = _physical_names(names, body)
    if len(every) < len(names):
        return None
    read = pacsv.ReadOptions(skip_rows=skip, column_names=every,
                             encoding=_arrow_encoding(encoding))
    # Quoted line breaks slow the parallel reader down; allow them only when the file
    # quotes values at all. A break past the sample shows up as invalid rows, and the
    # file is then read row by row.
    parse = {"delimiter": delimiter, "quote_char": quotechar, "newlines_in_values": quoted}
    table, invalid = _read_arrow(path, read, parse, types, names, missing, encoding)
    notices = []
    if invalid:
        # Rows of another width past the sample: Arrow reads the file again, with those
        # rows padded (see _Padded); only what it cannot fix goes row by row.
        table = None  # not held during the second read
        repair = _repair(path, invalid, encoding, delimiter, quotechar, len(every), names,
                         skip)
        if repair is None:
            return None
        source, every, notices = repair
        read = pacsv.ReadOptions(skip_rows=skip, column_names=every, encoding=read.encoding)
        for name in every[len(names):]:
            types[name] = pa.string()
        table, invalid = _read_arrow(source, read, parse, types, every, missing, encoding)
        if invalid:
            return None
        # Extra columns that hold something are kept, named column_N as the header has none.
        names = names + [n for n in every[len(names):]
                         if table[n].null_count < len(table)]
        table = table.select(names)
    markers = pa.array(sorted(missing), pa.string())
    arrays = table.columns
    del table
    if len(names) > _WIDE:
        # Many columns, few rows: per-column bookkeeping would cost more than the data.
        for i, column in enumerate(arrays):
            arrays[i] = _settle(column, names[i], whole, markers, notices)
        data = pa.table(arrays, names=names).to_pandas(memory_pool=_POOL)
        del arrays
        blank = data.isna().all(axis=1)
        if blank.any():
            data = data[~blank]
            data.index = pd.RangeIndex(len(data))
    else:
        columns, present = {}, None
        arrays.reverse()
        for name in names:
            # One column at a time, each released once converted, so the table is never
            # held twice.
            column = _settle(arrays.pop(), name, whole, markers, notices)
            valid = pc.is_valid(column, memory_pool=_POOL)
            present = valid if present is None else pc.or_(present, valid, memory_pool=_POOL)
            columns[name] = _to_pandas(column)
            del column
        data = pd.DataFrame(columns, copy=False)
        del columns
        if present is not None and not pc.all(present).as_py():
            # Blank rows (",,,,") carry nothing.
            data = data[present.to_numpy(zero_copy_only=False)]
            data.index = pd.RangeIndex(len(data))
    found, units = None, {}
    for j, (name, dtype) in enumerate(zip(names, data.dtypes, strict=True)):
        if dtype.kind != "O":
            continue
        if not _maybe_numbers(body, j, missing):
            # Plain Python on the sample: on a wide table this runs for thousands of columns.
            sample = [v for v in (r[j].strip() for r in body[:2000] if j < len(r))
                      if v not in missing]
            numeric = sum(1 for v in sample if _NUMBER_TEXT.match(v))
            if sample and 0.2 <= numeric / len(sample) < 1 and not any(
                    _LEADING_ZERO.match(v) for v in sample):
                notices.append(f"{name} mixes numbers and text: read as text.")
            continue
        numbers, how = parse_numbers(data[name], decimal)
        if numbers is not None:
            data[name] = numbers
            found = found or how.decimal
            if how.unit:
                units[name] = how.unit
            if how.notice(name):
                notices.append(how.notice(name))
    return data, decimal or found or ".", notices, units


def _physical_names(names: list[str], body: list[list[str]]) -> list[str]:
    """A name for each cell of the width most rows have (other widths are padded).

    Fewer than ``names`` when most rows are narrower than the header.
    """
    widths = Counter(len(r) for r in body if r)
    physical = widths.most_common(1)[0][0] if widths else len(names)
    if physical < len(names):
        return names[:physical]
    return names + [f"_blank_{i}" for i in range(len(names), physical)]


def _arrow_encoding(encoding: str) -> str:
    return "utf8" if encoding.replace("_", "-") in ("utf-8", "utf-8-sig") else encoding


def _sample_notice(path: Path, sample) -> str:
    by = f", each value of {sample.stratified_by} keeping its share of the rows" \
        if sample.stratified_by else ""
    skipped = f" ({sample.skipped:,} rows of another width were left out)" \
        if sample.skipped else ""
    return (f"{path.name} is too large to read whole within the memory reading may take "
            f"({read_memory_budget() >> 20:,} MB): a random sample of {sample.kept:,} of its "
            f"{sample.total:,} rows was read{by}{skipped}. The file itself is unchanged.")


def _read_arrow(source, read, parse, types, names, missing, encoding):
    """Read with Arrow; return the table and the text of rows of another width (skipped).

    A column whose sample looked like numbers but holds something else further down is
    read again as text.
    """
    invalid = []

    def _on_invalid(row) -> str:
        invalid.append(row.text if len(invalid) < _MAX_REPAIRS else None)
        return "skip"

    options = pacsv.ParseOptions(invalid_row_handler=_on_invalid, **parse)
    name = getattr(source, "name", "the file")
    name = Path(name).name if isinstance(name, (str, Path)) else "the file"
    for _ in range(len(names) + 1):
        invalid.clear()
        convert = pacsv.ConvertOptions(column_types=types, null_values=list(missing),
                                       include_columns=names,
                                       strings_can_be_null=True, quoted_strings_can_be_null=True)
        try:
            if hasattr(source, "seek"):
                source.seek(0)
            table = pacsv.read_csv(source, read_options=read, parse_options=options,
                                   convert_options=convert, memory_pool=_POOL)
            return table, invalid
        except pa.ArrowInvalid as exc:
            column = re.search(r"In CSV column #(\d+)", str(exc))
            if column and types[names[int(column.group(1))]] != pa.string():
                types[names[int(column.group(1))]] = pa.string()
                continue
            if isinstance(exc.__context__, _CannotPad):
                return None, [None]
            raise ImportFailed(f"{name} could not be read as CSV. Its rows do not all "
                               "split into the same columns: try another delimiter.") from exc
        except _CannotPad:
            return None, [None]
        except (UnicodeDecodeError, pa.ArrowException) as exc:
            raise ImportFailed(f"{name} could not be read as {encoding} text. "
                               "Try another encoding.") from exc
    raise AssertionError("unreachable: each retry reads one more column as text")


def _repair(path, invalid, encoding, delimiter, quotechar, physical, names, skip):
    """Plan a second Arrow read in which the rows of another width are padded.

    Returns:
        ``(source, column_names, notices)``, or ``None`` when rows must be read one by
        one: too many odd rows, a quoted value cut across lines, or an encoding whose
        line ends are not single bytes (UTF-16).

    """
    raw = _raw_encoding(encoding)
    if raw is None or None in invalid:
        return None
    fixes, widths = {}, []
    for text in invalid:
        if "\n" in text or "\r" in text or text.count(quotechar) % 2:
            return None  # a quoted line break: the pieces are not rows
        cells = next(csv.reader([text], delimiter=delimiter, quotechar=quotechar), [])
        widths.append(row_width(cells))
        fixes[text.encode(raw)] = cells
    width = max([physical] + widths)
    every = names + [f"column_{i + 1}" for i in range(len(names), width)]
    lines = {}
    for key, cells in fixes.items():
        out = io.StringIO()
        cells = (cells + [""] * width)[:width]
        csv.writer(out, delimiter=delimiter, quotechar=quotechar, lineterminator="").writerow(
            cells)
        lines[key] = out.getvalue().encode(raw)
    pad = delimiter.encode(raw) * (width - physical)
    notices = []
    if any(w < len(names) for w in widths):
        notices.append("Some rows have fewer cells than the header: the missing cells are "
                       "read as missing.")
    if width > len(names) and any(w > len(names) for w in widths):
        notices.append("Some rows have more cells than the header: the extra cells are read "
                       "as columns " + ", ".join(every[len(names):]) + ".")
    source = io.BufferedReader(_Padded(path, lines, pad, quotechar.encode(raw), skip),
                               buffer_size=1 << 20)
    return source, every, notices


def _raw_encoding(encoding: str) -> str | None:
    """The codec for line-by-line byte work, or ``None`` if line ends are not one byte."""
    name = encoding.replace("_", "-").lower()
    if name in ("utf-8", "utf-8-sig", "utf8"):
        return "utf-8"
    try:
        ok = "\n,;|\t\"'".encode(encoding) == b"\n,;|\t\"'"
    except (LookupError, UnicodeEncodeError):
        return None
    return encoding if ok else None


class _CannotPad(Exception):  # noqa: N818 - internal signal, never reaches the user
    """Padding every row would break a value quoted across lines."""


class _Padded(io.RawIOBase):
    """The file's bytes with rows of another width replaced by padded ones.

    ``lines`` maps a row (without its line end) to its padded form; when the table gains
    columns, every other row gets ``pad`` (more delimiters) too. Lines are streamed, so
    memory stays that of Arrow's own read.
    """

    def __init__(self, path: Path, lines: dict, pad: bytes, quote: bytes, skip: int):
        super().__init__()
        self.name = str(path)
        self._path, self._lines, self._pad, self._quote, self._skip = (
            path, lines, pad, quote, skip)
        self._chunks = None
        self._rest = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset or whence:
            raise OSError("only rewinding is supported")
        self._chunks, self._rest = self._generate(), b""
        return 0

    def readinto(self, buffer) -> int:
        if self._chunks is None:
            self.seek(0)
        while len(self._rest) < len(buffer):
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._rest += chunk
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size

    def _generate(self):
        lines, pad, quote = self._lines, self._pad, self._quote
        out, size = [], 0
        with self._path.open("rb") as handle:
            for number, line in enumerate(handle):
                body = line.rstrip(b"\r\n")
                fixed = lines.get(body)
                if fixed is not None:
                    line = fixed + b"\n"
                elif pad and number >= self._skip and body:
                    if body.count(quote) % 2:
                        raise _CannotPad
                    line = body + pad + b"\n"
                out.append(line)
                size += len(line)
                if size >= 1 << 20:
                    yield b"".join(out)
                    out, size = [], 0
        if out:
            yield b"".join(out)


def _memory_pool() -> pa.MemoryPool:
    """Arrow's jemalloc pool, told to hand freed memory back at once, where pyarrow has it.

    Arrow's pools keep freed blocks for reuse, and pandas cannot reuse them: converting
    column by column would then hold the Arrow table and the DataFrame at once (3.3x the
    file size instead of about 2.8x on the benchmark's 1M-row file).
    """
    global _POOL
    if _POOL is None:
        try:
            pool = pa.jemalloc_memory_pool()
            pa.jemalloc_set_decay_ms(0)
        except (NotImplementedError, pa.ArrowNotImplementedError):
            pool = pa.default_memory_pool()
        _POOL = pool
    return _POOL


def _normalise_text(column: pa.ChunkedArray, markers: pa.Array):
    """Trim spaces around text, and read missing markers left after trimming as missing.

    The ``'`` a spreadsheet-safe export put before ``=``, ``+``, ``-`` or ``@`` is removed
    (see :func:`synthdesk.io.values.unquote_formulas`).

    Returns:
        The column and how many values lost such a ``'``.

    """
    # Each step copies the column only when some value needs it: the copies would
    # otherwise add to the reader's peak memory while the table is converted.
    if pc.any(pc.match_substring_regex(column, r"^\s|\s$", memory_pool=_POOL)).as_py():
        column = pc.utf8_trim_whitespace(column, memory_pool=_POOL)
    marked = pc.is_in(column, value_set=markers, memory_pool=_POOL)
    if pc.any(marked).as_py():
        column = pc.if_else(marked, None, column, memory_pool=_POOL)
    del marked
    unquoted = 0
    if pc.any(pc.starts_with(column, "'", memory_pool=_POOL)).as_py():
        quoted = pc.match_substring_regex(column, QUOTED_FORMULA, memory_pool=_POOL)
        unquoted = pc.sum(quoted).as_py() or 0
        if unquoted:
            column = pc.if_else(quoted, pc.utf8_slice_codeunits(column, 1), column,
                                memory_pool=_POOL)
    return column, unquoted


def _to_pandas(column: pa.ChunkedArray) -> pd.Series:
    """One Arrow column as pandas; repeated text shares one Python string per value."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column.to_pandas(memory_pool=_POOL)
    encoded = pc.dictionary_encode(column, memory_pool=_POOL).combine_chunks(memory_pool=_POOL)
    if len(encoded.dictionary) * 4 > max(len(encoded), 1):
        return column.to_pandas(memory_pool=_POOL)
    values = np.asarray(encoded.dictionary.to_pylist() + [None], dtype=object)
    codes = encoded.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
    return pd.Series(values[codes], dtype=object)


def _maybe_numbers(body, j, missing) -> bool:
    """Whether the sample's values all read as numbers written as text (not codes)."""
    values = [r[j].strip() for r in body[:_SAMPLE_ROWS] if j < len(r)]
    present = [v for v in values if v not in missing]
    return bool(present) and all(
        _NUMBER_TEXT.match(v) and not _LEADING_ZERO.match(v) for v in present)


def _strip_controls(data: pd.DataFrame) -> list[str]:
    """Remove control characters (0x1A, 0x07...) from text values, in place; say where.

    They are stray bytes of the system that wrote the file, not part of the values:
    removed, so that equal values stay equal and exports stay clean text.
    """
    notices = []
    for name in data.columns:
        column = data[name]
        if column.dtype != object:
            continue
        text = column.map(lambda v: v if isinstance(v, str) else None)
        marked = text.str.contains(CONTROLS, regex=True, na=False)
        count = int(marked.sum())
        if count:
            cleaned = column.copy()
            cleaned[marked] = text[marked].str.replace(CONTROLS, "", regex=True)
            data[name] = cleaned
            notices.append(f"{name}: {count:,} value(s) held control characters (such as "
                           "0x1A, a legacy end-of-file mark); they were removed and the "
                           "text kept.")
    return notices
