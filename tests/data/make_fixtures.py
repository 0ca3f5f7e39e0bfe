"""Write the small made-up files in tests/data that test how SynthDesk reads real files.

Run once with ``.venv/bin/python tests/data/make_fixtures.py``; the files are committed.
The password-protected workbook needs ``msoffcrypto-tool`` (not a SynthDesk dependency).
"""

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

HERE = Path(__file__).parent


def text_fixtures() -> None:
    rows = ["Ville\tMontant\tCode postal"] + [
        f"{town}\t{amount}\t{code}" for town, amount, code in
        [("Orléans", "1.234,56", "45000"), ("Besançon", "12,50", "25000"), ("Ajaccio", "-3,75", "20000"),
         ("Mâcon", "2.000,00", "71000"), ("Évreux", "7,10", "27000")]
    ]
    # Excel's "Unicode text": UTF-16 little-endian with a byte-order mark, tab-delimited.
    (HERE / "excel_unicode_text.txt").write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))
    # Excel's "CSV UTF-8": a byte-order mark, then the table.
    (HERE / "utf8_bom.csv").write_bytes(
        "\ufeffnom;montant;date\r\nZoé;1 234,50;31/01/2024\r\nAndré;99,90;15/02/2024\r\n"
        "Hélène;12,00;01/03/2024\r\nJosé;-5,25;28/02/2024\r\n".encode())
    # A report exported from a portal: notes above the header, missing markers, codes with
    # leading zeros, percentages, currency, thousands separators, a ragged row, a quoted
    # multi-line field, trailing empty columns and rows, and a note below the table.
    (HERE / "messy_export.csv").write_text(
        "Monthly claims export,,,,,,,,\n"
        "Generated 2024-03-01 by the claims portal,,,,,,,,\n"
        ",,,,,,,,\n"
        "claim_no,zip,state_fips,amount,rate,paid,opened,notes,,\n"
        "1001,02134,09,\"$1,250.00\",12.5%,yes,03/15/2024,\"first line\nsecond line\",,\n"
        "1002,10001,36,$980.50,7%,no,03/16/2024,NA,,\n"
        "1003,94105,06,\"$12,000.00\",N/A,yes,03/17/2024,?,,\n"
        "1004,60601,17,$45.10,3.25%,no,03/18/2024,-,,\n"
        "1005,73301,48,$0.99,15%,Y,03/19/2024,\\N\n"
        "1006,30301,13,$310.00,9%,N,03/20/2024,late,,\n"
        "1007,02108,25,$77.77,11%,yes,03/21/2024,,,\n"
        ",,,,,,,,,\n"
        "Source: claims portal,,,,,,,,,\n",
        encoding="utf-8", newline="")
    # Rows with fewer and more cells than the header.
    (HERE / "ragged.csv").write_text("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n", encoding="utf-8")
    # No header row: every row is data.
    (HERE / "no_header.csv").write_text(
        "".join(f"{i},{i * 1.5},{10 + i % 3}\n" for i in range(1, 9)), encoding="utf-8")
    (HERE / "header_only.csv").write_text("a,b,c\n", encoding="utf-8")
    (HERE / "duplicate_names.csv").write_text(
        "id,value,value,,Notes\n1,10,20,x,a\n2,11,21,y,b\n3,12,22,z,c\n", encoding="utf-8")
    (HERE / "pipe_single_quote.txt").write_text(
        "city|population|motto\n'Paris'|2102650|'Fluctuat nec mergitur'\n"
        "'Lyon'|522250|'Avant, avant, Lion le melhor'\n'Lille'|236710|'Partout, toujours'\n",
        encoding="utf-8")
    # A PNG image saved with a .csv name.
    (HERE / "image_renamed.csv").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
        b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
        b"\x00\x00\x00IEND\xaeB`\x82")


def report_workbook() -> bytes:
    """A sheet as analysts make them: a merged title, a note, the header on row 4."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Report"
    sheet["A1"] = "Quarterly sales report"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "Figures in euros; confidential"
    header = ["region", "sales", "share", "closed", "signed_on", "call_time", "double_sales"]
    sheet.append([])
    for col, name in enumerate(header, start=1):
        sheet.cell(row=4, column=col, value=name)
    data = [
        ("North", 1200.5, 0.25, True, dt.date(2023, 1, 31), dt.time(9, 30), None),
        ("South", 980.0, 0.2, False, dt.date(2023, 2, 28), dt.time(14, 5), None),
        ("East", 1500.25, "#DIV/0!", True, dt.date(2023, 3, 31), dt.time(16, 45), None),
        ("West", 1100.0, 0.3, False, dt.date(2023, 4, 30), dt.time(8, 0), None),
        ("Centre", 700.75, "#N/A", True, dt.date(2023, 5, 31), dt.time(11, 15), None),
    ]
    for r, row in enumerate(data, start=5):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, dt.time):
                cell.number_format = "hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        sheet.cell(row=r, column=7, value=f"=B{r}*2")
    sheet.cell(row=11, column=1, value="Source: sales ledger, extracted by finance")
    buffer = io.BytesIO()
    book.save(buffer)
    return _cache_formulas(buffer.getvalue(), {r: data[r - 5][1] * 2 for r in range(5, 10)})


def _cache_formulas(xlsx: bytes, values: dict[int, float]) -> bytes:
    """Give each formula in column G the value Excel would have cached when saving."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for row, value in values.items():
                    text = text.replace(f"<f>B{row}*2</f><v></v>", f"<f>B{row}*2</f><v>{value}</v>")
                    text = text.replace(f"<f>B{row}*2</f><v />", f"<f>B{row}*2</f><v>{value}</v>")
                    text = text.replace(f"<f>B{row}*2</f></c>", f"<f>B{row}*2</f><v>{value}</v></c>")
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def date1904_workbook() -> None:
    book = Workbook()
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Mac"
    sheet.append(["visit", "day", "count"])
    for i in range(6):
        sheet.append([f"V{i}", dt.datetime(2020, 1, 1 + i), i * 3])
        sheet.cell(row=i + 2, column=2).number_format = "yyyy-mm-dd"
    book.save(HERE / "date1904.xlsx")


def ods_workbook() -> None:
    """A LibreOffice Calc file, written by hand (no ODS writer is a SynthDesk dependency)."""
    cells = [("item", "qty", "price"), ("apple", 3, 0.5), ("pear", 5, 0.75), ("plum", 2, 1.25)]
    rows = []
    for row in cells:
        xml = []
        for value in row:
            if isinstance(value, str):
                xml.append(f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
                           "</table:table-cell>")
            else:
                xml.append(f'<table:table-cell office:value-type="float" office:value="{value}">'
                           f"<text:p>{value}</text:p></table:table-cell>")
        rows.append("<table:table-row>" + "".join(xml) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Fruit">'
        + "".join(rows) + "</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(HERE / "fruit.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def legacy_workbooks() -> None:
    """Excel 97-2003 (.xls) workbooks, written with xlwt (a test-only tool, not a dependency).

    ``legacy.xls``: an empty first sheet, then staff records with formatted dates, plain
    date serials in an unformatted column, numbers, booleans, ZIP codes as text and a
    percentage format; ``legacy_1904.xls``: dates in the 1904 date system, formatted and as
    plain serials.
    """
    try:
        import xlwt
    except ImportError:
        print("xlwt is not installed: the .xls fixtures were left as they are")  # noqa: T201
        return
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    percent_style = xlwt.easyxf(num_format_str="0.0%")
    book = xlwt.Workbook()
    book.add_sheet("Empty")
    sheet = book.add_sheet("Staff")
    header = ["name", "hired", "salary", "active", "zip", "bonus_rate", "Datum", "grade"]
    rows = [
        ("Ana", dt.date(2019, 3, 1), 41250.5, True, "02134", 0.125, 43525, 3),
        ("Ben", dt.date(2020, 11, 15), 38900.0, False, "10001", 0.05, 44150, 2),
        ("Chloé", dt.date(2018, 6, 30), 52000.25, True, "94105", 0.1, 43281, 5),
        ("Dev", dt.date(2021, 1, 4), 45100.0, True, "06010", 0.075, 44200, 4),
        ("Eva", dt.date(2017, 9, 12), 60500.75, False, "73301", 0.2, 42990, 1),
    ]
    for c, name in enumerate(header):
        sheet.write(0, c, name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            elif header[c] == "bonus_rate":
                sheet.write(r, c, value, percent_style)
            else:
                sheet.write(r, c, value)
    book.save(str(HERE / "legacy.xls"))
    mac = xlwt.Workbook()
    mac.dates_1904 = True
    sheet = mac.add_sheet("Mac")
    for c, name in enumerate(["visit", "day", "count", "Datum"]):
        sheet.write(0, c, name)
    for i in range(6):
        sheet.write(i + 1, 0, f"V{i}")
        sheet.write(i + 1, 1, dt.date(2020, 1, 1 + i), date_style)
        sheet.write(i + 1, 2, i * 3)
        sheet.write(i + 1, 3, 42369 + 7 * i)  # 2020-01-01 and weekly on, unformatted
    mac.save(str(HERE / "legacy_1904.xls"))


def broken_workbooks(report: bytes) -> None:
    (HERE / "truncated.xlsx").write_bytes(report[: len(report) // 2])
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return
    plain = io.BytesIO(report)
    office = OOXMLFile(plain)
    with (HERE / "password.xlsx").open("wb") as out:
        office.encrypt("synthdesk", out)


if __name__ == "__main__":
    text_fixtures()
    report = report_workbook()
    (HERE / "report_layout.xlsx").write_bytes(report)
    date1904_workbook()
    ods_workbook()
    legacy_workbooks()
    broken_workbooks(report)
