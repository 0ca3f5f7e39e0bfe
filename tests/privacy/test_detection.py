"""Each detector with positive examples and lookalikes that must not be flagged."""

import pandas as pd
import pytest

from synthdesk.schema import Action, Kind, profile_columns


def detect(name, values):
    return profile_columns(pd.DataFrame({name: values}))[0]


def repeat(values, n=40):
    return (list(values) * (n // len(values) + 1))[:n]


@pytest.mark.parametrize(
    ("header", "values", "pii_type"),
    [
        ("contact", [f"user{i}@mail.example.org" for i in range(40)], "email"),
        ("Telefon", repeat(["+49 30 901820", "+49 89 2351 0", "030 1234567", "+49 40 428280"]), "phone_number"),
        ("phone", repeat(["(202) 555-0143", "+1 415 555 2671", "212-555-0188", "(312) 555-0100"]), "phone_number"),
        ("x", [f"078-05-{1120 + i:04d}" for i in range(40)], "ssn"),
        ("account", repeat(["DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32",
                            "FR14 2004 1010 0505 0001 3M02 606"]), "iban"),
        ("card", repeat(["4111 1111 1111 1111", "5500 0000 0000 0004", "3400 0000 0000 009"]), "credit_card_number"),
        ("host", [f"192.168.{i // 250}.{i % 250}" for i in range(40)], "ip_address"),
        ("homepage", [f"https://www.example{i}.org/about" for i in range(40)], "url"),
        ("Anschrift", [f"Hauptstraße {i + 1}" for i in range(40)], "street_address"),
        ("dirección", [f"Calle Mayor {i + 3}" for i in range(40)], "street_address"),
        ("nombre", repeat(["María", "José", "Lucía", "Javier", "Carmen", "Pablo"]), "first_name"),
        ("Nachname", repeat(["Müller", "Schmidt", "Schneider", "Fischer", "Weber"]), "last_name"),
        ("customer", repeat([f"Mr. {f} {last}" for f in ("John", "Paul", "Mary", "Anna", "James", "Linda", "Robert")
                             for last in ("Smith", "Brown", "Jones")]), "name"),
        ("codice", repeat(["RSSMRA85T10A562S", "BNCGPP80A01H501U"]), "national_id"),
    ],
)
def test_personal_data_is_found_with_evidence(header, values, pii_type):
    spec = detect(header, values)
    assert spec.sensitive, spec
    assert spec.pii_type == pii_type
    assert spec.action is Action.FAKE
    assert "%" in spec.reason and "look like" in spec.reason


def test_a_column_of_names_is_found_without_a_telling_header():
    names = [f"{f} {last}" for f in ("James", "Mary", "Robert", "Patricia", "John", "Jennifer")
             for last in ("Smith", "Johnson", "Williams", "Brown", "Jones")]
    spec = detect("col_7", names)
    assert spec.sensitive and spec.pii_type == "name"
    assert spec.reason.endswith("of values look like person names")


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("nsn", repeat(["1005-00-589-1271", "2320-01-371-9584", "1240-01-411-1265"])),  # stock numbers
        ("product_code", repeat(["0301 2345 678", "0405 1234 999", "0512 9876 543"])),  # phone-shaped codes
        ("item_name", repeat(["Rifle", "Truck", "Helmet", "Boots"])),
        ("county", repeat(["Douglas", "Lancaster", "Sarpy", "Hall", "Buffalo", "Madison"] * 5
                          + [f"County {i}" for i in range(30)], 60)),
        ("race", repeat(["White", "Black", "Asian", "Other"])),
        ("order_date", pd.date_range("2020-01-01", periods=40).strftime("%Y-%m-%d").tolist()),
        ("weight", [60.5 + i for i in range(40)]),
        ("amount", [1000 + i * 37 for i in range(40)]),
    ],
)
def test_lookalikes_are_not_flagged(header, values):
    spec = detect(header, values)
    assert not spec.sensitive, spec.reason


def test_a_birth_date_is_sensitive_and_learned_a_plain_date_is_not():
    dates = pd.date_range("1950-01-01", periods=40, freq="90D").strftime("%Y-%m-%d").tolist()
    birth = detect("Geburtsdatum", dates)
    assert birth.sensitive and birth.quasi_identifier and birth.pii_type == "date_of_birth"
    assert birth.action is Action.SYNTHESIZE
    assert "date of birth" in birth.reason
    assert not detect("shipped", dates).sensitive


def test_quasi_identifiers_are_marked_but_learned():
    spec = detect("zip", repeat(["02139", "10001", "94103", "60601"]))
    assert spec.quasi_identifier and not spec.sensitive
    assert spec.action is Action.SYNTHESIZE
    assert "ZIP code" in spec.reason


def test_free_text_mentioning_contacts_is_dropped_by_default():
    notes = [f"Called back on {i} March, reach her at anna{i}@example.com or the office line"
             for i in range(10)] + [f"Left a message about invoice number {i} and the delay" for i in range(30)]
    spec = detect("notes", notes)
    assert spec.kind is Kind.TEXT
    assert spec.sensitive and spec.pii_type == "free_text" and spec.action is Action.DROP
    assert "mention e-mail addresses" in spec.reason


def test_codes_that_each_point_at_a_few_rows_are_identifiers():
    import numpy as np
    import pandas as pd

    from synthdesk.privacy.protection import MIN_ROWS
    from synthdesk.schema import profile_columns
    from synthdesk.schema.pii import FEW_ROWS

    assert FEW_ROWS == MIN_ROWS  # what detection calls rare is what protection hides
    rng = np.random.default_rng(0)
    nests = [f"N{i // 2 + 1}A{i % 2 + 1}" for i in range(300)]  # each bird on two rows
    frame = pd.DataFrame({
        "Individual ID": nests + nests[:100],
        "batch": [f"B{n % 20:03d}" for n in range(400)],  # codes, but 20 rows each
        "town": [f"Town{chr(65 + n % 26)}{chr(65 + n // 26 % 26)} ville" for n in range(400)],
        "weight": rng.normal(4000, 500, 400),
    })
    specs = {s.name: s for s in profile_columns(frame)}
    bird = specs["Individual ID"]
    assert bird.sensitive and bird.pii_type == "id" and bird.action.value == "fake"
    assert "fewer than 5 rows" in bird.reason
    assert not specs["batch"].sensitive  # shared by many rows: a category, kept
    assert not specs["town"].sensitive  # rare, but words, not codes
