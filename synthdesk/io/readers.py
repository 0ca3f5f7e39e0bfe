"""Read a CSV or Excel file into a DataFrame, and say what was understood."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from synthdesk.errors import ImportFailed
from synthdesk.io.sniff import detect_delimiter, detect_encoding, read_sample

__all__ = ["TableSource", "Table", "read_table", "list_sheets", "EXCEL_SUFFIXES", "CSV_SUFFIXES"]

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class TableSource:
    """What the reader understood about the file.

    Attributes:
        path: The file that was read (never written to).
        format: ``"csv"`` or ``"xlsx"``.
        encoding: Text encoding (CSV only).
        delimiter: Field delimiter (CSV only).
        sheet: The sheet that was read (Excel only).
        sheets: Every sheet in the workbook (Excel only).

    """

    path: Path
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Describe the source as plain JSON-ready values."""
        return {
            "file": self.path.name,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
        }


@dataclass(frozen=True)
class Table:
    """A table read from a file, with what the reader understood."""

    data: pd.DataFrame
    source: TableSource


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """Read ``path`` as a table.

    Args:
        path: A ``.csv``/``.tsv``/``.txt`` or ``.xlsx``/``.xlsm`` file.
        sheet: For Excel files, the sheet to read; the first non-empty one by default.

    Returns:
        The table and what was understood about the file.

    Raises:
        ImportFailed: The file is missing, empty, or cannot be read as a table.

    """
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"{path} does not exist.")
    if path.is_dir():
        raise ImportFailed(f"{path} is a folder, not a file.")
    if path.stat().st_size == 0:
        raise ImportFailed(f"{path.name} is empty.")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        table = _read_excel(path, sheet)
    elif suffix in CSV_SUFFIXES or suffix == "":
        if sheet is not None:
            raise ImportFailed(f"{path.name} is a text file: it has no sheets to choose from.")
        table = _read_csv(path)
    else:
        raise ImportFailed(
            f"{path.name}: SynthDesk reads CSV (.csv, .tsv, .txt) and Excel (.xlsx, .xlsm) files."
        )
    if table.data.shape[1] == 0 or table.data.dropna(how="all").empty:
        raise ImportFailed(f"{path.name} holds no data rows.")
    return table


def list_sheets(path: str | Path) -> list[str]:
    """Return the names of the sheets in an Excel workbook."""
    path = Path(path)
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            return list(book.sheet_names)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFailed(f"{path.name} could not be opened as an Excel workbook.") from exc


def _read_csv(path: Path) -> Table:
    sample = read_sample(path)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    delimiter = detect_delimiter(text)
    try:
        data = pd.read_csv(path, sep=delimiter, encoding=encoding, low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise ImportFailed(
            f"{path.name} could not be read as CSV. Try another encoding or delimiter."
        ) from exc
    data.columns = [str(c).strip() for c in data.columns]
    source = TableSource(path=path, format="csv", encoding=encoding, delimiter=delimiter)
    return Table(data=data, source=source)


def _read_excel(path: Path, sheet: str | None) -> Table:
    sheets = list_sheets(path)
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            if sheet is None:
                frames = ((name, book.parse(name)) for name in sheets)
                chosen = next(((n, f) for n, f in frames if not f.dropna(how="all").empty), None)
                if chosen is None:
                    raise ImportFailed(f"{path.name}: every sheet is empty.")
                sheet, data = chosen
            elif sheet not in sheets:
                raise ImportFailed(
                    f"{path.name} has no sheet named {sheet!r}. "
                    f"Its sheets are: {', '.join(sheets)}."
                )
            else:
                data = book.parse(sheet)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFailed(f"{path.name} could not be read as an Excel workbook.") from exc
    data.columns = [str(c).strip() for c in data.columns]
    source = TableSource(path=path, format="xlsx", sheet=sheet, sheets=tuple(sheets))
    return Table(data=data, source=source)
