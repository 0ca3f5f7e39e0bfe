import pandas as pd

from synthdesk.io import read_table
from synthdesk.schema import Action, Kind, detect_kind, profile_columns, to_sdv_metadata


def kinds(frame):
    return {spec.name: spec.kind for spec in profile_columns(frame)}


def test_kinds_of_a_mixed_table():
    n = 40
    frame = pd.DataFrame({
        "customer_id": [f"C{1000 + i}" for i in range(n)],
        "age": [20 + i % 30 for i in range(n)],
        "balance": [100.5 + i * 3.25 for i in range(n)],
        "plan": ["basic", "pro"] * (n // 2),
        "active": ["yes", "no", "no", "yes"] * (n // 4),
        "opened": pd.date_range("2021-03-01", periods=n).strftime("%Y-%m-%d"),
        "seen": pd.date_range("2021-03-01 08:30", periods=n, freq="h").strftime("%d/%m/%Y %H:%M"),
        "country": ["FR"] * n,
        "notes": [None] * n,
        "flag": [True, False] * (n // 2),
    })
    assert kinds(frame) == {
        "customer_id": Kind.IDENTIFIER,
        "age": Kind.INTEGER,
        "balance": Kind.DECIMAL,
        "plan": Kind.CATEGORY,
        "active": Kind.BOOLEAN,
        "opened": Kind.DATE,
        "seen": Kind.DATETIME,
        "country": Kind.CONSTANT,
        "notes": Kind.EMPTY,
        "flag": Kind.BOOLEAN,
    }


def test_integers_with_missing_values_stay_integers():
    column = pd.Series([1.0, None, 3.0, 4.0, 5.0])
    assert detect_kind(column) == (Kind.INTEGER, None)


def test_date_format_is_kept_for_dates_held_as_text():
    column = pd.Series(["31.01.2020", "15.02.2020", "01.03.2020"])
    assert detect_kind(column) == (Kind.DATE, "%d.%m.%Y")


def test_free_text_is_text():
    column = pd.Series([f"Customer called about invoice {i} and asked for a refund" for i in range(30)])
    assert detect_kind(column)[0] is Kind.TEXT


def test_missing_share_is_reported():
    spec = profile_columns(pd.DataFrame({"x": [1, None, 3, None]}))[0]
    assert spec.missing == 0.5


def test_sensitive_columns_of_a_real_table(data_dir):
    specs = {s.name: s for s in profile_columns(read_table(data_dir / "la_riots.csv").data)}
    assert specs["first_name"].pii_type == "first_name"
    assert specs["last_name"].pii_type == "last_name"
    assert specs["address"].pii_type == "street_address"
    for name in ("first_name", "last_name", "address"):
        assert specs[name].sensitive
        assert specs[name].action is Action.FAKE
        assert "the header" in specs[name].reason and "%" in specs[name].reason
    for name in ("age", "gender", "race", "neighborhood", "longitude"):
        assert not specs[name].sensitive, name


def test_email_values_are_flagged_whatever_the_header():
    frame = pd.DataFrame({"contact": [f"person{i}@example.org" for i in range(30)]})
    spec = profile_columns(frame)[0]
    assert spec.sensitive and spec.pii_type == "email"
    assert "100% of values look like e-mail addresses" in spec.reason


def test_a_product_name_is_not_a_person():
    frame = pd.DataFrame({"item_name": ["Rifle", "Truck", "Helmet", "Boots"] * 10})
    assert not profile_columns(frame)[0].sensitive


def test_record_identifiers_become_fresh_ids():
    frame = pd.DataFrame({"order_id": range(100, 150), "amount": [i * 2.5 for i in range(50)]})
    spec = profile_columns(frame)[0]
    assert spec.kind is Kind.IDENTIFIER and spec.sensitive and spec.action is Action.FAKE
    meta = to_sdv_metadata(profile_columns(frame))["tables"]["table"]["columns"]
    assert "order_id" not in meta, "replaced columns never reach the generator"
    assert meta["amount"] == {"sdtype": "numerical"}


def test_metadata_leaves_out_dropped_and_empty_columns():
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [None, None, None]})
    specs = profile_columns(frame)
    specs[1] = specs[1].with_changes(action=Action.DROP)
    columns = to_sdv_metadata(specs)["tables"]["table"]["columns"]
    assert list(columns) == ["a"]


def test_day_first_and_month_first_are_decided_from_the_values():
    day_first = pd.Series(["31/01/2024", "15/02/2024", "01/03/2024", "02/03/2024"])
    month_first = pd.Series(["01/31/2024", "02/15/2024", "03/01/2024", "03/02/2024"])
    assert detect_kind(day_first) == (Kind.DATE, "%d/%m/%Y")
    assert detect_kind(month_first) == (Kind.DATE, "%m/%d/%Y")
    # No day above 12: the part that changes more often is the day.
    ambiguous = pd.Series([f"{d:02d}/03/2024" for d in range(1, 13)] + ["05/04/2024"])
    assert detect_kind(ambiguous) == (Kind.DATE, "%d/%m/%Y")
    ambiguous_us = pd.Series([f"03/{d:02d}/2024" for d in range(1, 13)] + ["04/05/2024"])
    assert detect_kind(ambiguous_us) == (Kind.DATE, "%m/%d/%Y")


def test_times_of_day_and_more_date_shapes():
    assert detect_kind(pd.Series(["09:30:00", "14:05:00", "16:45:00"])) == (Kind.DATETIME, "%H:%M:%S")
    assert detect_kind(pd.Series(["2024-01-31T10:00:00", "2024-02-01T11:30:00"])) == (
        Kind.DATETIME, "%Y-%m-%dT%H:%M:%S")
    assert detect_kind(pd.Series(["31-Jan-2024", "01-Feb-2024"])) == (Kind.DATE, "%d-%b-%Y")


def test_booleans_of_every_common_spelling():
    for values in (["yes", "no"], ["Y", "N"], ["true", "false"], ["TRUE", "FALSE"], ["1", "0"]):
        assert detect_kind(pd.Series(values * 10))[0] is Kind.BOOLEAN, values
    assert detect_kind(pd.Series([0, 1, 1, 0, None]))[0] is Kind.BOOLEAN
    assert detect_kind(pd.Series([0, 1, 2, 0]))[0] is Kind.INTEGER


def test_codes_with_leading_zeros_stay_text():
    spec = profile_columns(pd.DataFrame({"zip": ["02134", "10001", "02134", "94105"] * 10}))[0]
    assert spec.kind is Kind.CATEGORY
    assert "leading zeros" in spec.evidence


def test_near_unique_codes_with_a_few_gaps_are_identifiers():
    codes = [f"abcd{i:03d}" for i in range(100)]
    codes[7] = None
    assert detect_kind(pd.Series(codes, name="retroID"))[0] is Kind.IDENTIFIER


def test_every_kind_comes_with_evidence_and_decimals_are_counted():
    frame = pd.DataFrame({"price": [1.5, 2.25, 3.0, 4.125] * 5, "n": [1, 2, 3, 4] * 5})
    price, n = profile_columns(frame)
    assert price.kind is Kind.DECIMAL and price.decimals == 3
    assert price.evidence == "numbers with decimals from 1.5 to 4.125"
    assert n.evidence == "whole numbers from 1 to 4" and n.decimals is None


def test_a_kind_override_is_checked_and_reaches_the_metadata():
    import pytest

    from synthdesk.errors import InvalidChoice
    from synthdesk.schema.columns import with_kind

    frame = pd.DataFrame({"code": [3, 1, 2, 3] * 10, "when": [f"2024-01-0{i % 9 + 1}" for i in range(40)],
                          "label": ["a", "b"] * 20})
    specs = {s.name: s for s in profile_columns(frame)}
    assert specs["code"].kind is Kind.INTEGER
    code = with_kind(specs["code"], "category", frame["code"])
    assert code.kind is Kind.CATEGORY and "chosen by you" in code.evidence
    when = with_kind(specs["when"].with_changes(kind=Kind.CATEGORY, date_format=None),
                     Kind.DATE, frame["when"])
    assert when.date_format == "%Y-%m-%d"
    meta = to_sdv_metadata([code, when])["tables"]["table"]["columns"]
    assert meta["code"] == {"sdtype": "categorical"}
    assert meta["when"] == {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"}
    with pytest.raises(InvalidChoice, match="holds text, not numbers"):
        with_kind(specs["label"], "integer", frame["label"])
    with pytest.raises(InvalidChoice, match="is not a kind"):
        with_kind(specs["label"], "colour", frame["label"])


def test_a_wide_table_is_profiled_column_by_column():
    import numpy as np

    rng = np.random.default_rng(0)
    columns = {}
    for i in range(4000):
        kind = i % 4
        if kind == 0:
            columns[f"n{i}"] = rng.integers(0, 100, 50)
        elif kind == 1:
            columns[f"x{i}"] = rng.normal(size=50).round(2)
        elif kind == 2:
            columns[f"c{i}"] = rng.choice(["a", "b", "c"], 50).astype(object)
        else:
            columns[f"t{i}"] = [f"word{j} and more words" for j in rng.integers(0, 999, 50)]
    frame = pd.DataFrame(columns)
    # How long it takes is measured in bench/gui_responsiveness.py and bench/job_time.py,
    # not asserted here: the machines that run the tests are shared.
    specs = profile_columns(frame)
    assert len(specs) == 4000
    assert [s.kind for s in specs[:4]] == [Kind.INTEGER, Kind.DECIMAL, Kind.CATEGORY, Kind.TEXT]
    assert specs[1].decimals == 2


def test_yes_no_mixed_with_y_n_is_boolean(data_dir):
    specs = {s.name: s for s in profile_columns(read_table(data_dir / "messy_export.csv").data)}
    assert specs["paid"].kind is Kind.BOOLEAN
    assert specs["paid"].evidence == "only N/Y/no/yes"
