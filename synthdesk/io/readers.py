"""Read a CSV or Excel file into a DataFrame, and say what was understood."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from synthdesk.errors import ImportFailed
from synthdesk.io.excel import CALAMINE_SUFFIXES, OPENPYXL_SUFFIXES, read_sheet, sheet_names
from synthdesk.io.options import ReadOptions
from synthdesk.io.serials import EVIDENCE, read_serials
from synthdesk.io.text import read_text_table
from synthdesk.sentinels import find_sentinels

__all__ = [
    "UNITS", "EVIDENCE", "TableSource", "Table", "read_table", "read_preview", "list_sheets",
    "EXCEL_SUFFIXES", "CSV_SUFFIXES", "PREVIEW_ROWS",
]

CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".dat")
EXCEL_SUFFIXES = OPENPYXL_SUFFIXES + CALAMINE_SUFFIXES
PREVIEW_ROWS = 100
# What the reader learned beyond the values, for the column kinds, in ``Table.data.attrs``:
# ``attrs[UNITS]`` maps columns whose numbers were written with a unit to ``"%"`` or a
# currency symbol; ``attrs[EVIDENCE]`` maps columns to why they hold their kind.
UNITS = "synthdesk_units"


@dataclass(frozen=True)
class TableSource:
    """What the reader understood about the file.

    Attributes:
        path: The file that was read (never written to).
        format: ``"csv"``, ``"xlsx"``, ``"xls"``, ``"ods"`` or ``"xlsb"``.
        encoding: Text encoding (CSV only).
        delimiter: Field delimiter (CSV only).
        sheet: The sheet that was read (workbooks only).
        sheets: The workbook's sheets that hold data (workbooks only).
        header_row: 1-based row holding the column names; ``None`` when there is none.
        last_row: 1-based row holding the table's last record (notes and totals below it
            were left out); for a large text file, counted as if it had no blank lines.
        quotechar: Quote character (CSV only).
        decimal: Decimal mark of numbers written as text.
        missing_markers: The missing-value markers found (``"NA"``, ``"?"``...).
        notices: What the reader changed or left out, in plain words (renamed columns,
            notes above or below the table, ragged rows...).
        options: The user's overrides that were applied.
        preview: Only the first rows were read.
        rows_in_file: The file's data rows, when it was too large to read whole and a
            random sample of them was read (``synthdesk.io.sampling``); None otherwise.

    """

    path: Path
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int | None = 1
    last_row: int | None = None
    quotechar: str | None = None
    decimal: str | None = None
    missing_markers: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    options: ReadOptions = ReadOptions()
    preview: bool = False
    rows_in_file: int | None = None

    def to_dict(self) -> dict:
        """Describe the source as plain JSON-ready values."""
        return {
            "file": self.path.name,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "quotechar": self.quotechar,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "header_row": self.header_row,
            "last_row": self.last_row,
            "decimal": self.decimal,
            "missing_markers": list(self.missing_markers),
            "notices": list(self.notices),
            "rows_in_file": self.rows_in_file,
        }


@dataclass(frozen=True)
class Table:
    """A table read from a file, with what the reader understood."""

    data: pd.DataFrame
    source: TableSource


def read_table(path: str | Path, sheet: str | None = None,
               options: ReadOptions | None = None, *, sample_by: str | None = None,
               seed: int = 0) -> Table:
    """Read ``path`` as a table.

    A text table too large to read whole within the memory budget
    (:func:`synthdesk.io.budget.read_memory_budget`) is read as a random sample of its
    rows; ``source.rows_in_file`` then says how many the file has.

    Args:
        path: A text table (``.csv``, ``.tsv``, ``.txt``...) or a workbook (``.xlsx``,
            ``.xlsm``, ``.xls``, ``.ods``, ``.xlsb``).
        sheet: For workbooks, the sheet to read; the first with data by default.
        options: Overrides for what is otherwise detected (header row, delimiter...).
        sample_by: If only a sample of the rows can be read: the column whose values keep
            their shares in it (the job's target, or the column it rebalances).
        seed: If only a sample can be read: the seed of the choice of rows.

    Returns:
        The table and what was understood about the file.

    Raises:
        ImportFailed: The file is missing, empty, or cannot be read as a table.
        InvalidChoice: An override cannot be used.

    """
    with _translated(Path(path), options):
        return _read(Path(path), sheet, options or ReadOptions(), None, sample_by, seed)


def read_preview(path: str | Path, sheet: str | None = None,
                 options: ReadOptions | None = None, rows: int = PREVIEW_ROWS) -> Table:
    """Read only the first ``rows`` rows, with the same detection as :func:`read_table`.

    It reads the file's first bytes only, so it returns in a fraction of a second
    whatever the file's size; kinds decided from a preview are only a first guess.
    """
    with _translated(Path(path), options):
        return _read(Path(path), sheet, options or ReadOptions(), rows)


def list_sheets(path: str | Path, skip_empty: bool = True) -> list[str]:
    """Return the names of a workbook's sheets, leaving out empty ones unless asked."""
    path = Path(path)
    with _translated(path, None):
        _check_file(path)
        return sheet_names(path, skip_empty=skip_empty)


@contextlib.contextmanager
def _translated(path: Path, options: ReadOptions | None):
    """Turn the errors of opening and reading a file into one plain line with what to do."""
    try:
        yield
    except PermissionError as exc:
        raise ImportFailed(f"SynthDesk may not read {path.name}: you do not have permission. "
                           "Copy it to a folder of your own, or ask for access.") from exc
    except UnicodeError as exc:
        chosen = options.encoding if options is not None and options.encoding else None
        advice = (f"It is not {chosen} text (a UTF-16 file needs its byte-order mark): "
                  "leave the encoding to be detected or try another.") if chosen else \
            "Choose its encoding (utf-8, cp1252, latin-1, utf-16...)."
        raise ImportFailed(f"{path.name} could not be read as text. {advice}") from exc
    except MemoryError as exc:
        raise ImportFailed(f"{path.name} is too large to read in this computer's memory. "
                           "Keep only the rows and columns you need and try again.") from exc
    except OSError as exc:
        raise ImportFailed(f"{path.name} could not be read: {exc.strerror or exc}. Check "
                           "that the file is still there and not open elsewhere.") from exc


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ImportFailed(f"{path} does not exist.")
    if path.is_dir():
        raise ImportFailed(f"{path} is a folder, not a file.")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path.name} is empty.")


def _read(path: Path, sheet: str | None, options: ReadOptions, limit: int | None,
          sample_by: str | None = None, seed: int = 0) -> Table:
    _check_file(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        data, details = read_sheet(path, sheet, options, limit)
        fmt = suffix.lstrip(".").replace("xlsm", "xlsx")
    elif suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise ImportFailed(f"{path.name} is a text file: it has no sheets to choose from.")
        data, details = read_text_table(path, options, limit, sample_by=sample_by, seed=seed)
        fmt = "csv"
    else:
        raise ImportFailed(
            f"{path.name}: SynthDesk reads CSV (.csv, .tsv, .txt) and Excel (.xlsx, .xlsm, "
            ".xls, .ods) files."
        )
    if data.shape[1] == 0 or data.empty:
        raise ImportFailed(f"{path.name} holds no data rows.")
    if options.date_serials:
        data, serials = read_serials(data, details.get("date1904", False))
        details["notices"] = list(details.get("notices", ())) + serials
    details["notices"] = list(details.get("notices", ())) + _sentinels(data, options)
    units = {name: unit for name, unit in details.get("units", {}).items()
             if name in data.columns and pd.api.types.is_numeric_dtype(data[name])}
    if units:
        data.attrs[UNITS] = units
    source = TableSource(
        path=path, format=fmt, encoding=details.get("encoding"),
        delimiter=details.get("delimiter"), sheet=details.get("sheet"),
        sheets=tuple(details.get("sheets", ())), header_row=details.get("header_row"),
        last_row=details.get("last_row"),
        quotechar=details.get("quotechar"), decimal=details.get("decimal"),
        missing_markers=tuple(details.get("missing_markers", ())),
        notices=tuple(details.get("notices", ())), options=options, preview=limit is not None,
        rows_in_file=details.get("rows_in_file"),
    )
    return Table(data=data, source=source)


def _sentinels(data: pd.DataFrame, options: ReadOptions) -> list[str]:
    """Say which number columns hold a code for "unknown"; read it as missing if asked."""
    notices = []
    for name in data.columns:
        column = data[name]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        found = find_sentinels(values[~np.isnan(values)])
        if not found:
            continue
        said = " and ".join(f"{value:g} ({count:,} times)" for value, count in found)
        if options.sentinels_missing:
            data[name] = column.where(~column.isin([v for v, _ in found]))
            notices.append(f"{name}: {said} lies far outside the other values, a code for "
                           "'unknown': read as missing.")
        else:
            notices.append(f"{name}: {said} lies far outside the other values, probably a "
                           "code for 'unknown'. It is kept; read it as missing with "
                           "--sentinels-missing or the Open page's option.")
    return notices
