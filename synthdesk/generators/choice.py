"""Choose for me: pick a generator from the table's size (and, if given, a time budget)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from synthdesk.progress import describe_duration

__all__ = ["Choice", "choose_generator", "MIN_ROWS_FOR_TREES"]

# Below this many rows a tree's leaves (at least 30 rows each) cannot split usefully, and
# the copula's overall correlations carry more of the table than the trees would.
MIN_ROWS_FOR_TREES = 100


class Choice(NamedTuple):
    """The chosen generator and one sentence saying why.

    Attributes:
        name: A name from :data:`synthdesk.generators.GENERATORS`.
        reason: One sentence an analyst understands.

    """

    name: str
    reason: str


def choose_generator(rows: int, columns: int, time_budget_s: float | None = None,
                     durations: Mapping[str, float] | None = None) -> Choice:
    """Pick the generator for a table of ``rows`` x ``columns``.

    Decision trees (``cart``) are chosen unless the table is too small for them to find
    patterns, or a time budget is given that the copula meets and the trees do not. The
    neural generators are never chosen: on SynthDesk's benchmark they took minutes and
    scored lower than the trees. How long a job takes is not estimated here but by the
    job's one estimate (``synthdesk.core.estimate``), which passes its figures in.

    Args:
        rows: Rows the generator will learn from.
        columns: Columns it will learn.
        time_budget_s: Seconds the user is willing to wait, if they said.
        durations: Seconds the job would take with ``cart`` and with ``gaussian_copula``
            (needed for a time budget).

    Returns:
        The generator's name and the reason, in one sentence.

    """
    if rows < MIN_ROWS_FOR_TREES:
        return Choice(
            "gaussian_copula",
            f"With only {rows:,} rows, decision trees have too few rows per step to learn "
            "from, so the Gaussian copula's overall patterns are the safer choice.",
        )
    cart_s = (durations or {}).get("cart")
    copula_s = (durations or {}).get("gaussian_copula")
    if time_budget_s is not None and cart_s is not None and copula_s is not None and \
            cart_s > time_budget_s and copula_s <= time_budget_s:
        return Choice(
            "gaussian_copula",
            f"Decision trees would need {describe_duration(cart_s)} on this table, more than "
            f"your {describe_duration(time_budget_s)}, so the Gaussian copula "
            f"({describe_duration(copula_s)}) is used.",
        )
    return Choice(
        "cart",
        f"Decision trees gave the most faithful tables in SynthDesk's tests and have "
        f"built-in privacy guards; they suit {rows:,} rows to learn from and {columns} "
        "columns.",
    )

