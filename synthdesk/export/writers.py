"""Write synthetic tables and reports, never over the user's input file."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from synthdesk.errors import ExportFailed, InvalidChoice
from synthdesk.formats import EXCEL_MAX_ROWS, QUOTED_FORMULA

__all__ = [
    "OUTPUT_SUFFIXES", "CsvStyle", "check_output_path", "neutralise_formulas", "write_table",
    "write_json", "write_text", "REPORT_SUFFIXES", "EXCEL_MAX_ROWS",
]

OUTPUT_SUFFIXES = (".csv", ".xlsx")
REPORT_SUFFIXES = (".json", ".html")
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
                specs: Sequence | None = None) -> None:
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
            neutralise_formulas(rounded).to_csv(
                tmp, index=False, encoding="utf-8-sig" if style.bom else "utf-8",
                sep=style.delimiter, decimal=style.decimal)
        else:
            _write_xlsx(rounded, tmp, {s.name: s for s in specs or ()})

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


def _write_xlsx(data: pd.DataFrame, path: Path, specs: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Synthetic")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in data.columns:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
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
    book.save(path)


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


def _atomic(path: Path, write) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportFailed(f"{path.name} could not be written: {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
