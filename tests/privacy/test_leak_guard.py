"""The leak guard and the leak check: every column is looked at; false positives end nothing."""

import pandas as pd

from synthdesk.privacy import RARE_LABEL
from synthdesk.privacy.leaks import (
    columns_to_unmark,
    find_leaks,
    guard_rare_values,
    leak_message,
    rare_text_values,
    scrub,
)
from synthdesk.schema import Action, ColumnSpec, Kind


def test_rare_values_are_counted_in_people_over_every_text_column():
    real = pd.DataFrame({
        "who": ["a"] * 6 + ["b", "c", "d", "e", "f", "g"],
        "born": ["Mobile"] * 6 + ["Denver"] * 3 + ["Austin"] * 3,
        "lives": ["Austin"] * 6 + ["Denver"] * 3 + ["Reno"] * 3,
        "age": [41] * 12,
    })
    specs = [ColumnSpec("who", Kind.CATEGORY), ColumnSpec("born", Kind.CATEGORY),
             ColumnSpec("lives", Kind.CATEGORY), ColumnSpec("age", Kind.INTEGER)]
    rare = rare_text_values(real, specs, real["who"])
    # Mobile: one person on six rows. Denver: 3 people born + the same 3 living there.
    # Austin: born by 3, home of 1 more person: 4. Reno: 3. The ages are numbers.
    assert {"mobile", "denver", "austin", "reno"} <= rare
    assert "41" not in rare
    rare_by_rows = rare_text_values(real, specs)
    assert "mobile" not in rare_by_rows and "austin" not in rare_by_rows


def test_guard_replaces_rare_real_values_in_columns_nobody_flagged():
    real = pd.DataFrame({"name": [f"Person {i}" for i in range(20)],
                         "team": ["Reds"] * 10 + ["Blues"] * 10,
                         "ref": [f"R-{i:03d}" for i in range(20)]})
    specs = [ColumnSpec("name", Kind.CATEGORY), ColumnSpec("team", Kind.CATEGORY),
             ColumnSpec("ref", Kind.IDENTIFIER)]
    output = pd.DataFrame({"name": ["Person 3", "Someone", "PERSON 4 "],
                           "team": ["Reds", "Person 5", "Blues"],
                           "ref": ["R-007", "R-999", "Q-1"]})
    guarded, replaced = guard_rare_values(output, real, specs, seed=1)
    assert replaced == {"name": 2, "team": 1, "ref": 1}
    assert guarded["name"].tolist() == [RARE_LABEL, "Someone", RARE_LABEL]
    assert guarded["team"].tolist() == ["Reds", RARE_LABEL, "Blues"]
    new_ref = guarded.loc[0, "ref"]
    assert new_ref not in set(real["ref"]) and len(new_ref) == 5 and new_ref[1] == "-"
    assert guarded.loc[1:, "ref"].tolist() == ["R-999", "Q-1"]


def test_a_count_column_flagged_by_mistake_does_not_stop_the_run():
    counts = pd.DataFrame({"tax_liens": [i % 53 for i in range(400)],
                           "open_accounts": [(i * 7) % 40 for i in range(400)],
                           "balance": [1000 + 37 * i for i in range(400)]})
    specs = [ColumnSpec("tax_liens", Kind.INTEGER, sensitive=True, pii_type="national_id",
                        action=Action.FAKE),
             ColumnSpec("open_accounts", Kind.INTEGER), ColumnSpec("balance", Kind.INTEGER)]
    output = pd.DataFrame({"tax_liens": [9_000_001 + i for i in range(400)],
                           "open_accounts": [(i * 3) % 40 for i in range(400)],
                           "balance": [1000 + 37 * i for i in range(400)]})
    # Small counts shared with another count column are a coincidence, not a leak.
    assert find_leaks(counts, output, specs) == []


def test_a_real_leak_names_each_column_and_its_kind_and_the_fix():
    real = pd.DataFrame({"email": [f"user{i}@example.org" for i in range(10)],
                         "login": [f"user{i}@example.org" for i in range(10)],
                         "customer_no": [123_456 + i for i in range(10)]})
    specs = [ColumnSpec("email", Kind.CATEGORY, sensitive=True, pii_type="email",
                        action=Action.FAKE),
             ColumnSpec("login", Kind.CATEGORY),
             ColumnSpec("customer_no", Kind.INTEGER, sensitive=True, pii_type="id",
                        action=Action.FAKE)]
    output = pd.DataFrame({"email": ["a@b.c"] * 3, "login": ["user1@example.org"] * 3,
                           "customer_no": [123_457, 5, 6]})
    leaks = find_leaks(real, output, specs)
    assert {(leak.column, leak.source, leak.cells) for leak in leaks} == {
        ("login", "email", 3), ("customer_no", "customer_no", 1)}
    message = leak_message(leaks, specs)
    assert "'email' (categories, flagged as e-mail addresses): 3 cells in column 'login'" \
        in message
    assert "'customer_no' (whole numbers, flagged as record identifiers)" in message
    assert "--not-sensitive email --not-sensitive customer_no" in message
    assert "user1@example.org" not in message and "123457" not in message
    assert columns_to_unmark(message, specs) == ["email", "customer_no"]
    # The message leaves the training process through scrub: its counts stay readable.
    counts = pd.DataFrame({"n": [3, 120, 4_000]})
    flagged = [ColumnSpec("n", Kind.INTEGER, sensitive=True, action=Action.FAKE)]
    text = "Nothing was written: 3,120 cells; 4,000 rows; 120 alone"
    assert scrub(text, counts, flagged) == "Nothing was written: 3,120 cells; 4,000 rows; " \
        "<hidden> alone"
