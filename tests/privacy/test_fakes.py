import numpy as np
import pandas as pd

from synthdesk.privacy import consistent_column, fake_column, fresh_identifiers, guess_locale
from synthdesk.privacy.treatments import apply_treatments
from synthdesk.schema import Action, ColumnSpec, Kind, profile_columns


def spec(name, pii_type, kind=Kind.CATEGORY, action=Action.FAKE):
    return ColumnSpec(name=name, kind=kind, sensitive=True, pii_type=pii_type, action=action)


def test_fakes_match_the_kind_and_never_reuse_a_real_value():
    real = pd.Series(["James", "Mary", "John", "Patricia", "Robert", "Jennifer"] * 10)
    fakes = fake_column(spec("first", "first_name"), real, 500, seed=1, locale="en_US")
    assert len(fakes) == 500
    assert not set(fakes.str.casefold()) & set(real.str.casefold())
    assert fakes.str.match(r"^[A-Z][a-z]+").all()
    emails = fake_column(spec("mail", "email"), pd.Series(["a@b.org"]), 50, seed=1, locale="en_US")
    assert emails.str.contains("@").all()


def test_fakes_keep_the_share_of_missing_values():
    real = pd.Series(["Anna", None] * 50)
    fakes = fake_column(spec("first", "first_name"), real, 2000, seed=2, locale="en_US")
    assert 0.4 < fakes.isna().mean() < 0.6


def test_same_seed_same_fakes():
    real = pd.Series(["x@y.org"])
    first = fake_column(spec("mail", "email"), real, 100, seed=5, locale="en_US")
    again = fake_column(spec("mail", "email"), real, 100, seed=5, locale="en_US")
    assert first.equals(again)


def test_consistent_mapping_keeps_joins_and_counts():
    synthetic = pd.Series(["Smith", "Jones", "Smith", "Brown", "Jones", "Smith", None])
    real = pd.Series(["Smith", "Jones", "Brown", "Taylor"])
    mapped = consistent_column(spec("last", "last_name", action=Action.CONSISTENT), synthetic,
                               real, seed=3, locale="en_US")
    assert mapped.value_counts().sort_values().tolist() == [1, 2, 3]
    assert mapped[0] == mapped[2] == mapped[5] and mapped[1] == mapped[4]
    assert mapped.isna().tolist() == [False] * 6 + [True]
    assert not set(mapped.dropna()) & set(real)


def test_fresh_identifiers_have_the_same_shape_and_are_unique():
    real = pd.Series([f"aard{i:03d}x01" for i in range(300)])
    fresh = fresh_identifiers(real, 1000, np.random.default_rng(0))
    assert fresh.is_unique and len(fresh) == 1000
    assert fresh.str.fullmatch(r"[a-z]{4}\d{3}[a-z]\d{2}").all()
    assert not set(fresh) & set(real)


def test_fresh_numeric_identifiers_avoid_real_keys():
    real = pd.Series(range(10_000, 10_500))
    fresh = fresh_identifiers(real, 2000, np.random.default_rng(0))
    assert fresh.is_unique
    assert fresh.between(10_000, 99_999).all()
    assert not set(fresh.astype(int)) & set(real)


def test_german_names_give_german_fakes():
    real = pd.DataFrame({"Vorname": ["Jürgen", "Günther", "Wolfgang", "Dieter", "Uwe", "Heike",
                                     "Ursula", "Sabine", "Karl-Heinz", "Helga"] * 4})
    specs = profile_columns(real)
    assert specs[0].pii_type == "first_name"
    assert guess_locale(real, specs) == "de_DE"


def test_treatments_fill_replaced_columns_and_map_consistent_ones():
    real = pd.DataFrame({"email": [f"p{i}@corp.example" for i in range(40)],
                         "team": ["red", "blue"] * 20})
    specs = profile_columns(real)
    specs[1] = specs[1].with_changes(action=Action.CONSISTENT, pii_type=None)
    synthetic = pd.DataFrame({"team": ["red", "red", "blue"]})
    out = apply_treatments(synthetic, real, specs, seed=0)
    assert out["email"].str.contains("@").all() and not set(out["email"]) & set(real["email"])
    assert out["team"][0] == out["team"][1] != out["team"][2]
    assert not set(out["team"]) & {"red", "blue"}


def _lahman_names(column):
    from pathlib import Path

    shared = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
    return pd.read_csv(shared / "lahman_People.csv", usecols=[column])[column]


def test_names_when_most_of_fakers_list_are_real_people():
    # 938 of Faker's 1,000 American last names are names of real baseball players: the
    # fakes come from the other 62 and from made-up names, never a real one, never numbered.
    for column, kind in (("nameLast", "last_name"), ("nameFirst", "first_name")):
        real = _lahman_names(column)
        taken = set(real.dropna().str.casefold())
        fakes = fake_column(spec(column, kind), real, len(real), seed=3, locale="en_US")
        present = fakes.dropna()
        assert not set(present.str.casefold()) & taken
        assert present.str.fullmatch(r"[A-Z][a-z]+").all()
        assert present.nunique() >= 300
        people = pd.Series(np.arange(5_000))
        mapped = consistent_column(spec(column, kind, action=Action.CONSISTENT), people,
                                   real, seed=3, locale="en_US")
        assert not set(mapped.str.casefold()) & taken
        assert mapped.str.fullmatch(r"[A-Z][a-z]+").all()
        # Shared kinds may repeat across people, as real first and last names do.
        assert mapped.nunique() < len(people)


def test_consistent_full_names_stay_one_per_person():
    real = pd.Series(["Ann Lee", "Bo Park"] * 20)
    people = pd.Series(np.arange(3_000))
    mapped = consistent_column(spec("who", "name", action=Action.CONSISTENT), people, real,
                               seed=4, locale="en_US")
    assert mapped.nunique() == len(people)
