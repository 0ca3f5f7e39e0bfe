"""Choose for me: the generator follows the table's size and the time it would take."""

import pytest

from synthdesk.generators import GENERATORS
from synthdesk.generators.choice import (
    MIN_ROWS_FOR_TREES,
    choose_generator,
    estimate_fit_seconds,
)


@pytest.mark.parametrize("rows, columns", [(100, 3), (5_000, 20), (50_000, 10), (2_000_000, 40)])
def test_trees_are_chosen_for_tables_they_can_learn(rows, columns):
    name, reason = choose_generator(rows, columns)
    assert name == "cart"
    assert f"{rows:,} rows" in reason and reason.endswith(".") and reason.count(". ") == 0


def test_tiny_tables_get_the_copula():
    choice = choose_generator(MIN_ROWS_FOR_TREES - 1, 5)
    assert choice.name == "gaussian_copula"
    assert "too few rows" in choice.reason


def test_a_tight_time_budget_picks_the_faster_generator(monkeypatch):
    import synthdesk.generators.choice as choice_module

    # Make the trees the slower one, as they would be on a machine where they are.
    monkeypatch.setitem(choice_module._SECONDS_PER_CELL, "cart", 1e-4)
    rows, columns = 1_000_000, 20
    cart_s = estimate_fit_seconds("cart", rows, columns)
    copula_s = estimate_fit_seconds("gaussian_copula", rows, columns)
    assert copula_s < cart_s
    name, reason = choose_generator(rows, columns, time_budget_s=(cart_s + copula_s) / 2)
    assert name == "gaussian_copula" and "more than your" in reason
    assert choose_generator(rows, columns, time_budget_s=cart_s * 2).name == "cart"
    # When nothing fits the budget, the better generator is still chosen.
    assert choose_generator(rows, columns, time_budget_s=0.5).name == "cart"


def test_chosen_names_are_registered_and_estimates_grow_with_size():
    for rows in (10, 1_000, 100_000):
        assert choose_generator(rows, 8).name in GENERATORS
    assert estimate_fit_seconds("cart", 10_000, 10) < estimate_fit_seconds("cart", 100_000, 10)
    assert estimate_fit_seconds("cart", 10_000, 10) < estimate_fit_seconds("cart", 10_000, 30)
