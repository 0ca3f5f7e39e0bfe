import os
import zipfile

import openpyxl
import pandas as pd
import pytest

from synthdesk.errors import InvalidChoice
from synthdesk.export import CsvStyle, check_output_path, neutralise_formulas, write_table
from synthdesk.io import read_table
from synthdesk.schema import profile_columns


def schema(path, **kwargs):
    table = read_table(path, **kwargs)
    return [(s.name, s.kind, s.decimals) for s in profile_columns(table.data)], table


@pytest.fixture
def mixed(small_frame):
    frame = small_frame.copy()
    frame["zip"] = [f"{i % 7:05d}" for i in range(len(frame))]
    frame["ok"] = ["yes", "no", "no"] * 20
    frame["price"] = [round(1.25 + i * 0.5, 2) for i in range(len(frame))]
    frame["note"] = ["=HYPERLINK(\"http://x\")", "plain", "@SUM(A1)"] * 20
    return frame


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_keeps_the_schema(mixed, tmp_path, suffix):
    source = tmp_path / "source.csv"
    mixed.drop(columns="note").to_csv(source, index=False)
    before, original = schema(source)
    specs = profile_columns(original.data)
    out = tmp_path / f"out{suffix}"
    write_table(original.data, out, specs=specs)
    after, back = schema(out)
    assert after == before
    assert list(back.data.columns) == list(original.data.columns)
    assert back.data["zip"].iloc[1] == "00001"
    assert pd.api.types.is_integer_dtype(back.data["age"])


def test_round_trip_through_european_csv(mixed, tmp_path):
    data = mixed.drop(columns="note")
    out = tmp_path / "europe.csv"
    write_table(data, out, style=CsvStyle.excel_europe())
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b";" in raw.splitlines()[0]
    assert b"1,25" in raw
    back = read_table(out)
    assert back.source.delimiter == ";" and back.source.decimal == ","
    assert back.data["price"].tolist() == data["price"].tolist()
    before = [(s.name, s.kind) for s in profile_columns(data)]
    assert [(s.name, s.kind) for s in profile_columns(back.data)] == before


def test_formulas_are_neutralised_in_csv(mixed, tmp_path):
    out = tmp_path / "out.csv"
    write_table(mixed, out)
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert ",=" not in text


def test_negative_numbers_are_not_touched():
    frame = pd.DataFrame({"n": [-1.5, 2.0], "t": ["-x", "y"]})
    safe = neutralise_formulas(frame)
    assert safe["n"].tolist() == [-1.5, 2.0]
    assert safe["t"].tolist() == ["'-x", "y"]
    assert frame["t"].tolist() == ["-x", "y"]  # the caller's frame is not changed


def test_xlsx_has_real_dates_numbers_frozen_header_and_no_formulas(mixed, tmp_path):
    specs = profile_columns(mixed)
    out = tmp_path / "out.xlsx"
    write_table(mixed, out, specs=specs)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    header = [c.value for c in sheet[1]]
    joined = sheet.cell(row=2, column=header.index("joined") + 1)
    assert joined.is_date and joined.number_format == "yyyy-mm-dd"
    age = sheet.cell(row=2, column=header.index("age") + 1)
    assert isinstance(age.value, int)
    price = sheet.cell(row=2, column=header.index("price") + 1)
    assert price.number_format == "0.00"
    note = sheet.cell(row=2, column=header.index("note") + 1)
    # A text cell never runs; the quote prefix keeps it text when edited; the value is kept.
    assert note.data_type == "s" and note.value == '=HYPERLINK("http://x")'
    assert note.quotePrefix
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    score = sheet.cell(row=2, column=header.index("score") + 1)
    assert score.value is None  # missing stays an empty cell


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    out = tmp_path / "out.csv"
    out.write_text("previous,content\n")

    def broken(self, path, **kwargs):
        path.write_text("half a fi")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(Exception, match="No space left on device"):
        write_table(pd.DataFrame({"a": [1]}), out)
    assert out.read_text() == "previous,content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_input_file_is_never_the_output(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("a\n1\n")
    with pytest.raises(InvalidChoice, match="is the input file"):
        check_output_path(source, source)
    link = tmp_path / "link.csv"
    os.link(source, link)
    with pytest.raises(InvalidChoice, match="is the input file"):
        check_output_path(link, source)


def test_bad_csv_style_is_refused(tmp_path):
    with pytest.raises(InvalidChoice, match="one-character delimiter"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "o.csv", style=CsvStyle(delimiter=",", decimal=","))


def test_generated_decimals_are_written_with_the_input_places(tmp_path):
    real = pd.DataFrame({"price": [1.25, 2.5, 3.75, 4.0] * 5})
    specs = profile_columns(real)
    generated = pd.DataFrame({"price": [1.2345678, 2.987654, 3.3333333, 0.1 + 0.2] * 5})
    out = tmp_path / "out.csv"
    write_table(generated, out, specs=specs)
    assert out.read_text().splitlines()[1:5] == ["1.23", "2.99", "3.33", "0.3"]
    assert profile_columns(read_table(out).data)[0].decimals == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_formula_like_text_comes_back_as_it_was(tmp_path, suffix):
    values = ["=SUM(A1)", "+33 1 23", "-x", "@home", "'=quoted", "''-twice", "'tis", "plain"]
    frame = pd.DataFrame({"note": values * 3, "n": range(24)})
    out = tmp_path / f"out{suffix}"
    write_table(frame, out)
    assert read_table(out).data["note"].tolist() == values * 3


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_percent_and_currency_round_trip(tmp_path, data_dir, suffix):
    before, original = schema(data_dir / "messy_export.csv")
    specs = profile_columns(original.data)
    units = {s.name: s.unit for s in specs if s.unit}
    assert units == {"amount": "$", "rate": "%"}
    out = tmp_path / f"claims{suffix}"
    write_table(original.data, out, specs=specs)
    after, back = schema(out)
    assert after == before
    assert back.data["rate"].tolist()[:2] == [12.5, 7.0]
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(out).active
        header = [c.value for c in sheet[1]]
        rate = sheet.cell(row=2, column=header.index("rate") + 1)
        amount = sheet.cell(row=2, column=header.index("amount") + 1)
        assert rate.value == 12.5 and rate.number_format == '0.00"%"'
        assert amount.value == 1250.0 and amount.number_format == '"$"#,##0.00'
    else:
        text = out.read_text(encoding="utf-8")
        assert "12.5," in text and "1250.0," in text and "%" not in text


def test_currency_written_after_the_amount_stays_after(tmp_path):
    from synthdesk.schema import ColumnSpec, Kind

    frame = pd.DataFrame({"price": [1.5, 2.25]})
    spec = ColumnSpec("price", Kind.DECIMAL, decimals=2, unit="€")
    out = tmp_path / "out.xlsx"
    write_table(frame, out, specs=[spec])
    cell = openpyxl.load_workbook(out).active["A2"]
    assert cell.number_format == '#,##0.00" €"' and cell.value == 1.5
