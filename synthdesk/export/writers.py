"""Write synthetic tables and reports, never over the user's input file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from synthdesk.errors import ExportFailed, InvalidChoice

__all__ = ["OUTPUT_SUFFIXES", "check_output_path", "write_table", "write_json"]

OUTPUT_SUFFIXES = (".csv", ".xlsx")
_EXCEL_MAX_ROWS = 1_048_575


def check_output_path(output: Path, source: Path) -> None:
    """Refuse an output path that is the input file or that no writer handles.

    Raises:
        InvalidChoice: The path is the input file, or has an unknown extension.

    """
    output = Path(output)
    if output.exists() and Path(source).exists() and output.resolve() == Path(source).resolve():
        raise InvalidChoice(f"{output.name} is the input file: choose another name for the output.")
    if output.suffix.lower() not in OUTPUT_SUFFIXES + (".json",):
        raise InvalidChoice(
            f"{output.name}: SynthDesk writes .csv and .xlsx tables and .json reports."
        )
    if not output.parent.exists():
        raise InvalidChoice(f"The folder {output.parent} does not exist.")


def write_table(data: pd.DataFrame, path: Path) -> None:
    """Write ``data`` as CSV (UTF-8) or XLSX, by the file's extension.

    The file appears complete or not at all: it is written beside the target, then renamed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InvalidChoice(f"{path.name}: choose a .csv or .xlsx file name.")
    if suffix == ".xlsx" and len(data) > _EXCEL_MAX_ROWS:
        raise InvalidChoice(
            f"Excel sheets hold at most {_EXCEL_MAX_ROWS:,} rows; write CSV for {len(data):,} rows."
        )

    def _write(tmp: Path) -> None:
        if suffix == ".csv":
            data.to_csv(tmp, index=False, encoding="utf-8")
        else:
            data.to_excel(tmp, index=False, engine="openpyxl")

    _atomic(path, _write)


def write_json(payload: dict, path: Path) -> None:
    """Write ``payload`` as indented UTF-8 JSON."""

    def _write(tmp: Path) -> None:
        tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n",
                       encoding="utf-8")

    _atomic(Path(path), _write)


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
