"""Personal data in the formats real files use, on real values (never Faker's own lists).

The values come from the detection corpus (tests/corpus/detection, see SOURCES.md): real
names of baseball players (lahman), Canadian senators (lifelines), people of great_tables'
peeps table and Debian maintainers; Google's postal-code examples of every country.
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthdesk.schema import Action, Kind, profile_columns
from synthdesk.schema.pii import PII_LABELS

CORPUS = Path(__file__).parents[1] / "corpus" / "detection"


def corpus(table: str, column: str, rows: int | None = None) -> list:
    values = pd.read_csv(CORPUS / f"{table}.csv", dtype=str, keep_default_na=False)[column]
    return values[values != ""].tolist()[:rows]


def detect(name, values):
    return profile_columns(pd.DataFrame({name: values}))[0]


def specs_of(frame: pd.DataFrame) -> dict:
    return {s.name: s for s in profile_columns(frame)}


@pytest.mark.parametrize(
    ("header", "table", "column"),
    [
        ("Name", "fixture_passengers", "Name"),  # Surname, Title. Given (Maiden)
        ("Name", "lifelines_canadian_senators", "Name"),  # Surname, Given Middle
        ("senator", "fixture_name_formats", "senator"),
        ("empfaenger", "fixture_name_formats", "empfaenger"),  # Herr Dr. / Mme / Sig.ra ...
        ("author", "fixture_name_formats", "author"),  # initials: J. B. Jackson, Smith, W.M.
        ("fake_first_name", "fixture_name_formats", "fake_first_name"),  # lowercase
        ("fake_last_name", "fixture_name_formats", "fake_last_name"),
        ("CLIENT", "fixture_name_formats", "CLIENT"),  # UPPERCASE
        ("signatories", "fixture_name_formats", "signatories"),  # several people per cell
        ("Maintainer", "fixture_maintainers", "Maintainer"),  # Name <user # domain>, two people
        ("Maintainer", "debian_packages", "Maintainer"),  # Name <user@domain>
        ("contact_person", "fixture_names_with_contacts", "contact_person"),  # Name (phone)
        ("director", "gt_films", "director"),
    ],
)
def test_names_in_real_formats_are_replaced(header, table, column):
    spec = detect(header, corpus(table, column, 200))
    assert spec.sensitive and spec.action is Action.FAKE, spec.reason
    assert spec.pii_type in ("name", "first_name", "last_name"), spec
    assert "look like" in spec.reason


def test_names_followed_by_contacts_say_so():
    spec = detect("Maintainer", corpus("fixture_maintainers", "Maintainer"))
    assert "with contact details beside them" in spec.reason


@pytest.mark.parametrize(
    ("header", "table", "column"),
    [
        ("name", "gt_islands", "name"),
        ("name", "gt_metro", "name"),  # stations, many named after people
        ("name", "vega_airports", "name"),
        ("name", "gt_towny", "name"),
        ("name", "gt_pizzaplace", "name"),
    ],
)
def test_a_name_header_over_places_and_products_is_not_a_person(header, table, column):
    spec = detect(header, corpus(table, column))
    assert spec.pii_type not in ("name", "first_name", "last_name"), spec.reason


def test_obfuscated_e_mails_are_e_mails():
    written = corpus("fixture_maintainers", "contact")
    assert any(" # " in v for v in written) and any(" dot " in v for v in written)
    assert any(v.startswith("<") for v in written) and any("[at]" in v for v in written)
    for style in (" # ", " dot ", "<", "[at]"):
        values = [v for v in written if style in v]
        spec = detect("contact", values * (40 // len(values) + 1))
        assert spec.pii_type == "email" and spec.action is Action.FAKE, (style, spec.reason)
    # "at" inside ordinary words, or numbers after a hash, are not e-mails
    assert not detect("remark", ["meet at noon", "arrived at home", "left at dawn"] * 10).sensitive
    assert detect("room", [f"Room # {i}.{j}" for i in range(1, 9) for j in range(5)]).pii_type \
        != "email"


@pytest.mark.parametrize("header", ["postalcode", "Zip/Postal Code", "BillingPostalCode", "PLZ",
                                    "code_postal", "codigo_postal", "cap", "postcode"])
def test_postcodes_of_every_country_are_found_by_header(header):
    codes = corpus("fixture_postcodes_world", "postalcode")
    assert any(re.fullmatch(r"[A-Z]\d[A-Z] \d[A-Z]\d", c) for c in codes)  # Canada: H3Z 2Y7
    assert any(re.fullmatch(r"\d{5}-\d{3}", c) for c in codes)  # Brazil: 40301-110
    spec = detect(header, codes)
    assert spec.pii_type == "postcode" and spec.quasi_identifier, spec.reason
    assert spec.action is Action.SYNTHESIZE and not spec.sensitive  # learned, not copied


def test_postcodes_are_found_by_value_and_as_numbers():
    mixed = [c for c in corpus("fixture_postcodes_mixed", "Zip/Postal Code") if not c.isdigit()]
    assert detect("col_3", mixed).pii_type == "postcode"  # H3B 4W8, 91-348, NW10 2BH
    # The codes of the issue, among real ones of other countries.
    assert detect("PostalCode", mixed + ["T5K 2N1", "12227-000"] * 5).pii_type == "postcode"
    zips = detect("zip", [int(z) for z in corpus("fixture_zip_numbers", "zip")])
    assert zips.kind is Kind.INTEGER and zips.pii_type == "postcode"
    assert "ZIP code" in zips.reason
    # Codes and amounts are not postcodes, whatever their shape.
    assert detect("sub_grade", ["A1", "B2", "C3", "D4", "E5"] * 20).pii_type != "postcode"
    amounts = np.random.default_rng(0).integers(10000, 99999, 400)
    assert detect("amount", amounts).pii_type is None


def test_address_parts_in_separate_columns_are_found():
    invoices = pd.read_csv(CORPUS / "fixture_invoices.csv")
    specs = specs_of(invoices)
    assert specs["BillingAddress"].pii_type == "street_address"
    assert specs["BillingAddress"].action is Action.FAKE
    assert specs["BillingPostalCode"].pii_type == "postcode"
    assert specs["BillingCity"].pii_type == "city" and specs["ship_city"].pii_type == "city"
    assert specs["BillingState"].pii_type is None and specs["BillingCountry"].pii_type is None
    for lang in ("de", "fr", "es", "it", "nl"):
        frame = pd.read_csv(CORPUS / f"fixture_address_parts_{lang}.csv", dtype=str)
        found = [s.pii_type for s in profile_columns(frame)]
        assert found[:3] == ["street_address", "city", "postcode"], (lang, found)


def test_places_written_city_state_are_quasi_identifiers():
    spec = detect("home.dest", corpus("fixture_passengers", "home.dest"))
    assert spec.pii_type == "city" and spec.quasi_identifier and not spec.sensitive
    assert "city" in PII_LABELS[spec.pii_type] or "place" in PII_LABELS[spec.pii_type]


def test_birth_dates_as_text_are_birth_dates_and_ages_never_identifiers():
    frame = pd.read_csv(CORPUS / "fixture_birth_text.csv", dtype=str)
    specs = specs_of(frame)
    for name in ("dob", "Geburtsdatum", "date_of_birth"):
        assert specs[name].pii_type == "date_of_birth", (name, specs[name])
        assert specs[name].action is Action.SYNTHESIZE
    age = specs["age"]  # "75 years"
    assert age.pii_type is None and age.quasi_identifier and "age" in age.reason
    unique_ages = detect("age", [f"{n} years" for n in range(1, 101)])
    assert unique_ages.pii_type is None


def test_counts_are_never_identifiers_validated_numbers_are():
    loans = pd.read_csv(CORPUS / "fixture_loans.csv")
    specs = specs_of(loans)
    assert loans.tax_liens.max() > 10
    for name in ("tax_liens", "pub_rec", "delinq_2yrs", "open_acc", "tot_cur_bal", "id_score",
                 "tax_rate", "social_score"):
        assert not specs[name].sensitive and specs[name].pii_type is None, specs[name].reason
    for name in ("ssn", "bsn"):
        assert specs[name].pii_type == "national_id" and specs[name].action is Action.FAKE
        assert "look like national identifiers" in specs[name].reason
    # The header alone is not enough: unique 9-digit numbers that fail the checks.
    rng = np.random.default_rng(1)
    assert detect("ssn", rng.integers(900_000_000, 999_999_999, 300)).pii_type is None
    # A count whose header names a tax or social number stays a count.
    assert detect("tax_id_count", rng.integers(0, 53, 300)).pii_type is None


def test_dates_in_free_text_are_not_phone_numbers():
    terms = corpus("lifelines_canadian_senators", "Term (yyyy.mm.dd)")
    assert detect("term", terms).pii_type is None
    notes = corpus("fixture_names_with_contacts", "notes")
    spec = detect("notes", notes)
    assert spec.pii_type == "free_text" and "phone numbers" in spec.reason


@pytest.mark.parametrize(("column", "pii_type"), [("BillingPostalCode", "postcode"),
                                                  ("BillingCity", "city")])
def test_postcodes_and_cities_can_be_replaced_with_fakes_when_asked(column, pii_type):
    from synthdesk.privacy.fakes import fake_column, normalise

    invoices = pd.read_csv(CORPUS / "fixture_invoices.csv", dtype=str)
    spec = specs_of(invoices)[column]
    assert spec.pii_type == pii_type and pii_type in PII_LABELS
    fakes = fake_column(spec.with_changes(action=Action.FAKE), invoices[column], 200, 0, "en_US")
    assert fakes.notna().all() and fakes.nunique() > 20
    assert not normalise(fakes) & normalise(invoices[column])


def test_the_default_job_on_a_loans_table_with_counts_finishes(tmp_path):
    from synthdesk.core.job import Job, TrainingPlan
    from synthdesk.core.pipeline import run_job

    out = tmp_path / "synthetic.csv"
    result = run_job(Job(input=CORPUS / "fixture_loans.csv", output=out,
                         plan=TrainingPlan(rows=300)), isolated=False)
    flagged = {s.name for s in result.columns if s.sensitive}
    assert flagged == {"loan_id", "ssn", "bsn"}
    assert result.report["privacy"]["sensitive_values_leaked"] == 0
    written = pd.read_csv(out)
    assert len(written) == 300 and written.tax_liens.dtype.kind in "if"


def test_codes_shaped_like_some_country_s_postcodes_are_not_postcodes_without_a_header():
    flights = [f"{a} {n}" for a in ("AA", "BA", "LH", "AF", "KL") for n in (1234, 2490, 400, 77)]
    parts = [f"ABC {n}" for n in range(100, 140)]
    for values in (flights * 3, parts):
        assert detect("col_2", values).pii_type != "postcode"
