"""Does privacy hold when detection misses? Rare real values that reach the output.

Run from the checkout root (``PYTHONPATH=$PWD python bench/privacy_defence.py``); point
``PYTHONPATH`` at another checkout to measure it on the same tables.

Table 1, repeated subjects: Lahman salaries since 2010 (one row per player and season)
for 150 random players (seed 1), with each player's real first and last name and
birthplace on every row, as an invoices table repeats its customer's address. Last names
are forced NOT sensitive (a missed name column); birthplaces are never flagged. The
default job (``run_training`` with ``TrainingPlan()``) runs once; printed per column:
the real values held by fewer than 5 players (less any value 5 players hold in some
column: "AL" is Alabama and the American League), how many of them reach any column of
the output, and in how many cells.

Table 2, a false positive: the first 2,000 loans of ``modeldata_lending_club.csv`` with
the count column ``num_il_tl`` marked sensitive, as a detector that mistakes counts for
identifiers would; printed: whether the default job finishes, or its message.
"""

import os
import time
from pathlib import Path

import pandas as pd

from synthdesk.core.job import TrainingPlan
from synthdesk.core.pipeline import run_training
from synthdesk.privacy.fakes import normalise
from synthdesk.schema import profile_columns
from synthdesk.schema.overrides import ColumnOverrides, apply_overrides
from tests.privacy.test_subjects import salaries_with_people  # the same table the tests use

SHARED = Path(__file__).parents[2] / "shared" / "datasets"


def main() -> None:
    import synthdesk

    print(f"synthdesk from {Path(synthdesk.__file__).parent}; load {os.getloadavg()[0]:.1f}")
    table = salaries_with_people()
    specs = apply_overrides(profile_columns(table), ColumnOverrides(not_sensitive=("nameLast",)),
                            table)
    common = set()
    for column in table.columns:
        held = table.groupby(column)["playerID"].nunique()
        common |= normalise(held[held >= 5].index)
    started = time.perf_counter()
    output = run_training(table, specs, TrainingPlan(seed=0)).synthetic
    seconds = time.perf_counter() - started
    cells = {c: output[c].dropna().astype(str).str.strip().str.casefold() for c in output}
    print(f"{len(table)} rows, {table['playerID'].nunique()} players, {seconds:.0f} s")
    print(f"{'column':<12}{'rare real':>10}{'in output':>11}{'cells':>8}")
    for column in ("playerID", "nameFirst", "nameLast", "birthCity", "birthState"):
        held = table.groupby(column)["playerID"].nunique()
        rare = normalise(held[held < 5].index) - common
        reached = set().union(*(set(text) for text in cells.values())) & rare
        count = sum(int(text.isin(rare).sum()) for text in cells.values())
        print(f"{column:<12}{len(rare):>10}{len(reached):>11}{count:>8}")
    loans = pd.read_csv(SHARED / "modeldata_lending_club.csv").head(2000)
    flagged = apply_overrides(profile_columns(loans),
                              ColumnOverrides(sensitive=("num_il_tl",)), loans)
    try:
        run_training(loans, flagged, TrainingPlan(seed=0))
        print("loans, num_il_tl marked sensitive: finished")
    except Exception as exc:  # noqa: BLE001 - the message is the measurement
        print(f"loans, num_il_tl marked sensitive: failed: {exc}")


if __name__ == "__main__":
    main()
