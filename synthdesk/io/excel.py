"""Read workbooks: .xlsx/.xlsm with openpyxl, .xls/.ods/.xlsb with calamine.

Cells are read as the workbook shows them: formulas as their cached values, error cells
as missing, date cells as dates (1900 or 1904 date system), time cells as times.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from synthdesk.errors import ImportFailed
from synthdesk.io.budget import MAX_SHEET_XML_BYTES
from synthdesk.io.layout import find_header, is_blank, name_columns, trim_body, uses_comments
from synthdesk.io.options import ReadOptions
from synthdesk.io.serials import date1904
from synthdesk.io.values import clean_columns

__all__ = ["OPENPYXL_SUFFIXES", "CALAMINE_SUFFIXES", "sheet_names", "read_sheet"]

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
CALAMINE_SUFFIXES = (".xls", ".ods", ".xlsb")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_UNZIPPED = 2 << 30  # 2 GiB of XML is far beyond any sheet SynthDesk can learn from
_MAX_RATIO = 200
_MAX_COLUMNS = 20_000
_HEADER_ROWS = 50
_FORMAT_ROWS = 5
_CURRENCY = "$€£¥₹₩₽"


def _check_workbook(path: Path) -> None:
    """Refuse password-protected, damaged and decompression-bomb workbooks up front."""
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(_OLE):
        if suffix == ".xls":
            return
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in (
                path.read_bytes()):
            raise ImportFailed(f"{path.name} is protected with a password. Open it in Excel, "
                               "remove the password, save it and try again.")
        raise ImportFailed(f"{path.name} is an older Office file, not an {suffix} workbook. "
                           "Give it its .xls name or save it again as .xlsx.")
    if suffix == ".xls":
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed(f"{path.name} could not be opened as an Excel workbook: it is "
                           "damaged, incomplete or not a workbook.") from exc
    unzipped = sum(i.file_size for i in infos)
    zipped = max(1, sum(i.compress_size for i in infos))
    if unzipped > _MAX_UNZIPPED or (unzipped > 100 << 20 and unzipped / zipped > _MAX_RATIO):
        raise ImportFailed(f"{path.name} would unpack to {unzipped / (1 << 30):.1f} GB: "
                           "it is too large or malformed to read safely.")
    cells = [i for i in infos if _holds_cells(i.filename)]
    declared = sum(i.file_size for i in cells)
    if declared > MAX_SHEET_XML_BYTES or _unpacks_past(path, cells, MAX_SHEET_XML_BYTES):
        _refuse_too_many_cells(path.name)


def _holds_cells(member: str) -> bool:
    name = member.lower()
    return name.endswith(".xml") and ("worksheets/" in name or "sharedstrings" in name
                                      or name.startswith("content.xml"))


def _refuse_too_many_cells(name: str) -> None:
    raise ImportFailed(f"{name} holds more cells than SynthDesk reads from a workbook at once "
                       f"(about {MAX_SHEET_XML_BYTES >> 20} MB of sheet data). Save the sheet "
                       "you need as CSV, or keep only the rows and columns you need.")


def _unpacks_past(path: Path, members, limit: int) -> bool:
    """Whether ``members`` really unpack to more than ``limit`` bytes, whatever they declare.

    Each member's deflated bytes are inflated a piece at a time and counted, and nothing
    is kept, so a member that lies about its size is caught without unpacking it.
    """
    try:
        return _inflated_past(path, members, limit)
    except (zlib.error, OSError, ValueError):
        return False  # damaged: the engines will say so in the user's words


def _inflated_past(path: Path, members, limit: int) -> bool:
    total = 0
    with path.open("rb") as handle:
        for info in members:
            if info.compress_type == zipfile.ZIP_STORED:
                total += info.compress_size
                continue
            if info.compress_type != zipfile.ZIP_DEFLATED:
                continue
            handle.seek(info.header_offset)
            local = handle.read(30)
            if local[:4] != b"PK\x03\x04":
                return False  # damaged: the engines will say so
            handle.seek(info.header_offset + 30 + int.from_bytes(local[26:28], "little")
                        + int.from_bytes(local[28:30], "little"))
            inflate = zlib.decompressobj(-15)
            left = info.compress_size
            while left > 0 and not inflate.eof:
                chunk = handle.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
                data = chunk
                while data and not inflate.eof:
                    total += len(inflate.decompress(data, 8 << 20))
                    if total > limit:
                        return True
                    data = inflate.unconsumed_tail
    return False


def sheet_names(path: Path, skip_empty: bool = True) -> list[str]:
    """Names of the workbook's sheets, in order; those with no cells left out by default."""
    _check_workbook(path)
    return _with_book(path, lambda book: [n for n in book.names()
                                          if not skip_empty or book.has_cells(n)])


def read_sheet(path: Path, sheet: str | None, options: ReadOptions, limit: int | None = None):
    """Read one sheet (the first with data by default) into a DataFrame.

    Returns:
        ``(data, details)`` where ``details`` holds the sheet, every sheet with data, the
        header row, missing markers seen and notices for the user.

    """
    _check_workbook(path)

    def _read(book: _Book):
        names = book.names()
        filled = [n for n in names if book.has_cells(n)]
        chosen = sheet
        if chosen is None:
            if not filled:
                raise _Refused(f"{path.name}: every sheet is empty.")
            chosen = filled[0]
        elif chosen not in names:
            raise _Refused(f"{path.name} has no sheet named {chosen!r}. "
                           f"Its sheets are: {', '.join(filled or names)}.")
        return book.rows(chosen, limit), chosen, tuple(filled)

    rows, sheet, filled = _with_book(path, _read, streaming=limit is not None)
    data, details = _table(rows, path, sheet, filled, options, limit)
    first = details.pop("data_row")
    if path.suffix.lower() in OPENPYXL_SUFFIXES:
        formats = _number_formats(path, sheet, first, data.shape[1])
        details["units"].update(_formatted_units(data, formats))
    return data, details


def _number_formats(path: Path, sheet: str, first: int, width: int) -> list[str | None]:
    """The number format of each column's first filled cell among its first data rows.

    calamine gives values only, so openpyxl's streaming reader reads the formats of the
    first few rows (it stops there: the cost does not grow with the sheet).
    """
    import openpyxl

    formats: list[str | None] = [None] * width
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 - formats are a nicety: the values are already read
        return formats
    try:
        cells = book[sheet].iter_rows(min_row=first, max_row=first + _FORMAT_ROWS - 1,
                                      max_col=width)
        for row in cells:
            for j, cell in enumerate(row[:width]):
                if formats[j] is None and isinstance(cell.value, (int, float)) and not \
                        isinstance(cell.value, bool):
                    formats[j] = cell.number_format
    except Exception:  # noqa: BLE001 - as above
        pass
    finally:
        book.close()
    return formats


def _formatted_units(data: pd.DataFrame, formats: list[str | None]) -> dict[str, str]:
    """Units shown by number formats; percentages become the figure shown (0.125 -> 12.5).

    Text percentages (``12.5%``) read as 12.5, so cells formatted as percentages are read
    the same way, and both export alike (see ``synthdesk.export.write_table``). A format
    with a literal ``"%"`` (as SynthDesk writes) shows the value unscaled.
    """
    units = {}
    for name, number_format in zip(data.columns, formats, strict=False):
        if not number_format or not pd.api.types.is_float_dtype(data[name]) and not \
                pd.api.types.is_integer_dtype(data[name]):
            continue
        unit, scaled = _unit_of(number_format)
        if unit is None:
            continue
        if scaled:
            data[name] = (data[name].astype("float64") * 100).round(10)
        units[str(name)] = unit
    return units


def _unit_of(number_format: str) -> tuple[str | None, bool]:
    """``(unit, scaled)`` shown by an Excel number format: ``("%", True)`` for ``0.0%``."""
    shown = number_format.split(";")[0]
    literal = "".join(re.findall(r'"([^"]*)"', shown)) + "".join(re.findall(r"\\(.)", shown))
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", shown)
    if "%" in bare:
        return "%", True
    if "%" in literal:
        return "%", False
    symbols = re.findall(r"\[\$([^\-\]]+)", shown) + [c for c in literal + bare
                                                      if c in _CURRENCY]
    return (symbols[0], False) if symbols else (None, False)


class _Refused(ImportFailed):
    """A problem with the user's choice, not with the engine: no other engine is tried."""


def _with_book(path: Path, work, streaming: bool = False):
    """Run ``work(book)`` with each engine in turn until one reads the workbook.

    calamine parses a whole sheet before giving its first row, so a preview (``streaming``)
    of an .xlsx file reads the first rows with openpyxl's streaming reader instead.
    """
    engines = ENGINES.get(path.suffix.lower(), ("calamine",))
    if streaming and "openpyxl" in engines:
        engines = ("openpyxl", *(e for e in engines if e != "openpyxl"))
    for i, engine in enumerate(engines):
        try:
            with _Book(path, engine) as book:
                return work(book)
        except _Refused as exc:
            raise ImportFailed(exc.message) from None
        except ImportFailed as exc:
            if "password" in exc.message or i == len(engines) - 1:
                raise
    raise AssertionError("no engine")  # unreachable: the loop returns or raises


def _table(rows: list[list], path: Path, sheet: str, sheets: tuple, options: ReadOptions,
           limit: int | None = None):
    if not any(any(not is_blank(v) for v in r) for r in rows):
        raise ImportFailed(f"{path.name}: the sheet {sheet!r} is empty.")
    start, has_header, width = find_header(rows[:_HEADER_ROWS])
    if options.header_row is not None:
        if options.header_row == 0:
            start, has_header = 0, False
        elif options.header_row > len(rows):
            raise ImportFailed(f"{path.name}: the sheet {sheet!r} has only {len(rows)} rows.")
        else:
            start, has_header = options.header_row - 1, True
    width = max(width, max((_width(r) for r in rows[start:]), default=0))
    if width > _MAX_COLUMNS:
        raise ImportFailed(f"{path.name} has {width:,} columns; SynthDesk reads at most "
                           f"{_MAX_COLUMNS:,}. Keep the columns you need and try again.")
    names, notices = name_columns(rows[start] if has_header else [], width)
    if not has_header:
        notices = ["The table has no header row: its columns are called column_1, column_2..."]
    first = start + (1 if has_header else 0)
    body = rows[first:]
    if options.last_row is not None:
        if options.last_row <= first:
            raise ImportFailed(f"{path.name}: the last row ({options.last_row}) must be "
                               f"below the header (row {first}).")
        body = body[:options.last_row - first]
    if limit is not None:
        body = body[:limit]
    keep, trimmed = trim_body(body, width, comments=uses_comments(rows[:first + 1]))
    if options.last_row is not None:  # the user said where the records end
        keep, trimmed = [k for k, r in enumerate(body) if _width(r)], []
    last_row = first + keep[-1] + 1 if keep else None
    body = [body[k] for k in keep]
    missing = frozenset(options.missing)
    seen = sorted({v.strip() for r in body[:2000] for v in r
                   if isinstance(v, str) and v.strip() in missing and v.strip()})
    columns, found, cleaned, units = clean_columns(
        names, lambda j: [r[j] if j < len(r) else None for r in body], missing, options.decimal,
        unquote=False)
    notices += cleaned
    data = pd.DataFrame(columns) if columns else pd.DataFrame()
    if start > 0 and has_header:
        notices.append(f"The header is on row {start + 1}: the rows above it were left out.")
    notices += trimmed
    details = {
        "sheet": sheet, "sheets": sheets, "header_row": start + 1 if has_header else None,
        "missing_markers": seen, "decimal": options.decimal or found, "notices": notices,
        "date1904": date1904(path), "units": units,
        "data_row": start + (2 if has_header else 1), "last_row": last_row,
    }
    return data.reset_index(drop=True), details


def _width(row) -> int:
    for i in range(len(row) - 1, -1, -1):
        if not is_blank(row[i]):
            return i + 1
    return 0


# Engines tried in order. calamine (Rust) reads .xlsx about ten times faster than openpyxl
# and gives the same cached values, dates (1900 and 1904), times and empty error cells;
# openpyxl in read-only mode is the fallback for workbooks calamine refuses.
ENGINES = {".xlsx": ("calamine", "openpyxl"), ".xlsm": ("calamine", "openpyxl")}


@contextlib.contextmanager
def _native_messages_muted():
    """Hold back what native code writes to stderr meanwhile (a Rust panic's message).

    The panic itself reaches Python as an exception and becomes one plain line; the
    message Rust prints beside it would only add lines of noise under it.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _reraise_if_not_reading(exc: BaseException) -> None:
    """Let through what is not a reader's failure: Ctrl-C, exits and a generator's end.

    Everything else is, including the ``PanicException`` of calamine's Rust code on a
    damaged file, which derives from ``BaseException``, not ``Exception``.
    """
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc


class _Book:
    """One interface over calamine and openpyxl (read-only, cached values)."""

    def __init__(self, path: Path, engine: str):
        self.path = path
        self._calamine = engine == "calamine"
        self._parsed = {}  # calamine parses a whole sheet on access: once per sheet

    def __enter__(self) -> _Book:
        try:
            if self._calamine:
                from python_calamine import CalamineWorkbook

                with _native_messages_muted():
                    self._book = CalamineWorkbook.from_path(str(self.path))
            else:
                import openpyxl

                self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True,
                                                    keep_links=False)
        except BaseException as exc:  # noqa: BLE001 - every reader failure means the same here
            _reraise_if_not_reading(exc)
            raise self._failed(exc) from exc
        return self

    def __exit__(self, *exc) -> None:
        close = getattr(self._book, "close", None)
        if close is not None:
            close()

    def _failed(self, exc: Exception) -> ImportFailed:
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            return ImportFailed(f"{self.path.name} is protected with a password. Open it in "
                                "Excel, remove the password, save it and try again.")
        return ImportFailed(f"{self.path.name} could not be read as an Excel workbook: it is "
                            "damaged, incomplete or not a workbook.")

    def names(self) -> list[str]:
        names = getattr(self._book, "sheet_names", None) or self._book.sheetnames
        return list(names)

    def has_cells(self, name: str) -> bool:
        return any(any(not is_blank(v) for v in row) for row in self._iter(name, 1000))

    def rows(self, name: str, limit: int | None = None) -> list[list]:
        return [list(r) for r in self._iter(name, None if limit is None else
                                            limit + _HEADER_ROWS)]

    def _iter(self, name: str, limit: int | None):
        try:
            if self._calamine:
                if name not in self._parsed:
                    with _native_messages_muted():
                        self._parsed[name] = self._book.get_sheet_by_name(name)
                sheet = self._parsed[name]
                # calamine starts at the first used cell; pad back to A1 so row numbers hold.
                top, left = sheet.start or (0, 0)
                cells = sheet.iter_rows()
                for i in range(top):
                    if limit is not None and i >= limit:
                        return
                    yield []
                for i, row in enumerate(cells, start=top):
                    if limit is not None and i >= limit:
                        return
                    yield [None] * left + [None if v == "" else v for v in row]
            else:
                sheet = self._book[name]
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # a stale <dimension> would hide cells
                for i, row in enumerate(sheet.iter_rows(values_only=True)):
                    if limit is not None and i >= limit:
                        return
                    yield row
        except BaseException as exc:  # noqa: BLE001 - a damaged sheet fails in many ways
            _reraise_if_not_reading(exc)
            raise self._failed(exc) from exc
