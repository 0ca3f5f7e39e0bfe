"""Choose for me: pick a generator from the table's size and the time it would take."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Choice", "choose_generator", "estimate_fit_seconds", "MIN_ROWS_FOR_TREES"]

# Below this many rows a tree's leaves (at least 30 rows each) cannot split usefully, and
# the copula's overall correlations carry more of the table than the trees would.
MIN_ROWS_FOR_TREES = 100

# Fit plus sample seconds per cell (rows x columns) on a 2-core laptop, measured with
# bench/cart.py; rough orders of magnitude, not promises.
_SECONDS_PER_CELL = {"cart": 6e-6, "gaussian_copula": 1e-5}
_START_SECONDS = {"cart": 1.0, "gaussian_copula": 1.0}
# The trees learn from at most this many rows (a random subset); generating is per row.
_CART_FIT_ROWS = 250_000


class Choice(NamedTuple):
    """The chosen generator and one sentence saying why.

    Attributes:
        name: A name from :data:`synthdesk.generators.GENERATORS`.
        reason: One sentence an analyst understands.

    """

    name: str
    reason: str


def estimate_fit_seconds(generator: str, rows: int, columns: int) -> float:
    """Rough seconds to learn a table and generate as many rows (non-neural generators)."""
    rows, columns = max(rows, 1), max(columns, 1)
    if generator == "cart":
        learned = min(rows, _CART_FIT_ROWS)
        cells = (learned + rows) / 2 * columns
    else:
        cells = rows * columns
    return _START_SECONDS.get(generator, 1.0) + cells * _SECONDS_PER_CELL.get(generator, 1e-5)


def choose_generator(rows: int, columns: int, time_budget_s: float | None = None) -> Choice:
    """Pick the generator for a table of ``rows`` x ``columns``.

    Decision trees (``cart``) are chosen unless the table is too small for them to find
    patterns, or a time budget is given that the copula meets and the trees do not. The
    neural generators are never chosen: on SynthDesk's benchmark they took minutes and
    scored lower than the trees.

    Args:
        rows: Rows the generator will learn from.
        columns: Columns it will learn.
        time_budget_s: Seconds the user is willing to wait, if they said.

    Returns:
        The generator's name and the reason, in one sentence.

    """
    if rows < MIN_ROWS_FOR_TREES:
        return Choice(
            "gaussian_copula",
            f"With only {rows:,} rows, decision trees have too few rows per step to learn "
            "from, so the Gaussian copula's overall patterns are the safer choice.",
        )
    cart_s = estimate_fit_seconds("cart", rows, columns)
    copula_s = estimate_fit_seconds("gaussian_copula", rows, columns)
    if time_budget_s is not None and cart_s > time_budget_s and copula_s <= time_budget_s:
        return Choice(
            "gaussian_copula",
            f"Decision trees would need {_say(cart_s)} on this table, more than your "
            f"{_say(time_budget_s)}, so the Gaussian copula ({_say(copula_s)}) is used.",
        )
    return Choice(
        "cart",
        f"Decision trees gave the most faithful tables in SynthDesk's tests, with built-in "
        f"privacy guards, and should take {_say(cart_s)} for {rows:,} rows and "
        f"{columns} columns.",
    )


def _say(seconds: float) -> str:
    if seconds < 60:
        return f"about {max(1, round(seconds))} second{'s' if round(seconds) > 1 else ''}"
    minutes = round(seconds / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"
