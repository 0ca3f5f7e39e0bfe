"""Legacy .xls workbooks, dates stored as plain serials, and formulas quoted on export."""

import datetime as dt

import pandas as pd
import pytest

from synthdesk.io import list_sheets, read_preview, read_table
from synthdesk.io.serials import names_a_date
from synthdesk.schema import Kind, profile_columns


def test_legacy_xls_sheets_dates_numbers_and_codes(data_dir):
    path = data_dir / "legacy.xls"
    assert list_sheets(path) == ["Staff"]
    assert list_sheets(path, skip_empty=False) == ["Empty", "Staff"]
    table = read_table(path)
    data = table.data
    assert table.source.format == "xls" and table.source.sheet == "Staff"
    assert data.shape == (5, 8) and table.source.header_row == 1
    assert data["name"].iloc[2] == "Chloé"
    assert data["hired"].tolist()[:2] == [pd.Timestamp("2019-03-01"), pd.Timestamp("2020-11-15")]
    assert data["salary"].iloc[0] == 41250.5 and data["grade"].tolist() == [3, 2, 5, 4, 1]
    assert data["active"].tolist() == [True, False, True, True, False]
    assert data["zip"].tolist()[3] == "06010"
    assert data["bonus_rate"].iloc[0] == 0.125
    kinds = {s.name: s.kind for s in profile_columns(data)}
    assert kinds == {
        "name": Kind.CATEGORY, "hired": Kind.DATE, "salary": Kind.DECIMAL,
        "active": Kind.BOOLEAN, "zip": Kind.CATEGORY, "bonus_rate": Kind.DECIMAL,
        "Datum": Kind.DATE, "grade": Kind.INTEGER,
    }
    preview = read_preview(path, rows=2)
    assert preview.data["hired"].iloc[1] == pd.Timestamp("2020-11-15")


def test_legacy_xls_in_the_1904_date_system(data_dir):
    data = read_table(data_dir / "legacy_1904.xls").data
    assert data["day"].iloc[0] == pd.Timestamp("2020-01-01")
    assert data["day"].iloc[-1] == pd.Timestamp("2020-01-06")
    # Unformatted serials count from 1904 too: 42369 is 2020-01-01 there.
    assert data["Datum"].iloc[0] == pd.Timestamp("2020-01-01")
    assert data["Datum"].iloc[1] == pd.Timestamp("2020-01-08")


def test_unformatted_serials_are_dates_with_evidence(data_dir):
    table = read_table(data_dir / "legacy.xls")
    assert table.data["Datum"].iloc[0] == pd.Timestamp("2019-03-01")
    assert any("Datum: numbers read as Excel date serials (1900 date system)" in n
               for n in table.source.notices)
    spec = {s.name: s for s in profile_columns(table.data)}["Datum"]
    assert spec.kind is Kind.DATE and spec.evidence.startswith("Excel date serials (1900")


def test_serials_can_be_kept_as_numbers(data_dir, tmp_path):
    """The guess can be overridden: as a reader option, from the command line and in a project."""
    from synthdesk.cli.main import main
    from synthdesk.core.project import Project, load_project, save_project
    from synthdesk.io.options import ReadOptions

    table = read_table(data_dir / "legacy.xls", options=ReadOptions(date_serials=False))
    assert table.data["Datum"].iloc[0] == 43525
    assert not any("serials" in n for n in table.source.notices)
    spec = {s.name: s for s in profile_columns(table.data)}["Datum"]
    assert spec.kind in (Kind.INTEGER, Kind.DECIMAL)
    import contextlib
    import io

    for flag, expected in (([], True), (["--no-date-serials"], False)):
        with contextlib.redirect_stdout(io.StringIO()) as shown:
            assert main(["inspect", str(data_dir / "legacy.xls"), *flag]) == 0
        assert ("Excel date serials" in shown.getvalue()) is expected
    project = Project(input=data_dir / "legacy.xls", date_serials=False)
    save_project(project, tmp_path / "job.synthdesk")
    assert load_project(tmp_path / "job.synthdesk").date_serials is False


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_serials_in_an_xlsx_follow_its_date_system(tmp_path, epoch_1904):
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["id", "dob", "visits", "ship_date"])
    base = 17174 - (1462 if epoch_1904 else 0)  # 1947-01-07 in either system
    for i in range(6):
        sheet.append([i + 1, base + 400 * i, 3 + i, base + 25_000 + i])
    path = tmp_path / "serials.xlsx"
    book.save(path)
    table = read_table(path)
    data = table.data
    assert data["dob"].iloc[0] == pd.Timestamp("1947-01-07")
    assert data["ship_date"].iloc[1] == pd.Timestamp("1947-01-07") + pd.Timedelta(days=25_001)
    assert pd.api.types.is_integer_dtype(data["visits"])
    system = "1904" if epoch_1904 else "1900"
    specs = {s.name: s for s in profile_columns(data)}
    assert specs["dob"].evidence.startswith(f"Excel date serials ({system} date system)")


def test_serials_in_a_csv(tmp_path):
    path = tmp_path / "serials.csv"
    path.write_text("Datum,amount\n17174,3\n17175,4\n45000,5\n")
    data = read_table(path).data
    assert data["Datum"].tolist() == [pd.Timestamp("1947-01-07"), pd.Timestamp("1947-01-08"),
                                      pd.Timestamp("2023-03-15")]


@pytest.mark.parametrize(("header", "values"), [
    ("date", [2015, 2016, 2017]),  # years, not serials
    ("date", [20240131, 20240201, 20240202]),  # 8-digit dates are far past the range
    ("date", [3, 7, 12]),  # days of a month
    ("candidate", [17174, 18000, 19000]),  # the header does not name a date
    ("update_count", [17174, 18000, 19000]),
    ("amount", [17174, 18000, 19000]),
    ("date", [17174.0, None, 1.5]),  # one value out of range
])
def test_ordinary_numbers_stay_numbers(tmp_path, header, values):
    path = tmp_path / "numbers.csv"
    cells = ["" if v is None else str(v) for v in values]
    path.write_text(f"{header},n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(cells)))
    data = read_table(path).data
    assert pd.api.types.is_numeric_dtype(data[header])


@pytest.mark.parametrize(("name", "expected"), [
    ("date", True), ("Datum", True), ("dob", True), ("ship_date", True), ("shipDate", True),
    ("Lieferdatum", True), ("Fecha de alta", True), ("hiredate", True), ("Date of birth", True),
    ("candidate", False), ("update", False), ("mandate", False), ("data", False),
    ("day", False), ("year", False), ("id", False),
])
def test_headers_that_name_a_date(name, expected):
    assert names_a_date(name) is expected


def test_quote_before_formula_characters_is_removed_on_import(tmp_path):
    path = tmp_path / "safe.csv"
    rows = ["'=SUM(A1)", "'+1 555 0100", "'-x", "'@home", "''=keep one", "'tis", "'5", "plain"]
    path.write_text("note,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(rows)))
    table = read_table(path)
    assert table.data["note"].tolist() == [
        "=SUM(A1)", "+1 555 0100", "-x", "@home", "'=keep one", "'tis", "'5", "plain"]
    assert any("note: the ' that spreadsheet-safe exports put" in n and "5 value(s)" in n
               for n in table.source.notices)


def test_quote_removed_on_the_row_by_row_path_too(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("note,n\n'=A1,1\n'tis,2,extra\n")
    assert read_table(path).data["note"].tolist() == ["=A1", "'tis"]


def test_time_only_and_date_cells_in_xls_are_not_serials(data_dir):
    data = read_table(data_dir / "legacy.xls").data
    assert isinstance(data["hired"].iloc[0], pd.Timestamp)
    assert not isinstance(data["grade"].iloc[0], (dt.date, pd.Timestamp))


def _formatted_workbook(path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["region", "rate", "amount", "price_eur", "visits"])
    rows = [("North", 0.125, 1250.0, 9.5, 3), ("South", 0.07, 980.5, 12.25, 5),
            ("East", 0.3, 12000.0, 7.0, 2), ("West", None, 45.1, 3.75, 8)]
    for r, row in enumerate(rows, start=2):
        sheet.append(list(row))
        sheet.cell(row=r, column=2).number_format = "0.0%"
        sheet.cell(row=r, column=3).number_format = '"$"#,##0.00'
        sheet.cell(row=r, column=4).number_format = '#,##0.00 [$€-407]'
    book.save(path)


def test_xlsx_percent_and_currency_formats_are_units(tmp_path):
    path = tmp_path / "formatted.xlsx"
    _formatted_workbook(path)
    table = read_table(path)
    data = table.data
    # A cell formatted 12.5% holds 0.125: read as the figure shown, like the text "12.5%".
    assert data["rate"].tolist()[:3] == [12.5, 7.0, 30.0] and pd.isna(data["rate"].iloc[3])
    assert data["amount"].iloc[0] == 1250.0
    specs = {s.name: s for s in profile_columns(data)}
    assert {n: s.unit for n, s in specs.items() if s.unit} == {
        "rate": "%", "amount": "$", "price_eur": "€"}
    assert specs["visits"].unit is None


def test_xlsx_units_survive_export_and_re_import(tmp_path):
    from synthdesk.export import write_table

    path = tmp_path / "formatted.xlsx"
    _formatted_workbook(path)
    table = read_table(path)
    specs = profile_columns(table.data)
    out = tmp_path / "out.xlsx"
    write_table(table.data, out, specs=specs)
    back = read_table(out)
    again = profile_columns(back.data)
    assert [(s.name, s.kind, s.decimals, s.unit) for s in again] == [
        (s.name, s.kind, s.decimals, s.unit) for s in specs]
    pd.testing.assert_frame_equal(back.data, table.data, check_dtype=False)
