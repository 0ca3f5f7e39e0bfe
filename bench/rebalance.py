"""Does making more of a rare group help a model find it? Three ways, real tables.

    .venv/bin/python bench/rebalance.py [--rows N] [--generator NAME]
        [--table PATH COLUMN VALUE ...]

For each table, the rare value of one real column is rebalanced to half of the synthetic
rows through the pipeline (``run_training``, 20% of the real rows set aside), and the
report's ``rare_group`` figures are printed: average precision (PR-AUC) and recall at the
real model's precision of a model trained on (a) the real rows, (b) the real rows plus the
synthetic rare rows, (c) the real rows oversampled with SMOTE, all tested on the rows set
aside; the rare share asked and achieved; the rare group's own DCR share (its synthetic
rows against its real training rows and its held-out real rows: 0.5 is ideal, the goal
is at most 0.55) and exact copies; seconds. Real tables with rare groups of 1-10%:

- diamonds (../shared/datasets), ``cut = Fair`` (3.0%);
- baseball players (../shared/datasets, the Lahman database), ``bats = B`` (6.1%,
  switch hitters), with names and birthplaces replaced as the pipeline does;
- state legislators (PyPI ``causaldata``, ``black_politicians.csv``), ``leg_black = 1``
  (6.5%); run only when that package is installed (``pip install --no-deps causaldata``,
  in the environment or a folder on PYTHONPATH);
- any other, with ``--table PATH COLUMN VALUE`` (repeatable).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"


def _package_file(package: str, *parts: str) -> Path | None:
    """A data file shipped inside ``package``, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    return path if path.exists() else None


TABLES = (
    ("diamonds", lambda: SHARED / "plotnine_diamonds.csv", "cut", "Fair"),
    ("baseball", lambda: SHARED / "lahman_People.csv", "bats", "B"),
    ("legislators", lambda: _package_file("causaldata", "black_politicians",
                                          "black_politicians.csv"), "leg_black", "1"),
)


def main() -> int:
    """Run the benchmark and print its table."""
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12_000,
                        help="rows of each table used (a random sample; default 12,000)")
    parser.add_argument("--generator", default="cart",
                        help="the generator (default cart, the decision trees)")
    parser.add_argument("--table", nargs=3, action="append", default=[],
                        metavar=("PATH", "COLUMN", "VALUE"),
                        help="another table and the rare value to rebalance (repeatable)")
    args = parser.parse_args()
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import load_table, run_training
    from synthdesk.generators.conditions import Rebalance

    tables = [(label, where(), column, value) for label, where, column, value in TABLES]
    tables += [(Path(path).stem[:13], Path(path), column, value)
               for path, column, value in args.table]
    print(f"SynthDesk rebalancing to 50% with {args.generator}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()}")
    print(f"{'table':13} {'group':26} {'rows':>6} {'rare':>5} {'real%':>6} {'synth%':>6} "
          f"{'AP real':>8} {'AP +syn':>8} {'AP SMOTE':>8} {'rec real':>8} {'rec +syn':>8} "
          f"{'rec SMOTE':>9} {'DCR':>6} {'copies':>6} {'sec':>5}")
    for label, path, column, value in tables:
        if path is None:
            print(f"{label:13} skipped: its package is not installed")
            continue
        table, specs = load_table(path)
        data = table.data
        if len(data) > args.rows:
            data = data.sample(args.rows, random_state=0).reset_index(drop=True)
        value = next(v for v in data[column].dropna().unique() if str(v).strip() == value)
        plan = TrainingPlan(generator=args.generator, holdout=0.2,
                            rebalance=Rebalance(column, ((str(value), 0.5),)))
        started = time.perf_counter()
        result = run_training(data, specs, plan)
        seconds = time.perf_counter() - started
        rare = result.rare_group
        ap, recall = rare.average_precision, rare.recall

        def shown(x, width):
            return f"{'n/a':>{width}}" if x is None else f"{x:{width}.3f}"

        print(f"{label:13} {f'{column} = {value}'[:26]:26} {len(data):6,} "
              f"{rare.rare_rows:5} {rare.real_share:6.1%} {rare.synthetic_share:6.1%} "
              f"{shown(ap['real'], 8)} {shown(ap['augmented'], 8)} {shown(ap['smote'], 8)} "
              f"{shown(recall['real'], 8)} {shown(recall['augmented'], 8)} "
              f"{shown(recall['smote'], 9)} {shown(rare.dcr_share, 6)} "
              f"{rare.exact_copies:6.2%} {seconds:5.0f}", flush=True)
        print(f"{'':13} {rare.sentence}")
        if rare.warning:
            print(f"{'':13} {rare.warning}")
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
