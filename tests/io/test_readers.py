import hashlib
import time
import zipfile

import pandas as pd
import pytest

from synthdesk.errors import ImportFailed, InvalidChoice
from synthdesk.io import ReadOptions, list_sheets, read_preview, read_table


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
    assert table.source.sheets == ("Penguins", "Villes")  # the empty sheet is left out
    assert table.data.shape == (80, 6)
    assert list_sheets(path) == ["Penguins", "Villes"]
    assert list_sheets(path, skip_empty=False) == ["Notes", "Penguins", "Villes"]


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
        ("two_sheets.xlsx", "Sheet9", "has no sheet named 'Sheet9'. Its sheets are: Penguins, Villes"),
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


# --- Files as analysts have them -------------------------------------------------------

def test_excel_unicode_text_is_utf16_tab_with_decimal_comma(data_dir):
    table = read_table(data_dir / "excel_unicode_text.txt")
    assert table.source.encoding == "utf-16"
    assert table.source.delimiter == "\t"
    assert table.source.decimal == ","
    assert list(table.data["Montant"]) == [1234.56, 12.5, -3.75, 2000.0, 7.1]
    assert table.data["Ville"].iloc[1] == "Besançon"


def test_utf8_with_bom_semicolon_and_spaced_thousands(data_dir):
    table = read_table(data_dir / "utf8_bom.csv")
    assert table.source.encoding == "utf-8-sig"
    assert list(table.data.columns) == ["nom", "montant", "date"]
    assert list(table.data["montant"]) == [1234.5, 99.9, 12.0, -5.25]


def test_messy_export_is_understood(data_dir):
    table = read_table(data_dir / "messy_export.csv")
    data, source = table.data, table.source
    assert source.header_row == 4  # two note lines and a blank line above the header
    assert list(data.columns) == ["claim_no", "zip", "state_fips", "amount", "rate", "paid",
                                  "opened", "notes"]  # trailing empty columns left out
    assert len(data) == 7  # the blank row and the note below are left out
    assert list(data["zip"][:2]) == ["02134", "10001"]  # leading zeros kept
    assert data["state_fips"].iloc[0] == "09"
    assert data["amount"].tolist()[:3] == [1250.0, 980.5, 12000.0]
    assert data["rate"].iloc[0] == 12.5 and pd.isna(data["rate"].iloc[2])
    assert data["notes"].iloc[0] == "first line\nsecond line"
    assert data["notes"].isna().sum() == 5  # NA, ?, -, \N and empty
    assert set(source.missing_markers) >= {"NA", "N/A", "?", "-", "\\N"}
    assert any("note row" in n for n in source.notices)
    assert any("amount" in n and "$" in n for n in source.notices)


def test_ragged_rows_are_padded_with_missing(data_dir):
    table = read_table(data_dir / "ragged.csv")
    assert list(table.data.columns) == ["a", "b", "c", "column_4"]
    assert table.data.shape == (4, 4)
    assert pd.isna(table.data["c"].iloc[1]) and table.data["column_4"].iloc[2] == 9
    assert any("fewer cells" in n for n in table.source.notices)


def test_a_table_without_header_gets_column_names(data_dir):
    table = read_table(data_dir / "no_header.csv")
    assert table.source.header_row is None
    assert list(table.data.columns) == ["column_1", "column_2", "column_3"]
    assert len(table.data) == 8


def test_duplicate_and_blank_names_are_renamed_with_notice(data_dir):
    table = read_table(data_dir / "duplicate_names.csv")
    assert list(table.data.columns) == ["id", "value", "value_2", "column_4", "Notes"]
    assert len(table.source.notices) == 2


def test_pipe_delimiter_and_single_quotes(data_dir):
    table = read_table(data_dir / "pipe_single_quote.txt")
    assert table.source.delimiter == "|" and table.source.quotechar == "'"
    assert table.data["motto"].iloc[1] == "Avant, avant, Lion le melhor"


def test_overrides_win_over_detection(data_dir):
    table = read_table(data_dir / "messy_export.csv", options=ReadOptions(header_row=1))
    assert table.source.header_row == 1
    assert table.data.columns[0] == "Monthly claims export"
    table = read_table(data_dir / "no_header.csv", options=ReadOptions(header_row=0))
    assert len(table.data) == 8
    table = read_table(data_dir / "latin1_semicolon.csv",
                       options=ReadOptions(encoding="latin-1", delimiter=";"))
    assert table.source.encoding == "iso8859-1"
    assert "Orléans" in set(table.data["Ville"])


@pytest.mark.parametrize(("options", "message"), [
    (ReadOptions(encoding="klingon"), "not a text encoding"),
    (ReadOptions(delimiter=";;"), "one character"),
    (ReadOptions(header_row=999), "past the rows"),
])
def test_bad_overrides_are_refused(data_dir, options, message):
    with pytest.raises(InvalidChoice, match=message):
        read_table(data_dir / "penguins_80.csv", options=options)


def test_preview_reads_only_the_first_rows_fast(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w") as handle:
        handle.write("id,value,label\n")
        for i in range(300_000):
            handle.write(f"{i},{i * 0.5},x{i % 7}\n")
    started = time.perf_counter()
    preview = read_preview(path, rows=50)
    assert time.perf_counter() - started < 1.0
    assert preview.source.preview and len(preview.data) == 50
    assert list(preview.data.columns) == ["id", "value", "label"]


def test_preview_and_full_read_agree(data_dir):
    full = read_table(data_dir / "penguins_80.csv").data
    preview = read_preview(data_dir / "penguins_80.csv", rows=20).data
    pd.testing.assert_frame_equal(full.head(20), preview, check_dtype=False)


def test_large_file_goes_through_the_fast_reader_and_matches(tmp_path):
    # Past the sniffing sample, the file is read by pyarrow; it must agree with the rows path.
    path = tmp_path / "many.csv"
    lines = ["zip;amount;city;when"] + [
        f"{i % 900 + 1000:05d};{i},{i % 100:02d};  Lyon ;2024-01-{i % 28 + 1:02d}"
        for i in range(40_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.data.shape == (40_000, 4)
    assert table.data["zip"].iloc[0] == "01000"
    assert table.data["amount"].iloc[5] == 5.05
    assert set(table.data["city"]) == {"Lyon"}
    assert table.source.decimal == ","


def test_ragged_row_past_the_sample_is_padded(tmp_path):
    path = tmp_path / "late_ragged.csv"
    rows = ["a,b,c"] + [f"{i},{i},{i}" for i in range(30_000)] + ["7,8"]
    path.write_text("\n".join(rows) + "\n")
    table = read_table(path)
    assert table.data.shape == (30_001, 3)
    assert pd.isna(table.data["c"].iloc[-1])


def test_multiline_value_past_the_sample(tmp_path):
    path = tmp_path / "late_newline.csv"
    rows = ["a,b,c"] + [f"{i},x,{i}" for i in range(30_000)] + ['1,"two\nlines",3']
    path.write_text("\n".join(rows) + "\n")
    table = read_table(path)
    assert table.data.shape == (30_001, 3)
    assert table.data["b"].iloc[-1] == "two\nlines"


def test_20000_columns_are_refused_plainly(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(20_001)) + "\n"
                    + ",".join("1" for _ in range(20_001)) + "\n")
    with pytest.raises(ImportFailed, match="20,001 columns"):
        read_table(path)


def test_20000_columns_are_read(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n"
                    + "\n".join(",".join(str(r + i) for i in range(20_000)) for r in range(3))
                    + "\n")
    table = read_table(path)
    assert table.data.shape == (3, 20_000)


@pytest.mark.parametrize(("name", "message"), [
    ("header_only.csv", "holds no data rows"),
    ("image_renamed.csv", "is a PNG image, not a table"),
    ("truncated.xlsx", "damaged, incomplete or not a workbook"),
    ("password.xlsx", "protected with a password"),
])
def test_bad_inputs_get_one_plain_message(data_dir, name, message):
    with pytest.raises(ImportFailed, match=message) as caught:
        read_table(data_dir / name)
    assert "\n" not in str(caught.value)


def test_binary_data_renamed_csv_is_refused(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(ImportFailed, match="binary data"):
        read_table(path)


def test_workbook_renamed_csv_says_so(tmp_path, data_dir):
    path = tmp_path / "sales.csv"
    path.write_bytes((data_dir / "two_sheets.xlsx").read_bytes())
    with pytest.raises(ImportFailed, match="Excel workbook"):
        read_table(path)


def test_zip_bomb_workbook_is_refused_before_unpacking(tmp_path, monkeypatch):
    from synthdesk.io import excel

    monkeypatch.setattr(excel, "_MAX_UNZIPPED", 1 << 20)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    assert path.stat().st_size < 20_000
    with pytest.raises(ImportFailed, match="would unpack to"):
        read_table(path)


def test_workbook_layout_title_notes_errors_formulas_times(data_dir):
    table = read_table(data_dir / "report_layout.xlsx")
    data, source = table.data, table.source
    assert source.header_row == 4
    assert list(data.columns) == ["region", "sales", "share", "closed", "signed_on",
                                  "call_time", "double_sales"]
    assert len(data) == 5  # the source note below is left out
    assert data["share"].isna().sum() == 2  # #DIV/0! and #N/A
    assert data["closed"].tolist() == [True, False, True, False, True]
    assert data["signed_on"].iloc[0] == pd.Timestamp("2023-01-31")
    assert data["call_time"].iloc[1] == "14:05:00"
    assert data["double_sales"].tolist() == [2401.0, 1960.0, 3000.5, 2200.0, 1401.5]


def test_1904_date_system(data_dir):
    data = read_table(data_dir / "date1904.xlsx").data
    assert data["day"].iloc[0] == pd.Timestamp("2020-01-01")
    assert data["day"].iloc[-1] == pd.Timestamp("2020-01-06")


def test_opendocument_spreadsheet(data_dir):
    table = read_table(data_dir / "fruit.ods")
    assert table.source.format == "ods" and table.source.sheet == "Fruit"
    assert table.data["qty"].tolist() == [3, 5, 2]


def test_a_column_mixing_numbers_and_text_is_text(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("code,n\n12,1\nA7,2\n15,3\nunknown,4\n")
    table = read_table(path)
    assert table.data["code"].tolist() == ["12", "A7", "15", "unknown"]
    assert pd.api.types.is_integer_dtype(table.data["n"])
    assert any("code mixes numbers and text" in n for n in table.source.notices)
    preview = read_preview(path)
    assert any("code mixes numbers and text" in n for n in preview.source.notices)


def test_utf16_without_byte_order_mark(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("nom\tâge\nZoé\t31\nAndré\t42\n".encode("utf-16-le"))
    table = read_table(path)
    assert table.source.encoding == "utf-16-le"
    assert list(table.data.columns) == ["nom", "âge"]
    assert table.data["âge"].tolist() == [31, 42]


def test_a_sparse_last_row_is_data_not_a_note(tmp_path):
    path = tmp_path / "sparse.csv"
    path.write_text("name,age,city\nAnn Lee,31,Lyon\nBob Ray,42,Nice\nCy Poe,,\n")
    table = read_table(path)
    assert len(table.data) == 3 and table.data["name"].iloc[-1] == "Cy Poe"
    assert not any("note" in n for n in table.source.notices)


def test_reading_never_opens_a_socket(data_dir, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the reader tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in ("messy_export.csv", "report_layout.xlsx", "fruit.ods", "date1904.xlsx",
                 "excel_unicode_text.txt", "two_sheets.xlsx"):
        assert len(read_table(data_dir / name).data) > 0
        assert len(read_preview(data_dir / name).data) > 0


@pytest.mark.parametrize("name", ["report_layout.xlsx", "date1904.xlsx", "two_sheets.xlsx"])
def test_both_workbook_engines_read_the_same_table(data_dir, monkeypatch, name):
    from synthdesk.io import excel

    fast = read_table(data_dir / name)
    monkeypatch.setattr(excel, "ENGINES", {".xlsx": ("openpyxl",)})
    fallback = read_table(data_dir / name)
    pd.testing.assert_frame_equal(fast.data, fallback.data, check_dtype=False)
    assert fast.source.header_row == fallback.source.header_row
    assert fast.source.sheets == fallback.source.sheets


def test_leading_zeros_past_the_sample_are_kept(tmp_path):
    path = tmp_path / "zips.csv"
    zips = [f"{90000 - i % 5000:05d}" for i in range(30_000)] + ["02134", "00501"]
    path.write_text("zip,n\n" + "".join(f"{z},{i}\n" for i, z in enumerate(zips)))
    table = read_table(path)
    assert table.data["zip"].iloc[-1] == "00501" and table.data["zip"].iloc[0] == "90000"
    years = tmp_path / "years.csv"
    years.write_text("year,n\n" + "".join(f"{2000 + i % 20},{i}\n" for i in range(30_000)))
    assert pd.api.types.is_integer_dtype(read_table(years).data["year"])


def test_preview_of_a_large_workbook_is_fast(tmp_path):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Big")
    sheet.append(["id", "value", "label"])
    for i in range(60_000):
        sheet.append([i, i * 0.5, f"x{i % 7}"])
    raw = tmp_path / "raw.xlsx"
    book.save(raw)
    # Excel writes the sheet's size up front; openpyxl's write-only mode does not, and
    # without it a streaming reader scans the whole sheet first.
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<sheetData>", b'<dimension ref="A1:C60001"/><sheetData>', 1)
            out.writestr(item, data)
    started = time.perf_counter()
    preview = read_preview(path, rows=50)
    assert time.perf_counter() - started < 1.0
    assert len(preview.data) == 50 and preview.source.sheet == "Big"
    assert len(read_table(path).data) == 60_000


def test_codes_of_varying_width_with_leading_zeros_past_the_sample(tmp_path):
    path = tmp_path / "accounts.csv"
    accounts = [str(1000 + i * 37) for i in range(20_000)] + ["000123", "0042"]
    path.write_text("account,n\n" + "".join(f"{a},{i}\n" for i, a in enumerate(accounts)))
    data = read_table(path).data
    assert data["account"].iloc[-1] == "0042" and data["account"].iloc[0] == "1000"
    assert pd.api.types.is_integer_dtype(data["n"])


def test_whole_numbers_that_turn_decimal_or_marked_past_the_sample(tmp_path):
    path = tmp_path / "late.csv"
    rows = [f"{i},{i % 9}" for i in range(20_000)] + ["12.5,n/a", "7, 8"]
    path.write_text("a,b\n" + "\n".join(rows) + "\n")
    data = read_table(path).data
    assert data["a"].dtype == "float64" and data["a"].iloc[-2] == 12.5
    assert data["b"].isna().sum() == 1 and data["b"].iloc[-1] == 8


def test_ragged_rows_past_the_sample_stay_on_the_fast_reader(tmp_path, monkeypatch):
    from synthdesk.io import text

    def row_by_row(*args, **kwargs):
        raise AssertionError("the file went row by row")

    monkeypatch.setattr(text, "_all_rows", row_by_row)
    path = tmp_path / "ragged_late.csv"
    rows = [f"{i},x{i % 7},{i * 0.5}" for i in range(30_000)]
    rows[20_000] = "5,short"
    rows[25_000] = '6,"long, quoted",1.5,extra'
    path.write_text("a,b,c\r\n" + "\r\n".join(rows) + "\r\nSource: a note below the table\r\n")
    table = read_table(path)
    data = table.data
    assert list(data.columns) == ["a", "b", "c", "column_4"]
    assert data.shape == (30_000, 4)
    assert data["b"].iloc[20_000] == "short" and pd.isna(data["c"].iloc[20_000])
    assert data.loc[25_000, ["a", "b", "c", "column_4"]].tolist() == [6, "long, quoted", 1.5,
                                                                       "extra"]
    assert data["c"].iloc[19_999] == 9999.5 and pd.api.types.is_integer_dtype(data["a"])
    notices = " ".join(table.source.notices)
    assert "fewer cells" in notices and "column_4" in notices and "1 note row" in notices


def test_ragged_rows_in_the_sample_of_a_large_file_stay_on_the_fast_reader(
        tmp_path, monkeypatch):
    from synthdesk.io import text

    monkeypatch.setattr(text, "_all_rows", None)
    path = tmp_path / "ragged_early.csv"
    rows = [f"{i},{i}" if i % 1000 == 3 else f"{i},{i},{i}" for i in range(40_000)]
    path.write_text("a,b,c\n" + "\n".join(rows) + "\n")
    data = read_table(path).data
    assert data.shape == (40_000, 3) and data["c"].isna().sum() == 40


def test_extra_cells_past_the_sample_with_quoted_line_breaks(tmp_path):
    # Padding every row would cut the quoted value in two: such a file goes row by row.
    path = tmp_path / "quoted_ragged.csv"
    rows = ["a,b,c"] + [f'{i},"q {i}",{i}' for i in range(30_000)]
    rows[10_000] = '1,"two\nlines",3'
    rows[20_000] = "5,x,6,extra"
    path.write_text("\n".join(rows) + "\n")
    data = read_table(path).data
    assert list(data.columns) == ["a", "b", "c", "column_4"] and len(data) == 30_000
    assert data["b"].iloc[9_999] == "two\nlines"
    assert data.iloc[19_999].tolist() == [5, "x", 6, "extra"]
