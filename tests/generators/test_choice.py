"""Choose for me: the generator follows the table's size and the time it would take."""

import pytest

from synthdesk.generators import GENERATORS
from synthdesk.generators.choice import MIN_ROWS_FOR_TREES, choose_generator


@pytest.mark.parametrize("rows, columns", [(100, 3), (5_000, 20), (50_000, 10), (2_000_000, 40)])
def test_trees_are_chosen_for_tables_they_can_learn(rows, columns):
    name, reason = choose_generator(rows, columns)
    assert name == "cart"
    assert f"{rows:,} rows" in reason and reason.endswith(".") and reason.count(". ") == 0


def test_tiny_tables_get_the_copula():
    choice = choose_generator(MIN_ROWS_FOR_TREES - 1, 5)
    assert choice.name == "gaussian_copula"
    assert "too few rows" in choice.reason


def test_a_tight_time_budget_picks_the_faster_generator():
    # The job's estimate gives the seconds; here the trees are the slower one, as they
    # would be on a machine where they are.
    rows, columns = 1_000_000, 20
    durations = {"cart": 300.0, "gaussian_copula": 100.0}
    name, reason = choose_generator(rows, columns, time_budget_s=200, durations=durations)
    assert name == "gaussian_copula" and "more than your" in reason and "minutes" in reason
    assert choose_generator(rows, columns, time_budget_s=600, durations=durations).name == "cart"
    # When nothing fits the budget, the better generator is still chosen.
    assert choose_generator(rows, columns, time_budget_s=0.5, durations=durations).name == "cart"
    # With no figures to compare, a budget changes nothing.
    assert choose_generator(rows, columns, time_budget_s=1).name == "cart"


def test_chosen_names_are_registered_and_the_reason_states_no_time():
    for rows in (10, 1_000, 100_000):
        choice = choose_generator(rows, 8)
        assert choice.name in GENERATORS
        assert "second" not in choice.reason and "minute" not in choice.reason
