"""Write synthetic tables and reports, never over the user's input file."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from synthdesk.errors import ExportFailed, InvalidChoice
from synthdesk.formats import EXCEL_MAX_ROWS, QUOTED_FORMULA

__all__ = [
    "OUTPUT_SUFFIXES", "CsvStyle", "check_output_path", "check_outputs", "check_output_rows",
    "check_output_room",
    "neutralise_formulas", "write_table", "write_json", "write_text", "REPORT_SUFFIXES",
    "EXCEL_MAX_ROWS", "StagedOutputs", "write_workbook", "sheet_title",
]

OUTPUT_SUFFIXES = (".csv", ".xlsx")
REPORT_SUFFIXES = (".json", ".html")
_EXCEL_MAX_ROWS = EXCEL_MAX_ROWS
# Room asked for beside the output, per byte of input: a workbook's cells take several
# times their zipped size as CSV; a report and temporary copies need a little more.
_ROOM_PER_INPUT_BYTE = {"workbook": 6.0, "text": 2.0}
_ROOM_FLOOR = 8 << 20
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
_EXCEL_MAX_COLUMNS = 16_384
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FORMULA = re.compile(QUOTED_FORMULA)  # what the reader takes one ' from
_CURRENCY_BEFORE = "$£¥₹₩"


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file is written.

    Attributes:
        bom: Start with a UTF-8 byte-order mark, so Excel shows accents correctly.
        delimiter: Field delimiter.
        decimal: Decimal mark of numbers (``","`` goes with ``delimiter=";"``).

    """

    bom: bool = False
    delimiter: str = ","
    decimal: str = "."

    @classmethod
    def excel_europe(cls) -> CsvStyle:
        """What Excel expects in most of Europe: BOM, ``;`` and decimal comma."""
        return cls(bom=True, delimiter=";", decimal=",")


def check_output_path(output: Path, source: Path) -> None:
    """Refuse an output path that is the input file or that no writer handles.

    Raises:
        InvalidChoice: The path is the input file, or has an unknown extension.

    """
    output = Path(output)
    if output.exists() and Path(source).exists() and output.resolve() == Path(source).resolve():
        raise InvalidChoice(f"{output.name} is the input file: choose another name for the output.")
    if output.exists() and Path(source).exists() and os.path.samefile(output, source):
        raise InvalidChoice(f"{output.name} is the input file: choose another name for the output.")
    if output.suffix.lower() not in OUTPUT_SUFFIXES + REPORT_SUFFIXES:
        raise InvalidChoice(
            f"{output.name}: SynthDesk writes .csv and .xlsx tables and .json or .html reports."
        )
    if not output.parent.exists():
        raise InvalidChoice(f"The folder {output.parent} does not exist.")


def check_outputs(source: Path, *outputs: Path | None) -> None:
    """Check, before any work, that every output can be written: fail now, not after training.

    Each output must be a distinct file that is not the input, with a suffix a writer
    handles, in a folder that exists, that this user may write in, and that has room for
    an output of about the input's size (a rough estimate; a full disk later still fails
    cleanly and leaves nothing behind).

    Raises:
        InvalidChoice: Two paths are the same file, or a suffix is unknown.
        ExportFailed: A folder is missing, read-only or too full.

    """
    wanted = [Path(p) for p in outputs if p is not None]
    seen: dict[Path, Path] = {Path(os.path.abspath(source)): Path(source)}
    for output in wanted:
        try:
            check_output_path(output, source)
        except OSError as exc:  # a folder on the way this user may not open
            raise ExportFailed(f"SynthDesk may not write in {output.parent} "
                               f"({exc.strerror or exc}). Choose a folder of your own, such "
                               "as Documents.") from exc
        key = Path(os.path.abspath(output))
        if key in seen:
            what = "the input file" if seen[key] == Path(source) else "another output"
            raise InvalidChoice(f"{output.name} is {what}: give each file its own name.")
        seen[key] = output
    room = _room_needed(Path(source))
    for folder in {Path(os.path.abspath(p)).parent for p in wanted}:
        _check_folder(folder, room)


def check_output_room(source: Path, input_rows: int, rows: int, *outputs: Path | None) -> None:
    """Check, after reading and before training, that ``rows`` rows have room on disk.

    The output is taken to need as many bytes per row as the input file has (twice that
    for a workbook read back as text), times the rows asked for.

    Raises:
        ExportFailed: A folder has too little free space.

    """
    try:
        size = Path(source).stat().st_size
    except OSError:
        return
    kind = "workbook" if Path(source).suffix.lower() in _WORKBOOK_SUFFIXES else "text"
    room = int(size / max(1, input_rows) * rows * _ROOM_PER_INPUT_BYTE[kind] / 2)
    for folder in {Path(os.path.abspath(p)).parent for p in outputs if p is not None}:
        _check_folder(folder, max(_ROOM_FLOOR, room))


def check_output_rows(output: Path, rows: int | None) -> None:
    """Refuse, before training, more rows than an Excel sheet holds for an ``.xlsx`` output."""
    if rows is not None and Path(output).suffix.lower() == ".xlsx" and rows > EXCEL_MAX_ROWS:
        raise InvalidChoice(f"Excel sheets hold at most {EXCEL_MAX_ROWS:,} rows; write a .csv "
                            f"file for {rows:,} rows, or ask for fewer.")


def _room_needed(source: Path) -> int:
    try:
        size = source.stat().st_size
    except OSError:
        size = 0
    kind = "workbook" if source.suffix.lower() in _WORKBOOK_SUFFIXES else "text"
    return max(_ROOM_FLOOR, int(size * _ROOM_PER_INPUT_BYTE[kind]))


def _check_folder(folder: Path, room: int) -> None:
    if not folder.is_dir():
        raise ExportFailed(f"The folder {folder} does not exist. Create it or choose another.")
    try:
        handle, probe = tempfile.mkstemp(prefix=".synthdesk-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise ExportFailed(f"SynthDesk may not write in {folder} ({exc.strerror or exc}). "
                           "Choose a folder of your own, such as Documents.") from exc
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < room:
        raise ExportFailed(f"{folder} has {free / 2**20:,.0f} MB free; the output needs about "
                           f"{room / 2**20:,.0f} MB. Free some space or choose another folder.")


def neutralise_formulas(data: pd.DataFrame) -> pd.DataFrame:
    """Prefix text that a spreadsheet would run as a formula with ``'``.

    Only text cells change; numbers (negative ones too) stay numbers. Text that already
    starts with ``'`` before one of ``=``, ``+``, ``-``, ``@`` gets one more ``'``, so that
    SynthDesk's reader, which removes one such ``'``, reads every value back as it was.
    """
    out = data
    for name in data.columns:
        column = data[name]
        if column.dtype != object and not isinstance(column.dtype, pd.StringDtype):
            continue
        risky = column.map(lambda v: isinstance(v, str) and (
            v.startswith(_FORMULA_STARTS) or _QUOTED_FORMULA.match(v) is not None))
        if risky.any():
            if out is data:
                out = data.copy()
            out[name] = column.where(~risky, "'" + column.astype(str))
    return out


def write_table(data: pd.DataFrame, path: Path, *, style: CsvStyle | None = None,
                specs: Sequence | None = None, more: Iterable[pd.DataFrame] = ()) -> None:
    """Write ``data`` as CSV (UTF-8) or XLSX, by the file's extension.

    The file appears complete or not at all: it is written beside the target, then renamed.
    Text that a spreadsheet would run as a formula is neutralised. In XLSX files, dates are
    real Excel dates, numbers are numbers, the header row is bold and frozen.

    Formulas: in CSV, text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
    return gets a leading ``'`` (see :func:`neutralise_formulas`); SynthDesk's reader
    removes it again. In XLSX, such text is written unchanged as a text cell with Excel's
    quote prefix: a text cell never runs, and the prefix keeps it text when edited.

    Percentages and currency (``ColumnSpec.unit``): the numbers hold the figure as the
    input wrote it (``12.5%`` was read as 12.5, ``$1,250.00`` as 1250.0). CSV files get
    plain numbers: a unit glued to each value would make the file harder to use in any
    other program, and the column's kind and decimal places survive without it. XLSX
    cells keep the same number and show the unit through their number format
    (``0.0"%"``, ``"$"#,##0.00``, ``#,##0.00" €"``): the value is not scaled (Excel's own
    ``0.0%`` would show 12.5 as 1250.0%), so exporting and reading back gives the same
    numbers, kinds and decimal places. Currencies usually written before the amount
    (``$``, ``£``, ``¥``, ``₹``, ``₩``) are shown before it, others after it.

    Args:
        data: The table.
        path: A ``.csv`` or ``.xlsx`` file name.
        style: How to write CSV (delimiter, decimal mark, byte-order mark).
        specs: Column specs (``synthdesk.schema.ColumnSpec``): decimal columns are
            rounded to the input's decimal places, and XLSX cells get matching number
            formats and real dates for dates held as text.
        more: Further chunks of rows with the same columns, written after ``data`` one
            at a time (a CSV file never holds more than one chunk in memory).

    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InvalidChoice(f"{path.name}: choose a .csv or .xlsx file name.")
    if suffix == ".xlsx" and len(data) > EXCEL_MAX_ROWS:
        raise InvalidChoice(
            f"Excel sheets hold at most {EXCEL_MAX_ROWS:,} rows; write CSV for {len(data):,} rows."
        )
    if suffix == ".xlsx" and data.shape[1] > _EXCEL_MAX_COLUMNS:
        raise InvalidChoice(f"Excel sheets hold at most {_EXCEL_MAX_COLUMNS:,} columns; write "
                            f"CSV for {data.shape[1]:,} columns.")
    style = style or CsvStyle()
    if len(style.delimiter) != 1 or style.delimiter == style.decimal:
        raise InvalidChoice("Choose a one-character delimiter that is not the decimal mark.")
    rounded = _rounded(data, specs)

    def _write(tmp: Path) -> None:
        if suffix == ".csv":
            encoding = "utf-8-sig" if style.bom else "utf-8"
            neutralise_formulas(rounded).to_csv(
                tmp, index=False, encoding=encoding, sep=style.delimiter,
                decimal=style.decimal)
            for chunk in more:  # the BOM is written once, at the start
                neutralise_formulas(_rounded(chunk, specs)).to_csv(
                    tmp, mode="a", header=False, index=False, encoding="utf-8",
                    sep=style.delimiter, decimal=style.decimal)
        else:
            whole = pd.concat([rounded, *(_rounded(c, specs) for c in more)],
                              ignore_index=True)
            if len(whole) > EXCEL_MAX_ROWS:
                raise InvalidChoice(f"Excel sheets hold at most {EXCEL_MAX_ROWS:,} rows; write "
                                    f"CSV for {len(whole):,} rows.")
            _write_xlsx(whole, tmp, {s.name: s for s in specs or ()})

    _atomic(path, _write)


def _rounded(data: pd.DataFrame, specs: Sequence | None) -> pd.DataFrame:
    """Decimal columns rounded to the places the input used (``ColumnSpec.decimals``)."""
    out = data
    for spec in specs or ():
        decimals = getattr(spec, "decimals", None)
        if decimals is None or spec.name not in data.columns:
            continue
        column = data[spec.name]
        if pd.api.types.is_float_dtype(column):
            if out is data:
                out = data.copy()
            out[spec.name] = column.round(decimals)
    return out


def write_workbook(tables: Sequence[tuple[str, pd.DataFrame, Sequence | None]],
                   path: Path) -> None:
    """Write several tables as one XLSX file, a sheet per table (``(name, data, specs)``).

    Each sheet is written as :func:`write_table` writes one; sheet names are the tables'
    names, cut to Excel's 31 characters without the characters it refuses.

    Raises:
        InvalidChoice: ``path`` is not an ``.xlsx`` name, or a table is too large for a sheet.

    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InvalidChoice(f"{path.name}: a workbook of several tables needs an .xlsx name.")
    sheets, seen = [], set()
    for name, data, specs in tables:
        if len(data) > EXCEL_MAX_ROWS or data.shape[1] > _EXCEL_MAX_COLUMNS:
            raise InvalidChoice(f"{name} has {len(data):,} rows and {data.shape[1]:,} columns; "
                                f"Excel sheets hold at most {EXCEL_MAX_ROWS:,} rows and "
                                f"{_EXCEL_MAX_COLUMNS:,} columns: write CSV files to a folder.")
        title = sheet_title(name, seen)
        seen.add(title.casefold())
        sheets.append((title, _rounded(data, specs), {s.name: s for s in specs or ()}))
    _atomic(path, lambda tmp: _write_sheets(sheets, tmp))


def sheet_title(name: str, taken: set[str] = frozenset()) -> str:
    """A sheet name Excel accepts for ``name``, not among ``taken`` (case-folded)."""
    title = "".join("_" if c in "[]:*?/\\" else c for c in str(name)).strip("'") or "Sheet"
    title = title[:31]
    number = 2
    base = title
    while title.casefold() in taken:
        suffix = f" ({number})"
        title = base[:31 - len(suffix)] + suffix
        number += 1
    return title


def _write_xlsx(data: pd.DataFrame, path: Path, specs: dict) -> None:
    _write_sheets([("Synthetic", data, specs)], path)


def _write_sheets(sheets: Sequence[tuple[str, pd.DataFrame, dict]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    written = []
    try:
        for title, data, specs in sheets:
            written.append(_write_sheet(book, title, data, specs))
        book.save(path)
    except BaseException:
        for sheet in written:  # a full disk or Ctrl-C: no half-written stream left behind
            _discard(sheet)
        raise


def _write_sheet(book, title: str, data: pd.DataFrame, specs: dict) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in data.columns:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    try:
        writers = [_cell_writer(data[name], specs.get(str(name))) for name in data.columns]
        for row in zip(*(w[0] for w in writers), strict=True):
            cells = []
            for value, (_, number_format) in zip(row, writers, strict=True):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
                    if value.startswith(_FORMULA_STARTS):
                        cell.quotePrefix = True  # and still text when the user edits it
                elif number_format and value is not None:
                    cell.number_format = number_format
                cells.append(cell)
            sheet.append(cells)
    except BaseException:
        _discard(sheet)  # a full disk or Ctrl-C: no half-written stream left to the collector
        raise
    return sheet


def _discard(sheet) -> None:
    """Close a write-only sheet's stream and remove its temporary file, after a failure."""
    writer = getattr(sheet, "_writer", None)
    if writer is None:
        return
    stream = getattr(writer, "xf", None)
    if stream is not None:
        with contextlib.suppress(Exception):  # closing a stream on a full disk fails again
            stream.close()
    out = getattr(writer, "out", None)
    if isinstance(out, str):
        with contextlib.suppress(OSError):
            os.remove(out)


def _cell_writer(column: pd.Series, spec) -> tuple[list, str | None]:
    """Python values for one column, and the Excel number format they need."""
    kind = str(getattr(spec, "kind", "")) if spec is not None else ""
    date_format = getattr(spec, "date_format", None)
    if kind in ("date", "datetime") and date_format and column.dtype == object:
        parsed = pd.to_datetime(column, format=date_format, errors="coerce")
        if parsed.notna().sum() == column.notna().sum():
            if date_format.startswith("%H"):
                return [None if pd.isna(t) else t.time() for t in parsed], "hh:mm:ss"
            column = parsed
    if pd.api.types.is_datetime64_any_dtype(column):
        values = [None if pd.isna(t) else t.to_pydatetime() for t in column]
        whole_days = all(v is None or v.time() == dt.time() for v in values)
        return values, "yyyy-mm-dd" if whole_days else "yyyy-mm-dd hh:mm:ss"
    if pd.api.types.is_bool_dtype(column):
        return [bool(v) for v in column], None
    if pd.api.types.is_numeric_dtype(column):
        integral = pd.api.types.is_integer_dtype(column)
        values = [None if pd.isna(v) else (int(v) if integral else float(v))
                  for v in column.to_numpy(dtype=object)]
        decimals = getattr(spec, "decimals", None)
        places = "0." + "0" * decimals if decimals else "0"
        unit = getattr(spec, "unit", None)
        if unit == "%":
            return values, f'{places}"%"'
        if unit:
            grouped = "#,##" + places
            return values, f'"{unit}"{grouped}' if unit in _CURRENCY_BEFORE else \
                f'{grouped}" {unit}"'
        return values, places if decimals else None
    return [None if _missing(v) else _plain(v) for v in column], None


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or (
        value is pd.NaT)


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
    if isinstance(value, (int, float, bool, dt.date, dt.datetime, dt.time)):
        return value
    return str(value)


def write_json(payload: dict, path: Path) -> None:
    """Write ``payload`` as indented UTF-8 JSON."""

    def _write(tmp: Path) -> None:
        tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n",
                       encoding="utf-8")

    _atomic(Path(path), _write)


def write_text(text: str, path: Path) -> None:
    """Write ``text`` as UTF-8 (an HTML report, for example)."""
    _atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


class StagedOutputs:
    """All or nothing: inside ``with StagedOutputs():``, files are written but not yet placed.

    Every writer of this module called inside the block writes its file into a private
    temporary folder; when the block ends without an error, each file is copied beside
    its target under a hidden name and renamed over it, one after the other, so the
    output folder only ever holds a hidden part-file for the moment of one copy. If the
    block fails (a full disk, Ctrl-C), nothing is placed and the temporary folder goes.
    """

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._staged: list[tuple[Path, Path]] = []

    def __enter__(self) -> StagedOutputs:
        self._folder = Path(tempfile.mkdtemp(prefix="synthdesk-out-"))
        self._token = _STAGED.set(self)
        return self

    def __exit__(self, kind, error, trace) -> None:
        _STAGED.reset(self._token)
        try:
            if kind is None:
                self._place_all()
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)

    def stage(self, path: Path) -> Path:
        """Where to write the file that will become ``path``."""
        tmp = self._folder / f"{len(self._staged)}{path.suffix}"
        self._staged.append((tmp, path))
        return tmp

    def _place_all(self) -> None:
        placed: list[Path] = []
        try:
            for tmp, path in self._staged:
                _place(tmp, path)
                placed.append(path)
        except BaseException:
            for path in placed:  # none of the job's files, rather than some
                path.unlink(missing_ok=True)
            raise


_STAGED: contextvars.ContextVar[StagedOutputs | None] = contextvars.ContextVar(
    "synthdesk_staged_outputs", default=None)


def _place(tmp: Path, path: Path) -> None:
    """Copy ``tmp`` beside ``path`` under a hidden name and rename it over ``path``."""
    part = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix,
                                        dir=path.parent)
        os.close(handle)
        part = Path(name)
        shutil.copyfile(tmp, part)
        os.replace(part, path)
    except OSError as exc:
        raise ExportFailed(f"{path.name} could not be written: {exc.strerror or exc}. "
                           "Free some space or choose another folder.") from exc
    finally:
        if part is not None:
            part.unlink(missing_ok=True)


def _atomic(path: Path, write) -> None:
    """Write ``path`` complete or not at all (and, when staged, with the job's other files)."""
    staged = _STAGED.get()
    if staged is not None:
        try:
            write(staged.stage(path))
        except OSError as exc:
            raise ExportFailed(f"{path.name} could not be written: {exc.strerror or exc}. "
                               "Free some space or choose another folder.") from exc
        return
    with StagedOutputs() as alone:
        try:
            write(alone.stage(path))
        except OSError as exc:
            raise ExportFailed(f"{path.name} could not be written: {exc.strerror or exc}. "
                               "Free some space or choose another folder.") from exc
