import hashlib

import pandas as pd
import pytest

from synthdesk.errors import ImportFailed
from synthdesk.io import list_sheets, read_table


def test_reads_plain_csv(data_dir):
    table = read_table(data_dir / "penguins_80.csv")
    assert table.data.shape == (80, 17)
    assert table.source.format == "csv"
    assert table.source.encoding == "utf-8"
    assert table.source.delimiter == ","


def test_reads_latin1_semicolon_csv(data_dir):
    table = read_table(data_dir / "latin1_semicolon.csv")
    assert list(table.data.columns) == ["Ville", "Âge", "Région"]
    assert table.source.delimiter == ";"
    assert table.source.encoding == "cp1252"
    assert "Orléans" in set(table.data["Ville"])
    assert pd.api.types.is_integer_dtype(table.data["Âge"])


def test_reads_first_sheet_with_data_and_lists_sheets(data_dir):
    path = data_dir / "two_sheets.xlsx"
    table = read_table(path)
    assert table.source.sheet == "Penguins"
    assert table.source.sheets == ("Notes", "Penguins", "Villes")
    assert table.data.shape == (80, 6)
    assert list_sheets(path) == ["Notes", "Penguins", "Villes"]


def test_reads_named_sheet(data_dir):
    table = read_table(data_dir / "two_sheets.xlsx", sheet="Villes")
    assert list(table.data.columns) == ["Ville", "Âge", "Région"]
    assert len(table.data) == 40


def test_reads_real_excel_workbook_written_by_excel():
    from tests.conftest import DATA

    workbook = DATA.parents[2] / "shared" / "datasets" / "readxl_datasets.xlsx"
    if not workbook.exists():
        pytest.skip("shared datasets are not beside this checkout")
    table = read_table(workbook, sheet="mtcars")
    assert table.data.shape == (32, 11)


@pytest.mark.parametrize(
    ("name", "sheet", "message"),
    [
        ("nowhere.csv", None, "does not exist"),
        ("empty.csv", None, "is empty"),
        ("not_a_workbook.xlsx", None, "could not be opened as an Excel workbook"),
        ("two_sheets.xlsx", "Sheet9", "has no sheet named 'Sheet9'. Its sheets are: Notes"),
        ("penguins_80.csv", "Sheet1", "has no sheets"),
        ("README.md", None, "SynthDesk reads CSV"),
    ],
)
def test_bad_files_fail_with_plain_message(data_dir, name, sheet, message):
    with pytest.raises(ImportFailed, match=message.replace(".", r"\.")):
        read_table(data_dir / name, sheet=sheet)


def test_folder_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="is a folder"):
        read_table(tmp_path)


def test_csv_with_only_a_header_is_refused(tmp_path):
    path = tmp_path / "header_only.csv"
    path.write_text("a,b,c\n")
    with pytest.raises(ImportFailed, match="no data rows"):
        read_table(path)


def test_reading_leaves_the_file_untouched(data_dir):
    path = data_dir / "two_sheets.xlsx"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    read_table(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
