"""Each class of awkward real file, pinned with at least three real examples.

The values come from the reading corpus (real public tables, see
``tests/corpus/reading/SOURCES.md``); where a layout is built, it is built around them.
"""

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from synthdesk.core.frames import output_frame, training_frame
from synthdesk.errors import ImportFailed, InvalidChoice
from synthdesk.io import ReadOptions, read_table
from synthdesk.schema import Action, Kind, profile_columns
from tests.corpus.reading.corpus import BUILDERS, FILES


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    return lambda name: BUILDERS[name](folder)


def _specs(table):
    return {spec.name: spec for spec in profile_columns(table.data)}


def _rows(name):
    with (FILES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --- header and footer ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "sheet", "header", "first_column"), [
    ("survey_workbook", None, 5, "name_given"),  # a note written one word per cell
    ("notes_csv", None, 4, "date"),  # the same in a portal's CSV
    ("release_workbook", "Weather", 5, "date"),  # a merged title and notes
])
def test_header_is_found_under_titles_and_notes_as_wide_as_the_table(
        built, name, sheet, header, first_column):
    table = read_table(built(name), sheet=sheet)
    assert table.source.header_row == header
    assert table.data.columns[0] == first_column


def test_header_under_a_title_in_a_real_government_csv():
    table = read_table(FILES / "Datagov_FY10_EDU_recp_by_State.csv")
    assert table.source.header_row == 3
    assert table.data.columns[0] == "State Name"


@pytest.mark.parametrize(("name", "rows", "last", "said"), [
    ("survey_workbook", 100, 105, "note row(s) below"),  # notes in date and number columns
    ("notes_csv", 500, 504, "note row(s) below"),
    ("totals_below", 52, 53, "summary row(s) below"),  # a Total row at the end
    ("summary_workbook", 58, 62, "summary row(s) right under the header"),
    ("legacy_scores", 153, 156, "summary row(s) right under the header"),  # year + totals
])
def test_notes_and_summary_rows_are_left_out_with_a_notice(built, name, rows, last, said):
    table = read_table(built(name))
    assert len(table.data) == rows
    assert table.source.last_row == last
    assert any(said in notice for notice in table.source.notices)


def test_dates_and_numbers_under_notes_keep_their_kinds(built):
    specs = _specs(read_table(built("survey_workbook")))
    assert specs["dob"].kind is Kind.DATE
    assert specs["height_cm"].kind is Kind.INTEGER
    specs = _specs(read_table(built("legacy_scores")))
    assert specs["Ozone"].kind is Kind.INTEGER


def test_a_last_row_that_is_a_record_is_kept():
    # The Italian surveillance sheets end with the cases that have no date: a record.
    table = read_table(FILES / "covid_19-iss.xlsx", sheet="ricoveri")
    assert table.source.last_row == 480
    assert table.data["RICOVERI"].iloc[-1] == 3815777


def test_comment_lines_are_left_out():
    table = read_table(FILES / "zone1970.tab")
    assert table.source.header_row == 38
    assert len(table.data) == 312
    assert not table.data.iloc[:, 0].str.startswith("#").any()
    assert any("comment line" in notice for notice in table.source.notices)


@pytest.mark.parametrize(("path", "sheet", "last", "rows"), [
    ("Datagov_FY10_EDU_recp_by_State.csv", None, 50, 47),
    ("covid_19-iss.xlsx", "casi_regioni", 11, 10),
    ("agate_skip_lines.xls", None, 9, 2),
])
def test_the_last_row_can_be_given(path, sheet, last, rows):
    table = read_table(FILES / path, sheet=sheet, options=ReadOptions(last_row=last))
    assert len(table.data) == rows
    assert table.source.last_row == last


def test_a_last_row_above_the_header_is_refused():
    with pytest.raises(InvalidChoice, match="below the header"):
        read_table(FILES / "Datagov_FY10_EDU_recp_by_State.csv",
                   options=ReadOptions(last_row=2))
    with pytest.raises(ImportFailed, match="below the header"):
        read_table(FILES / "covid_19-iss.xlsx", sheet="casi_regioni",
                   options=ReadOptions(last_row=1))


@pytest.mark.parametrize("name", ["census2000_determination_schema.csv",
                                  "csvkit_mac_newlines.csv", "13-illness.csv"])
def test_classic_mac_line_ends_are_read(tmp_path, name):
    path = tmp_path / name
    raw = (FILES / name).read_bytes()
    path.write_bytes(raw.replace(b"\r\n", b"\r").replace(b"\n", b"\r"))
    table = read_table(path)
    rows = [r for r in csv.reader(path.open(encoding="utf-8", newline="")) if r]
    assert table.source.header_row == 1
    assert len(table.data) == len(rows) - 1
    assert list(table.data.columns) == rows[0]


# --- date-times, months, clocks -------------------------------------------------------

@pytest.mark.parametrize(("name", "column", "zone"), [
    ("web_export", "ordered_at", "Z"),
    ("weather_feed", "observed", "+02:00"),  # a space, fractional seconds
    ("temps_feed", "observed_at", "-08:00"),
])
def test_iso_date_times_with_a_zone_are_datetimes_written_back_as_written(
        built, name, column, zone):
    table = read_table(built(name))
    spec = _specs(table)[column]
    assert spec.kind is Kind.DATETIME
    assert zone in spec.evidence
    frame = training_frame(table.data, [spec])
    assert frame[column].notna().all()
    back = output_frame(frame, [spec])[column]
    assert back.tolist() == table.data[column].tolist()


@pytest.mark.parametrize(("written", "fmt"), [
    ("%b-%Y", "%b-%Y"), ("%Y-%m", "%Y-%m"), ("%B %Y", "%B %Y"),
])
def test_month_strings_are_dates_written_back_as_months(tmp_path, written, fmt):
    rows = _rows("us-employment.csv")
    months = [dt.datetime.strptime(r[0], "%Y-%m-%d").strftime(written) for r in rows[1:]]
    path = tmp_path / "months.csv"
    pd.DataFrame({"month": months, "nonfarm": [r[1] for r in rows[1:]]}).to_csv(
        path, index=False)
    table = read_table(path)
    spec = _specs(table)["month"]
    assert (spec.kind, spec.date_format) == (Kind.DATE, fmt)
    assert "months" in spec.evidence
    frame = training_frame(table.data, [spec])
    shifted = frame.assign(month=frame["month"] + pd.Timedelta(days=40))
    back = output_frame(shifted, [spec])["month"]
    assert back.map(lambda v: dt.datetime.strptime(v, fmt)).notna().all()


@pytest.mark.parametrize(("name", "column"), [
    ("web_export", "clock_hhmm"), ("weather_feed", "hhmm"),
])
def test_hhmm_whole_numbers_are_clock_times_generated_as_valid_times(built, name, column):
    table = read_table(built(name))
    spec = _specs(table)[column]
    assert (spec.kind, spec.date_format, spec.written_as) == (Kind.DATETIME, "%H%M", "number")
    frame = training_frame(table.data, [spec])
    assert frame[column].notna().all()
    # Generated times anywhere in the day come back as whole numbers with minutes < 60.
    rng = np.random.default_rng(0)
    synthetic = pd.DataFrame({column: pd.Timestamp("1900-01-01") + pd.to_timedelta(
        rng.integers(0, 24 * 60, 500), unit="min")})
    back = output_frame(synthetic, [spec])[column]
    assert back.dtype == "Int64"
    assert ((back % 100) < 60).all() and (back <= 2359).all()


def test_hhmm_text_is_clock_times():
    spec = _specs(read_table(FILES / "02-sza.csv"))["tst"]
    assert (spec.kind, spec.date_format) == (Kind.DATETIME, "%H%M")


@pytest.mark.parametrize(("path", "column"), [
    ("x-airquality.csv", "Solar_R"), ("07-towny.csv", "population_2021"),
    ("03-gtcars.csv", "hp"),
])
def test_counts_and_measures_are_not_clocks(path, column):
    assert _specs(read_table(FILES / path))[column].kind is Kind.INTEGER


# --- sentinels ----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "column", "code"), [
    ("sentinel_export", "Ozone", 999), ("sentinel_export", "Solar_R", -1),
    ("metro_sentinels", "passengers", -1), ("legacy_scores", "Ozone", 999),
])
def test_sentinels_are_reported_and_can_be_read_as_missing(built, name, column, code):
    path = built(name)
    table = read_table(path)
    assert any(notice.startswith(f"{column}: {code:g}") for notice in table.source.notices)
    assert "uncertain" in _specs(table)[column].evidence
    assert (table.data[column] == code).sum() >= 2
    cleaned = read_table(path, options=ReadOptions(sentinels_missing=True))
    assert not (cleaned.data[column] == code).any()
    assert cleaned.data[column].isna().sum() == (table.data[column] == code).sum() + \
        table.data[column].isna().sum()


def test_real_values_far_apart_are_not_sentinels():
    table = read_table(FILES / "04-sp500_head2000.csv")
    assert not any("code for 'unknown'" in n for n in table.source.notices)


# --- place names and identifiers ----------------------------------------------------------

def test_place_names_are_categories(built, tmp_path):
    assert _specs(read_table(FILES / "acs2012_5yr_population.csv"))["name"].kind is \
        Kind.CATEGORY
    assert _specs(read_table(built("airport_places")))["place"].kind is Kind.CATEGORY
    rows = [r for r in _rows("08-peeps.csv")[1:] if r[4]]
    path = tmp_path / "people_places.csv"
    pd.DataFrame({"place": [f"{r[3]}, {r[4]}" for r in rows],
                  "height_cm": [r[12] for r in rows]}).to_csv(path, index=False)
    spec = _specs(read_table(path))["place"]
    assert spec.kind is Kind.CATEGORY
    assert "place names" in spec.evidence
    # Never replaced as a person's name or a record identifier.
    county = _specs(read_table(FILES / "acs2012_5yr_population.csv"))["name"]
    assert (county.action, county.quasi_identifier) == (Action.SYNTHESIZE, True)


def test_dates_in_unknown_formats_are_not_identifiers(tmp_path):
    rows = _rows("05-pizzaplace_head3000.csv")[1:400]
    path = tmp_path / "orders.csv"
    frame = pd.DataFrame({"stamp": [f"{r[1]}@{r[2]}" for r in rows],
                          "price": [r[6] for r in rows]}).drop_duplicates("stamp")
    frame.to_csv(path, index=False)
    spec = _specs(read_table(path))["stamp"]
    assert spec.kind is Kind.CATEGORY
    assert "uncertain" in spec.evidence


def test_unique_codes_are_identifiers():
    assert _specs(read_table(FILES / "acs2012_5yr_population.csv"))["fips"].kind is \
        Kind.IDENTIFIER
    specs = _specs(read_table(FILES / "covid_19-iss.xlsx", sheet="casi_provincie"))
    assert specs["COD_PROV"].kind is Kind.IDENTIFIER
    assert _specs(read_table(FILES / "09-films.csv"))["imdb_url"].kind is Kind.IDENTIFIER


# --- control characters and binary data ---------------------------------------------------

def _with_controls(path, source, columns, char):
    rows = _rows(source)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0])
        for row in rows[1:]:
            writer.writerow([v + char if j in columns and v else v for j, v in enumerate(row)])
    return path


@pytest.mark.parametrize(("source", "columns", "char"), [
    ("09-films.csv", (1, 2, 3), "\x1a"),
    ("07-towny.csv", (0, 4), "\x1a"),
    ("08-peeps.csv", (0, 1, 2, 3), "\x07"),
])
def test_text_with_control_characters_is_read_as_text_with_them_removed(
        tmp_path, source, columns, char):
    path = _with_controls(tmp_path / "export.csv", source, columns, char)
    table = read_table(path)
    plain = read_table(FILES / source)
    assert table.data.shape == plain.data.shape
    name = plain.data.columns[columns[0]]
    assert table.data[name].tolist() == plain.data[name].tolist()
    assert any("control characters" in n and "removed" in n for n in table.source.notices)


def test_the_database_dump_is_read(built):
    table = read_table(built("database_export"))
    assert len(table.data) == 1851
    assert table.data["director"].str.contains("\r\n").any()  # CRLF inside quotes kept
    assert table.data["original_title"].isna().any()  # \N is missing


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 50,  # invalid in every encoding, with NULs
    b"id,name\n" + b"\x00\x01\x02\x00" * 4000,  # NUL-heavy
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,  # a known magic number
])
def test_binary_files_are_still_refused(tmp_path, content):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed):
        read_table(path)
