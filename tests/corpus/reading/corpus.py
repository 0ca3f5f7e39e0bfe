"""The reading corpus: real public tables in awkward formats, with what a reader must find.

Each table has a labels file in ``labels/`` (JSON): where its values come from and under
which licence, the header row, the first and last data rows (1-based rows of the file or
sheet, as a spreadsheet or a CSV reader numbers them), the number of data rows and each
column's expected kind. ``"file"`` names a committed file in ``files/``; ``"build"`` names
a function below that writes the file at test time from committed real values, laid out
the way statistics offices, databases and web portals export them (the labels say so).

``materialise(folder)`` writes the built files and returns every table as a ``Case``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
FILES = HERE / "files"
LABELS = HERE / "labels"


@dataclass(frozen=True)
class Case:
    """One labelled table, ready to read."""

    name: str
    path: Path
    sheet: str | None
    labels: dict


def labels() -> list[dict]:
    """Every table's labels, by name."""
    out = []
    for path in sorted(LABELS.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["name"] = path.stem
        out.append(entry)
    return out


def materialise(folder: Path) -> list[Case]:
    """Write the built files into ``folder``; return every table of the corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {}
    cases = []
    for entry in labels():
        if "build" in entry:
            builder = entry["build"]
            if builder not in built:
                built[builder] = BUILDERS[builder](folder)
            path = built[builder]
        else:
            path = FILES / entry["file"]
        cases.append(Case(entry["name"], path, entry.get("sheet"), entry))
    return cases


def _rows(name: str) -> list[list[str]]:
    with (FILES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _frame(name: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(FILES / name, keep_default_na=False, dtype=str, **kwargs)


# --- workbooks laid out like statistics-office releases --------------------------------

def _write_sheet(sheet, top: list[list], header: list, body: list[list], below: list[list],
                 merge_title: bool) -> None:
    for row in top:
        sheet.append(row)
    if merge_title and top:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in body:
        sheet.append(row)
    for row in below:
        sheet.append(row)


def _number(text: str):
    if text in ("", "NA"):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def build_release_workbook(folder: Path) -> Path:
    """Seattle weather and people records, each sheet with a title and notes around it."""
    import openpyxl

    book = openpyxl.Workbook()
    weather = book.active
    weather.title = "Weather"
    rows = _rows("seattle-weather.csv")
    body = [[dt.datetime.strptime(r[0], "%Y/%m/%d"), *map(_number, r[1:5]), r[5]]
            for r in rows[1:301]]
    _write_sheet(
        weather,
        [["Daily weather observed at the top of Seattle, WA, 2012"],
         ["Source: NOAA Global Historical Climatology Network, via vega-datasets."],
         ["Units: precipitation in mm, temperatures in degrees Celsius, wind in m/s."],
         []],
        rows[0], body,
        [[], ["Notes: days without an observation are left out."],
         ["Published with the release of the weather series; figures may be revised."]],
        merge_title=True)
    people = book.create_sheet("People")
    rows = _rows("08-peeps.csv")
    body = [[*r[:11], dt.datetime.strptime(r[11], "%Y-%m-%d"), _number(r[12]), _number(r[13])]
            for r in rows[1:]]
    _write_sheet(people, [["Sample people records (fictional persons, great_tables)"], []],
                 rows[0], body,
                 [[], ["Heights in centimetres and weights in kilograms."],
                  ["Source: great_tables, dataset 'peeps'."]], merge_title=True)
    path = folder / "release_workbook.xlsx"
    book.save(path)
    return path


def build_summary_workbook(folder: Path) -> Path:
    """Election results with a totals row under the header, as spreadsheet reports do."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Results"
    rows = _rows("plotly_election.csv")
    body = [[r[0], *map(_number, r[1:5]), r[5], r[6], _number(r[7])] for r in rows[1:]]
    total = ["Total", *[sum(b[j] for b in body) for j in range(1, 5)], None, None, None]
    _write_sheet(sheet, [["2013 Montreal mayoral election, votes by district"], []],
                 rows[0], [total, *body], [], merge_title=True)
    path = folder / "summary_workbook.xlsx"
    book.save(path)
    return path


def build_ods_with_notes(folder: Path) -> Path:
    """New York air quality in an OpenDocument sheet with notes above and below."""
    data = _frame("x-airquality.csv")
    top = pd.DataFrame([["Daily air quality measurements in New York, May to September 1973"],
                        [""]])
    path = folder / "airquality.ods"
    values = [[_number(v) for v in row] for row in data.to_numpy().tolist()]
    body = pd.DataFrame([list(data.columns), *values])
    notes = pd.DataFrame([[""], ["Source: New York State Department of Conservation (ozone) "
                                 "and the National Weather Service (meteorology)."]])
    whole = pd.concat([top, body, notes], ignore_index=True)
    whole.to_excel(path, engine="odf", header=False, index=False, sheet_name="airquality")
    return path


# --- exports from databases and web portals ---------------------------------------------

def build_database_export(folder: Path) -> Path:
    r"""Films as a database dump writes them: BOM, CRLF, ``\N`` for NULL, 0x1A in text."""
    rows = _rows("09-films.csv")
    path = folder / "films_dump.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(rows[0])
        for i, row in enumerate(rows[1:]):
            row = ["\\N" if v == "" else v for v in row]
            for j in (1, 2, 3):  # a legacy end-of-file mark left after each text value
                if row[j] != "\\N":
                    row[j] = row[j] + "\x1a"
            if i % 50 == 0:
                row[3] = row[3] + "\r\n(uncredited co-director)"
            writer.writerow(row)
    return path


def build_web_export(folder: Path) -> Path:
    """Pizza orders as an API export: ISO-8601 instants with ``Z``, HHMM clock integers."""
    rows = _rows("05-pizzaplace_head3000.csv")
    path = folder / "pizza_orders_api.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "ordered_at", "clock_hhmm", "name", "size", "type", "price"])
        for r in rows[1:]:
            hh, mm, _ = r[2].split(":")
            writer.writerow([r[0], f"{r[1]}T{r[2]}Z", int(hh + mm), *r[3:]])
    return path


def build_weather_feed(folder: Path) -> Path:
    """Gibraltar observations with local offsets and fractional seconds, clocks as HHMM."""
    rows = _rows("11-gibraltar.csv")
    path = folder / "gibraltar_feed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["observed", "hhmm", *rows[0][2:]])
        for r in rows[1:]:
            writer.writerow([f"{r[0]} {r[1]}:00.000+02:00", int(r[1].replace(":", "")),
                             *r[2:]])
    return path


def build_temps_feed(folder: Path) -> Path:
    """San Francisco hourly temperatures as ISO instants with an offset and a T."""
    rows = _rows("sf-temps_head3000.csv")
    path = folder / "sf_temps_iso.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["observed_at", "temp"])
        for r in rows[1:]:
            stamp = dt.datetime.strptime(r[1], "%Y/%m/%d %H:%M:%S")
            writer.writerow([stamp.strftime("%Y-%m-%dT%H:%M:%S-08:00"), r[0]])
    return path


def build_month_series(folder: Path) -> Path:
    """US employment by month written ``Jan-2006``, as labour statistics tables do."""
    rows = _rows("us-employment.csv")
    path = folder / "us_employment_months.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0][:6])
        for r in rows[1:]:
            month = dt.datetime.strptime(r[0], "%Y-%m-%d").strftime("%b-%Y")
            writer.writerow([month, *r[1:6]])
    return path


def build_stock_months(folder: Path) -> Path:
    """Monthly stock prices with the month written ``2000-01``."""
    rows = _rows("stocks.csv")
    path = folder / "stocks_months.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["symbol", "month", "price"])
        for r in rows[1:]:
            month = dt.datetime.strptime(r[1], "%b %d %Y").strftime("%Y-%m")
            writer.writerow([r[0], month, r[2]])
    return path


def build_sentinel_export(folder: Path) -> Path:
    """Air quality as a legacy system exports it: 999 and -1 for values not measured."""
    rows = _rows("x-airquality.csv")
    path = folder / "airquality_sentinels.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0])
        for r in rows[1:]:
            writer.writerow(["999" if r[0] == "NA" else r[0], "-1" if r[1] == "NA" else r[1],
                             *r[2:]])
    return path


def build_metro_sentinels(folder: Path) -> Path:
    """Paris metro stations with -1 where the ridership is unknown."""
    rows = _rows("10-metro.csv")
    path = folder / "metro_sentinels.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([rows[0][0], rows[0][2], rows[0][7], rows[0][8], rows[0][9]])
        for r in rows[1:]:
            writer.writerow([r[0], r[2], r[7] or "-1", r[8], r[9]])
    return path


def build_airport_places(folder: Path) -> Path:
    """US airports with their place written ``City, ST``."""
    rows = _rows("airports.csv")
    path = folder / "airport_places.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["iata", "name", "place", "latitude", "longitude"])
        for r in rows[1:]:
            if r[4] == "USA" and r[2] and r[3]:
                writer.writerow([r[0], r[1], f"{r[2]}, {r[3]}", r[5], r[6]])
    return path


def build_totals_below(folder: Path) -> Path:
    """VA education recipients by state with a Total row below, as the agency prints it."""
    rows = _rows("FY09_EDU_Recipients_by_State.csv")
    body = [r[:9] for r in rows[1:] if any(r)]
    total = ["Total", "", ""] + [
        f"{sum(int(b[j].replace(',', '')) for b in body):,}" for j in range(3, 9)]
    path = folder / "va_education_totals.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0][:9])
        writer.writerows(body)
        writer.writerow(total)
    return path


def build_survey_workbook(folder: Path) -> Path:
    """People records under a merged title and a note spread one word per cell, with
    notes below that sit in the date and number columns."""
    import openpyxl

    rows = _rows("08-peeps.csv")
    keep = [0, 10, 11, 12, 13, 4]
    header = [rows[0][j] for j in keep]
    body = [[r[0], r[10], dt.datetime.strptime(r[11], "%Y-%m-%d"), _number(r[12]),
             _number(r[13]), r[4] or None] for r in rows[1:]]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Survey"
    _write_sheet(sheet,
                 [["Table 1. People by height and weight"],
                  ["Figures", "at", "the", "top", "of", "each"],
                  [],
                  ["Table 1"]],
                 header, body,
                 [[],
                  [None, None, "Dates of birth as recorded at enrolment."],
                  [None, "Source: great_tables, dataset 'peeps' (fictional persons).",
                   None, None]],
                 merge_title=True)
    path = folder / "survey_workbook.xlsx"
    book.save(path)
    return path


def build_notes_csv(folder: Path) -> Path:
    """Seattle weather as a portal's CSV download: a title, a wide note, notes below."""
    rows = _rows("seattle-weather.csv")
    path = folder / "weather_download.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Seattle daily weather, 2012 to 2015", "", "", "", "", ""])
        writer.writerow(["Downloaded", "from", "the", "weather", "portal", "."])
        writer.writerow([""] * 6)
        writer.writerows(rows[:501])
        writer.writerow([""] * 6)
        writer.writerow(["", "Precipitation in mm; temperatures in degrees Celsius.", "", "",
                         "", ""])
        writer.writerow(["Source: NOAA GHCN daily", "", "", "", "", ""])
    return path


def build_legacy_scores(folder: Path) -> Path:
    """Air quality as a legacy report sheet: a year row and a totals row under the
    header, then one row per day, 999 where ozone was not measured."""
    import openpyxl

    rows = _rows("x-airquality.csv")
    body = [[999 if r[0] == "NA" else int(r[0]), _number(r[1]), _number(r[2]), int(r[3]),
             int(r[4]), int(r[5])] for r in rows[1:]]
    year = ["Year 1973", None, None, None, None, None]
    total = ["Total", sum(b[1] or 0 for b in body), round(sum(b[2] for b in body), 1),
             sum(b[3] for b in body), None, None]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Scores"
    _write_sheet(sheet, [], rows[0], [year, total, *body], [], merge_title=False)
    path = folder / "legacy_scores.xlsx"
    book.save(path)
    return path


BUILDERS = {name[len("build_"):]: function for name, function in dict(globals()).items()
            if name.startswith("build_") and callable(function)}
